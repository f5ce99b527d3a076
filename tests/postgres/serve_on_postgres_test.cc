// `fieldpost serve` on PostgreSQL: the deployment scenario, the Arduino
// library's replayed traffic and the directory endpoints, as on LMDB.
#include <boost/test/unit_test.hpp>
#include <thread>
#include <vector>

#include "tests/integration/api_scenario.h"
#include "tests/integration/arduino_replay.h"
#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/postgres/shared_postgres.h"
#include "tests/support/http_client.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(serve_on_postgres)

BOOST_AUTO_TEST_CASE(passes_the_api_scenario_and_the_arduino_replay) {
  TempDir dir;
  const std::string database = FreshDatabase();
  PrepareScenarioData(database);
  ServeProcess server(dir, {"--database", database});
  RunApiScenario({server.port(), "", database});
  RunDirectoryScenario({server.port(), "", database});
  RunArduinoReplay(server.port(), database);
  // The URI's password is never logged.
  BOOST_TEST(server.log().find("database postgresql://fieldpost:***@") != std::string::npos,
             server.log());
  BOOST_TEST(server.log().find(PostgresServer::kPassword) == std::string::npos, server.log());
}

BOOST_AUTO_TEST_CASE(several_processes_starting_at_once_create_the_schema_once) {
  const std::string database = FreshDatabase();
  // Each opens the store, which migrates an empty database.
  std::vector<std::thread> starts;
  std::vector<int> statuses(4, -1);
  std::vector<std::string> outputs(4);
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    starts.emplace_back([&, i] {
      statuses[i] = TryFieldpost({"channel", "list", "--json"}, database, outputs[i]);
    });
  }
  for (std::thread& start : starts) start.join();
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    BOOST_TEST(statuses[i] == 0, outputs[i]);
  }
  const std::string name = database.substr(database.rfind('/') + 1);
  BOOST_TEST(SharedPostgres().Psql(
                 name, "SELECT string_agg(version::text, ',') FROM fieldpost_schema") == "4");
}

// A server keeps channel records in memory; a change made by another
// process (here the admin command) reaches it through the database's
// notification, so a running server never goes on serving an old record.
BOOST_AUTO_TEST_CASE(a_channel_changed_elsewhere_changes_in_a_running_server) {
  TempDir dir;
  const std::string database = FreshDatabase();
  const ChannelKeys channel = CreateChannel(database, "station", {"--public"});
  const std::string id = std::to_string(channel.id);
  ServeProcess server(dir, {"--database", database});
  const std::string last = "/channels/" + id + "/fields/1/last.txt";
  // Read twice: the second is answered from the record kept in memory.
  BOOST_REQUIRE(Get(server.port(), last).status == 200);
  BOOST_REQUIRE(Get(server.port(), last).status == 200);
  RunFieldpost({"channel", "update", id, "--private"}, database);
  BOOST_TEST(
      WaitFor([&] { return Get(server.port(), last).status != 200; }, std::chrono::seconds(5)),
      "the channel made private still answers without a key");
  BOOST_TEST(Get(server.port(), last + "?api_key=" + channel.read_key).status == 200);
  // A new read key: the old one stops working, the new one reads.
  BOOST_REQUIRE(Get(server.port(), last + "?api_key=" + channel.read_key).status == 200);
  RunFieldpost({"channel", "keys", id, "--regenerate", "read"}, database);
  const ChannelKeys changed = ListChannels(database).front();
  BOOST_TEST(WaitFor(
      [&] { return Get(server.port(), last + "?api_key=" + channel.read_key).status != 200; },
      std::chrono::seconds(5)));
  BOOST_TEST(Get(server.port(), last + "?api_key=" + changed.read_key).status == 200);
}

// PostgreSQL's text cannot hold a NUL byte, and libpq would cut a value at
// one: the API refuses one in a value or a station with a reason, and
// nothing is stored.
BOOST_AUTO_TEST_CASE(a_nul_byte_in_a_value_is_refused_and_stores_nothing) {
  TempDir dir;
  const std::string database = FreshDatabase();
  const ChannelKeys channel = CreateChannel(database, "nul", {"--public"});
  ServeProcess server(dir, {"--database", database});
  CreateUser(database, "nul", "NULUSER1");
  for (const std::string& target :
       {"/update?api_key=" + channel.write_key + "&field1=1%002",
        "/update?api_key=" + channel.write_key + "&status=a%00b",
        std::string("/update/API_key=NULUSER1/mac=aa%00bb/field=1/data=3")}) {
    const HttpReply reply = Get(server.port(), target);
    BOOST_TEST(reply.status == 400, target << ": " << reply.raw.substr(0, 300));
    BOOST_TEST(!reply.Header("X-Fieldpost-Error").empty(), reply.raw);
  }
  BOOST_TEST(ListChannels(database).size() == 1u);  // no station channel made
  BOOST_TEST(ListChannels(database).front().last_entry_id == 0u);
  BOOST_TEST(Get(server.port(), "/update?api_key=" + channel.write_key + "&field1=3").body == "1");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
