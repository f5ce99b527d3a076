// What the API scenario does not reach, on PostgreSQL: the channel API
// (bulk updates, PUT, clearing and deleting through HTTP) and the admin
// commands that change users and owners.
#include <boost/test/unit_test.hpp>

#include "tests/integration/channel_api_scenario.h"
#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/postgres/shared_postgres.h"
#include "tests/support/http_client.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(admin_on_postgres)

BOOST_AUTO_TEST_CASE(the_channel_api_scenario) {
  TempDir dir;
  const std::string database = FreshDatabase();
  ServeProcess server(dir, {"--database", database});
  RunChannelApi(server.port(), database);
}

BOOST_AUTO_TEST_CASE(users_owners_keys_clear_and_delete) {
  const std::string database = FreshDatabase();
  std::string out;
  CreateUser(database, "alice", "ALICEKEY");
  CreateUser(database, "bob");
  TempDir dir;
  ServeProcess server(dir, {"--database", database});
  // A station's channel, made by alice's key.
  BOOST_REQUIRE(Get(server.port(), "/update/API_key=ALICEKEY/mac=aa:bb/field=1/data=1").body ==
                "1");
  const ChannelKeys station = ListChannels(database).front();
  const std::string id = std::to_string(station.id);

  // alice owns a channel: she cannot be deleted.
  BOOST_TEST(TryFieldpost({"user", "delete", "alice", "--yes"}, database, out) != 0);
  BOOST_TEST(out.find("owns channels " + id) != std::string::npos, out);
  // The station moves with its channel: bob's key now writes to it.
  RunFieldpost({"channel", "update", id, "--owner", "bob"}, database);
  const std::string bob = RunFieldpost({"user", "key", "bob", "--regenerate", "--json"}, database);
  const std::size_t at = bob.find("\"api_key\":\"") + 11;
  const std::string new_bob_key = bob.substr(at, bob.find('"', at) - at);
  BOOST_REQUIRE(!new_bob_key.empty());
  BOOST_TEST(
      Get(server.port(), "/update/API_key=" + new_bob_key + "/mac=aa:bb/field=1/data=2").body ==
      "2");
  // alice's key no longer finds a channel for that station: it makes a new one.
  BOOST_TEST(Get(server.port(), "/update/API_key=ALICEKEY/mac=aa:bb/field=1/data=3").body == "1");
  BOOST_TEST(ListChannels(database).size() == 2u);
  // Giving alice's new station channel to bob is refused: he has one.
  const std::string second = std::to_string(ListChannels(database).back().id);
  BOOST_TEST(TryFieldpost({"channel", "update", second, "--owner", "bob"}, database, out) != 0);
  BOOST_TEST(out.find("has a channel of station aa:bb already") != std::string::npos, out);

  // Clear restarts ids at 1; delete removes the channel and its keys.
  RunFieldpost({"channel", "clear", id, "--yes"}, database);
  BOOST_TEST(ListChannels(database).front().last_entry_id == 0u);
  BOOST_TEST(
      Get(server.port(), "/update/API_key=" + new_bob_key + "/mac=aa:bb/field=1/data=4").body ==
      "1");
  RunFieldpost({"channel", "delete", second, "--yes"}, database);
  RunFieldpost({"channel", "delete", id, "--yes"}, database);
  BOOST_TEST(ListChannels(database).empty());
  BOOST_TEST(Get(server.port(), "/update?api_key=" + station.write_key + "&field1=5").body == "0");
  RunFieldpost({"user", "delete", "alice", "--yes"}, database);
  BOOST_TEST(TryFieldpost({"user", "show", "alice"}, database, out) != 0);
  BOOST_TEST(out.find("user 'alice' not found") != std::string::npos, out);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
