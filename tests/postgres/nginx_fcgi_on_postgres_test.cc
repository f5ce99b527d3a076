// nginx with the shipped snippets in front of `fieldpost fcgi` on
// PostgreSQL: the deployment scenario, the Arduino replay, and a responder
// killed under write load.
#include <signal.h>

#include <boost/test/unit_test.hpp>

#include "tests/integration/api_scenario.h"
#include "tests/integration/arduino_replay.h"
#include "tests/integration/cli.h"
#include "tests/integration/nginx_fixture.h"
#include "tests/integration/write_load.h"
#include "tests/postgres/shared_postgres.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(nginx_fcgi_on_postgres)

BOOST_AUTO_TEST_CASE(passes_the_api_scenario_and_the_arduino_replay) {
  const std::string database = FreshDatabase();
  PrepareScenarioData(database);
  const auto nginx = NginxFcgiFixture::OnDatabase(database);
  RunApiScenario({nginx->port(), "", database});
  RunApiScenario({nginx->port(), "/iot", database});
  RunDirectoryScenario({nginx->port(), "/iot", database});
  RunArduinoReplay(nginx->port(), database);
  BOOST_TEST(nginx->ResponderLog(0).find(PostgresServer::kPassword) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_killed_responder_loses_no_acknowledged_write) {
  const std::string database = FreshDatabase();
  const ChannelKeys channel = CreateChannel(database, "killed", {"--public"});
  const auto nginx = NginxFcgiFixture::OnDatabase(database);
  const std::vector<Write> acknowledged = WriteUntilStruck(
      nginx->port(), channel.write_key, [&] { nginx->responder(0).Signal(SIGKILL); });
  RequireEveryWriteStored(database, channel.id, acknowledged);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
