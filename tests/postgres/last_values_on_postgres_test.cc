// Servers on PostgreSQL keep channels' last values in memory
// (storage/postgres/last_values.h). A server answers its own writes at
// once; a change made elsewhere (another server, an admin command) reaches
// it through the database's announcement, well before a kept value's
// lifetime would have ended it.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>

#include "storage/postgres/last_values.h"
#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/postgres/shared_postgres.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"

namespace fieldpost::testing {
namespace {

// Less than half a kept value's lifetime: a change seen within it was
// announced, not outlived.
constexpr std::chrono::milliseconds kAnnounced = kLastValueLifetime / 3;

BOOST_AUTO_TEST_SUITE(last_values_on_postgres)

BOOST_AUTO_TEST_CASE(a_server_answers_with_its_own_write_at_once) {
  TempDir dir;
  const std::string database = FreshDatabase();
  const ChannelKeys channel = CreateChannel(database, "station", {"--public"});
  ServeProcess server(dir, {"--database", database});
  const std::string last = "/channels/" + std::to_string(channel.id) + "/fields/1/last.txt";
  for (int value = 1; value <= 20; ++value) {
    OkBody(server.port(), last);  // kept
    const std::string v = std::to_string(value);
    BOOST_REQUIRE(OkBody(server.port(), "/update?api_key=" + channel.write_key + "&field1=" + v) !=
                  "0");
    BOOST_TEST(OkBody(server.port(), last) == v);
  }
}

BOOST_AUTO_TEST_CASE(another_server_sees_a_write_once_it_is_announced) {
  TempDir dir_a, dir_b;
  const std::string database = FreshDatabase();
  const ChannelKeys channel = CreateChannel(database, "station", {"--public"});
  ServeProcess a(dir_a, {"--database", database});
  ServeProcess b(dir_b, {"--database", database});
  const std::string last = "/channels/" + std::to_string(channel.id) + "/fields/1/last.txt";
  for (int value = 1; value <= 10; ++value) {
    OkBody(b.port(), last);  // kept by b
    const std::string v = std::to_string(value);
    BOOST_REQUIRE(OkBody(a.port(), "/update?api_key=" + channel.write_key + "&field1=" + v) != "0");
    BOOST_TEST(WaitFor([&] { return OkBody(b.port(), last) == v; }, kAnnounced),
               "b still answers " << OkBody(b.port(), last) << " for " << v);
  }
}

// A change no fieldpost announced (here, rows written with SQL by hand; in
// life, an announcement lost with a connection) is read again in the
// background once the kept value passes its lifetime: seen within about
// that, not only once the value is given no more (kLastValueLongest).
BOOST_AUTO_TEST_CASE(an_unannounced_change_is_read_again_after_a_lifetime) {
  TempDir dir;
  const std::string database = FreshDatabase();
  const ChannelKeys channel = CreateChannel(database, "station", {"--public"});
  ServeProcess server(dir, {"--database", database});
  const std::string last = "/channels/" + std::to_string(channel.id) + "/fields/1/last.txt";
  // Both entries by hand: a write through the server would be announced,
  // and its announcement, heard after the read below, would drop the kept
  // value early.
  const auto write_by_hand = [&](int entry) {
    const std::string id = std::to_string(channel.id), n = std::to_string(entry);
    SharedPostgres().Psql(
        database.substr(database.rfind('/') + 1),
        "UPDATE fieldpost_channels SET last_entry_id = " + n + " WHERE id = " + id +
            "; INSERT INTO fieldpost_entries (channel_id, entry_id, created_at, field1) VALUES (" +
            id + ", " + n + ", now(), '" + n + "')");
  };
  write_by_hand(1);
  BOOST_REQUIRE(OkBody(server.port(), last) == "1");  // kept
  write_by_hand(2);
  BOOST_TEST(OkBody(server.port(), last) == "1", "an unannounced change is not seen at once");
  const auto changed = std::chrono::steady_clock::now();
  BOOST_TEST(WaitFor([&] { return OkBody(server.port(), last) == "2"; },
                     kLastValueLongest - kLastValueLifetime),
             "still " << OkBody(server.port(), last));
  BOOST_TEST_MESSAGE("seen after " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now() - changed)
                                          .count()
                                   << " ms");
}

BOOST_AUTO_TEST_CASE(a_bulk_update_and_a_clear_reach_another_server) {
  TempDir dir_a, dir_b;
  const std::string database = FreshDatabase();
  const ChannelKeys channel = CreateChannel(database, "station", {"--public"});
  const std::string id = std::to_string(channel.id);
  ServeProcess a(dir_a, {"--database", database});
  ServeProcess b(dir_b, {"--database", database});
  const std::string last = "/channels/" + id + "/fields/1/last.txt";
  BOOST_REQUIRE(OkBody(a.port(), "/update?api_key=" + channel.write_key + "&field1=1") != "0");
  BOOST_REQUIRE(WaitFor([&] { return OkBody(b.port(), last) == "1"; }, kAnnounced));

  const HttpReply bulk = Post(a.port(), "/channels/" + id + "/bulk_update.json",
                              R"({"write_api_key":")" + channel.write_key +
                                  R"(","updates":[{"created_at":"2030-01-01T00:00:00Z",)"
                                  R"("field1":"bulk"}]})",
                              {}, "application/json");
  BOOST_REQUIRE_MESSAGE(bulk.status == 202, bulk.raw);
  BOOST_TEST(WaitFor([&] { return OkBody(b.port(), last) == "bulk"; }, kAnnounced),
             "b still answers " << OkBody(b.port(), last));

  const std::string before_clear = OkBody(b.port(), last);
  RunFieldpost({"channel", "clear", id, "--yes"}, database);
  BOOST_TEST(WaitFor([&] { return Get(b.port(), last).body != before_clear; }, kAnnounced),
             "b still answers " << OkBody(b.port(), last) << " after the clear");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
