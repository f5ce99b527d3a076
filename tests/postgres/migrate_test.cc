// `fieldpost migrate`: a data directory with a few thousand entries across
// channels moved into an empty database answers every request and exports
// every channel exactly as before; a database with data is refused.
#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "core/time_format.h"
#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/postgres/shared_postgres.h"
#include "tests/support/http_client.h"

namespace fieldpost::testing {
namespace {

// Rows for `fieldpost import`: `count` readings a minute apart, some with
// a second field, a status or a position, and some back-dated.
std::string Readings(int count, int salt) {
  std::string csv = "created_at,entry_id,field1,field2,latitude,longitude,status\n";
  for (int i = 0; i < count; ++i) {
    const int minute = i % 7 == 3 ? i - 500 : i;  // back-dated rows among them
    const long seconds = 1700000000L + salt * 86400L + minute * 60L;
    csv += FormatIso8601(Timestamp(std::chrono::seconds(seconds))) + ",," +
           std::to_string(salt * 1000 + i) + "," + (i % 2 ? std::to_string(i % 13) : "") + "," +
           (i % 50 == 0 ? "52.5,13.4" : ",") + "," +
           (i % 100 == 0 ? "\"ok, \"\"quoted\"\"\"" : "") + "\n";
  }
  return csv;
}

std::vector<std::string> Replies(std::uint16_t port, const std::vector<std::string>& targets) {
  std::vector<std::string> replies;
  for (const std::string& target : targets) {
    HttpReply reply =
        SendRaw(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    replies.push_back(reply.raw.substr(0, reply.raw.find("\r\nDate:")) +
                      reply.raw.substr(reply.raw.find("\r\n", reply.raw.find("\r\nDate:") + 2)));
  }
  return replies;
}

std::string Export(const std::string& location, unsigned channel) {
  return RunFieldpost({"export", "--channel", std::to_string(channel)}, location);
}

BOOST_AUTO_TEST_SUITE(migrate)

BOOST_AUTO_TEST_CASE(a_data_directory_moves_into_a_database_unchanged) {
  TempDir dir;
  const std::string data = dir / "data";
  std::filesystem::create_directories(data);
  const std::string alice = CreateUser(data, "alice", "ALICEKEY");
  CreateUser(data, "bob");
  std::vector<ChannelKeys> channels = {
      CreateChannel(data, "public", {"--public", "--user", "alice", "--field1", "Temperature"}),
      CreateChannel(data, "private", {"--user", "bob", "--retention-days", "3650"}),
      CreateChannel(data, "gone"),
      CreateChannel(data, "many", {"--public"}),
  };
  RunFieldpost({"channel", "delete", std::to_string(channels[2].id), "--yes"}, data);
  channels.erase(channels.begin() + 2);
  for (std::size_t i = 0; i < channels.size(); ++i) {
    WriteFile(dir / "rows.csv", Readings(i == 2 ? 2500 : 600, static_cast<int>(i)));
    RunFieldpost({"import", "--channel", std::to_string(channels[i].id), dir / "rows.csv"}, data);
  }
  std::vector<std::string> targets = {"/channels/public.json", "/users/alice/channels.json",
                                      "/users/alice/channels.json?api_key=ALICEKEY"};
  {
    // A station's channel, made by its first reading.
    ServeProcess lmdb(dir);
    BOOST_REQUIRE(Get(lmdb.port(), "/update/API_key=ALICEKEY/mac=aa:bb:cc/field=1/data=7").status ==
                  200);
  }
  channels = ListChannels(data);
  for (const ChannelKeys& channel : channels) {
    const std::string c = "/channels/" + std::to_string(channel.id);
    const std::string key = "api_key=" + channel.read_key;
    for (const std::string& read :
         {c + ".json?" + key, c + "/feeds.json?results=8000&" + key,
          c + "/feeds.csv?results=100&" + key, c + "/feeds/last.json?" + key,
          c + "/fields/1/last.txt?" + key, c + "/fields/2.json?results=5&" + key,
          c + "/feeds.json?start=2023-11-15%2000:00:00&end=2023-11-16%2000:00:00&" + key,
          c + "/feeds/2.json?" + key}) {
      targets.push_back(read);
    }
  }
  std::vector<std::string> before, exports_before;
  {
    ServeProcess lmdb(dir);
    before = Replies(lmdb.port(), targets);
  }
  for (const ChannelKeys& channel : channels) exports_before.push_back(Export(data, channel.id));

  const std::string database = FreshDatabase();
  const std::string out =
      RunFieldpost({"migrate", "--from-data", data, "--to-database", database, "--json"}, "");
  BOOST_TEST(out.find("\"users\":2") != std::string::npos, out);
  BOOST_TEST(out.find("\"entries\":3701") != std::string::npos, out);

  TempDir pg_dir;
  ServeProcess pg(pg_dir, {"--database", database});
  const std::vector<std::string> after = Replies(pg.port(), targets);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    BOOST_TEST(after[i] == before[i], "for " << targets[i]);
  }
  for (std::size_t i = 0; i < channels.size(); ++i) {
    BOOST_TEST(Export(database, channels[i].id) == exports_before[i],
               "export of channel " << channels[i].id);
  }
  // The deleted channel's id is not given again.
  BOOST_TEST(CreateChannel(database, "new").id == 6u);

  // A database that holds data is refused, and keeps it.
  std::string refused;
  BOOST_TEST(
      TryFieldpost({"migrate", "--from-data", data, "--to-database", database}, "", refused) != 0);
  BOOST_TEST(refused.find("holds users, channels or entries already") != std::string::npos,
             refused);
  BOOST_TEST(refused.find(PostgresServer::kPassword) == std::string::npos, refused);
  BOOST_TEST(ListChannels(database).size() == channels.size() + 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
