// `fieldpost serve`, the standalone frontend, as a black box on loopback.
#include <signal.h>
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>

#include "tests/integration/api_scenario.h"
#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(serve)

BOOST_AUTO_TEST_CASE(stations_and_thingspeak_clients_write_and_read_back) {
  TempDir dir;
  PrepareScenarioData(dir / "data");
  ServeProcess server(dir);
  RunApiScenario({server.port(), "", dir / "data"});
  RunDirectoryScenario({server.port(), "", dir / "data"});
  // Admin commands work while the server runs on the same directory.
  const ChannelKeys added = CreateChannel(dir / "data", "added-live", {"--public"});
  HttpReply reply = Get(server.port(), "/update?api_key=" + added.write_key + "&field1=5");
  BOOST_TEST(reply.body == "1");
  BOOST_TEST(Get(server.port(), "/channels/" + std::to_string(added.id) + "/fields/1/last").body ==
             "5");
  // What a load balancer polls.
  const HttpReply health = Get(server.port(), "/health");
  BOOST_TEST(health.status == 200);
  BOOST_TEST(health.body == R"({"status":"ok"})");
}

BOOST_AUTO_TEST_CASE(sigterm_stops_cleanly_and_keeps_acknowledged_writes) {
  TempDir dir;
  const ChannelKeys channel = CreateChannel(dir / "data", "durable", {"--public"});
  std::string acknowledged;
  {
    ServeProcess server(dir);
    for (int i = 1; i <= 20; ++i) {
      acknowledged = Get(server.port(),
                         "/update?api_key=" + channel.write_key + "&field1=" + std::to_string(i))
                         .body;
    }
    BOOST_TEST(acknowledged == "20");
    server.process().Signal(SIGTERM);
    const auto status = server.process().Wait(std::chrono::seconds(10));
    BOOST_REQUIRE(status.has_value());
    BOOST_TEST(WIFEXITED(*status));
    BOOST_TEST(WEXITSTATUS(*status) == 0);
    BOOST_TEST(server.log().find("stopped") != std::string::npos);
  }
  ServeProcess restarted(dir);
  BOOST_TEST(Get(restarted.port(), "/channels/" + std::to_string(channel.id) + "/fields/1/last.txt")
                 .body == "20");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
