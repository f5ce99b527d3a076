// The nginx module on PostgreSQL (fieldpost_database): the deployment
// scenario and the Arduino replay; every worker answering with a write at
// once, though each keeps last values; nginx, two `serve` and their clients
// writing one channel at once; a worker killed under write load.
#include <signal.h>

#include <boost/test/unit_test.hpp>

#include "tests/integration/api_scenario.h"
#include "tests/integration/arduino_replay.h"
#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/integration/write_load.h"
#include "tests/module/nginx_module_fixture.h"
#include "tests/postgres/shared_postgres.h"
#include "tests/postgres/write_clients.h"
#include "tests/support/http_client.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(nginx_module_on_postgres)

BOOST_AUTO_TEST_CASE(passes_the_api_scenario_and_the_arduino_replay) {
  const std::string database = FreshDatabase();
  PrepareScenarioData(database);
  NginxModuleFixture nginx(2, database);
  RunApiScenario({nginx.port(), "", database});
  RunApiScenario({nginx.port(), "/iot", database});
  RunDirectoryScenario({nginx.port(), "/iot", database});
  RunArduinoReplay(nginx.port(), database);
  BOOST_TEST(nginx.ErrorLog().find(PostgresServer::kPassword) == std::string::npos);
}

// nginx's workers are processes of their own, and a client's next request
// may reach any of them: each knows of its siblings' writes at once,
// through the write counters the master maps before it forks them.
BOOST_AUTO_TEST_CASE(every_nginx_worker_answers_with_a_write_at_once) {
  const std::string database = FreshDatabase();
  const ChannelKeys channel = CreateChannel(database, "station", {"--public"});
  NginxModuleFixture nginx(4, database);
  const std::string last = "/channels/" + std::to_string(channel.id) + "/fields/1/last.txt";
  const std::string update = "/update?api_key=" + channel.write_key + "&field1=";
  for (int value = 1; value <= 100; ++value) {
    // Writes in quick succession, as a station's burst: the second's
    // announcement to other frontends waits (kAnnounceInterval), so only
    // the shared counters can tell the other workers at once.
    BOOST_REQUIRE(OkBody(nginx.port(), update + "0") != "0");
    // Workers keep the value before the write (new connections spread
    // over them).
    for (int i = 0; i < 3; ++i) OkBody(nginx.port(), last);
    const std::string v = std::to_string(value);
    BOOST_REQUIRE(OkBody(nginx.port(), update + v) != "0");
    for (int i = 0; i < 4; ++i) BOOST_TEST(OkBody(nginx.port(), last) == v);
  }
}

BOOST_AUTO_TEST_CASE(nginx_and_two_serve_write_one_channel_with_gapless_ids) {
  const std::string database = FreshDatabase();
  const ChannelKeys channel = CreateChannel(database, "shared", {"--public"});
  TempDir dir;
  NginxModuleFixture nginx(2, database);
  ServeProcess first(dir, {"--database", database});
  ServeProcess second(dir, {"--database", database});
  constexpr int kClientsEach = 8, kRequests = 100;
  WriteClients clients({nginx.port(), first.port(), second.port()}, kClientsEach, channel.write_key,
                       kRequests);
  const std::vector<Write> acknowledged = clients.Finish();
  BOOST_TEST(acknowledged.size() == std::size_t{3 * kClientsEach * kRequests});
  BOOST_TEST(clients.other() == 0);
  RequireEveryWriteStored(database, channel.id, acknowledged);
}

BOOST_AUTO_TEST_CASE(a_killed_worker_loses_no_acknowledged_write) {
  const std::string database = FreshDatabase();
  const ChannelKeys channel = CreateChannel(database, "killed", {"--public"});
  NginxModuleFixture nginx(1, database);
  const std::vector<Write> acknowledged = WriteUntilStruck(nginx.port(), channel.write_key, [&] {
    for (pid_t worker : nginx.Workers()) kill(worker, SIGKILL);
  });
  RequireEveryWriteStored(database, channel.id, acknowledged);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
