// The same requests to `fieldpost serve` on LMDB and on PostgreSQL, with
// the same data written the same way: every reply must be the same byte
// for byte, once each store's own keys and creation times are named alike.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <regex>

#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/postgres/shared_postgres.h"
#include "tests/support/http_client.h"

namespace fieldpost::testing {
namespace {

struct Side {
  std::string store;  // data directory or database URI
  std::uint16_t port = 0;
  ChannelKeys open{}, locked{}, station{};
};

std::string Request(const std::string& method, const std::string& target,
                    const std::vector<std::string>& headers = {}) {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const std::string& header : headers) request += header + "\r\n";
  return request + "Connection: close\r\n\r\n";
}

// What differs between the two by nature: Date, the keys each store drew,
// and the second each channel was made in.
std::string Comparable(const Side& side, const std::string& raw) {
  std::string text = std::regex_replace(raw, std::regex("\r\nDate: [^\r]*"), "");
  const auto name = [&](const std::string& value, const std::string& as) {
    for (std::size_t at = text.find(value); !value.empty() && at != std::string::npos;
         at = text.find(value, at + as.size())) {
      text.replace(at, value.size(), as);
    }
  };
  name(side.open.write_key, "OPEN_WRITE_KEY");
  name(side.open.read_key, "OPEN_READ_KEY");
  name(side.locked.write_key, "LOCKED_WRITE_KEY");
  name(side.locked.read_key, "LOCKED_READ_KEY");
  name(side.station.write_key, "STATION_WRITE_KEY");
  name(side.station.read_key, "STATION_READ_KEY");
  // Channel creation times: every time not of an entry (entries are
  // written in 2024 below).
  return std::regex_replace(text, std::regex("20[2-9][5-9]-[0-9-]+T[0-9:]+Z"), "CREATED");
}

// The data both sides get: two channels of a user with a fixed key, and
// readings at given times.
void Fill(Side& side) {
  CreateUser(side.store, "seed", "SEEDKEY123");
  side.open =
      CreateChannel(side.store, "open", {"--public", "--user", "seed", "--field1", "Temperature"});
  side.locked = CreateChannel(side.store, "locked", {"--user", "seed"});
  for (const ChannelKeys* channel : {&side.open, &side.locked}) {
    for (int minute = 0; minute < 5; ++minute) {
      const HttpReply written =
          Get(side.port, "/update?api_key=" + channel->write_key + "&field1=2" +
                             std::to_string(minute) + ".5&field2=" + std::to_string(minute % 2) +
                             "&status=s" + std::to_string(minute) + "&created_at=2024-03-0" +
                             std::to_string(minute + 1) + "T10:00:00Z");
      BOOST_REQUIRE_MESSAGE(written.status == 200 && written.body != "0", written.raw);
    }
  }
  const HttpReply station =
      Get(side.port, "/update/API_key=SEEDKEY123/mac=6c:rf:7f:2b:0e:g8/field=1/data=72.3");
  BOOST_REQUIRE(station.status == 200);
  for (const ChannelKeys& channel : ListChannels(side.store)) {
    if (!channel.station.empty()) side.station = channel;
  }
  BOOST_REQUIRE(!side.station.write_key.empty());
}

BOOST_AUTO_TEST_SUITE(same_replies_as_lmdb)

BOOST_AUTO_TEST_CASE(every_reply_matches) {
  TempDir dir_lmdb, dir_pg;
  Side lmdb, pg;
  lmdb.store = dir_lmdb / "data";
  pg.store = FreshDatabase();
  ServeProcess lmdb_server(dir_lmdb);
  ServeProcess pg_server(dir_pg, {"--database", pg.store});
  lmdb.port = lmdb_server.port();
  pg.port = pg_server.port();
  Fill(lmdb);
  Fill(pg);
  BOOST_REQUIRE(lmdb.open.id == pg.open.id && lmdb.locked.id == pg.locked.id);

  const std::string o = "/channels/" + std::to_string(lmdb.open.id);
  const std::string l = "/channels/" + std::to_string(lmdb.locked.id);
  const std::vector<std::pair<std::string, std::string>> reads = {
      {"GET", o + "/feeds.json"},
      {"GET", o + "/feeds.json?results=2"},
      {"GET", o + "/feeds.json?start=2024-03-02%2000:00:00&end=2024-03-04%2010:00:00"},
      {"GET", o + "/feeds.json?min=21&max=23.5"},
      {"GET", o + "/feeds.xml?results=3"},
      {"GET", o + "/feeds.csv"},
      {"GET", o + "/feeds.json?average=1440"},
      {"GET", o + "/fields/1/last.txt"},
      {"GET", o + "/fields/2.json?results=2"},
      {"GET", o + "/fields/3/last.json"},
      {"GET", o + "/feeds/last.json?timezone=Europe%2FBerlin"},
      {"GET", o + "/feeds/2.json"},
      {"GET", o + "/feeds/99.json"},
      {"GET", o + "/feeds/last_data_age.json"},
      {"GET", o + "/status.json"},
      {"GET", o + ".json"},
      {"GET", "/channels/public.json"},
      {"GET", "/users/seed/channels.json"},
      {"GET", "/users/seed/channels.json?api_key=SEEDKEY123"},
      {"GET", "/channels/3/feeds.json"},
      {"GET", l + "/feeds.json"},
      {"GET", l + "/feeds.json?api_key=LOCKED_READ_KEY"},
      {"GET", l + "/fields/1/last.txt?api_key=LOCKED_READ_KEY"},
      {"GET", "/channels/999/feeds.json"},
      {"GET", "/update?api_key=WRONG&field1=1"},
      {"GET", "/update?api_key=OPEN_READ_KEY&field1=1"},
      {"GET", "/update?api_key=OPEN_WRITE_KEY&field1=1&created_at=2024-03-01T10:00:00Z"},
      {"GET", "/update?api_key=OPEN_WRITE_KEY&field1=%FF"},
      // A NUL byte in a key: no key has one, on either store.
      {"GET", "/update?api_key=OPEN_WRITE_KEY%00x&field1=1"},
      {"GET", l + "/feeds.json?api_key=LOCKED_READ_KEY%00"},
      {"GET", "/update?api_key=OPEN_WRITE_KEY&field1=9&created_at=2024-02-01T00:00:00Z"},
      {"GET", o + "/feeds.json?results=3"},
      {"GET", o + "/fields/1/last.txt"},
  };
  for (const auto& [method, target] : reads) {
    std::string replies[2];
    for (Side* side : {&lmdb, &pg}) {
      std::string real = target;
      const auto put = [&](const std::string& name, const std::string& key) {
        if (const std::size_t at = real.find(name); at != std::string::npos) {
          real.replace(at, name.size(), key);
        }
      };
      put("OPEN_WRITE_KEY", side->open.write_key);
      put("OPEN_READ_KEY", side->open.read_key);
      put("LOCKED_READ_KEY", side->locked.read_key);
      replies[side == &pg] = Comparable(*side, SendRaw(side->port, Request(method, real)).raw);
    }
    const auto differ =
        std::mismatch(replies[0].begin(), replies[0].end(), replies[1].begin(), replies[1].end());
    const std::size_t at = static_cast<std::size_t>(differ.first - replies[0].begin());
    BOOST_TEST(replies[1] == replies[0],
               "for " << method << " " << target << " from byte " << at << "\nLMDB:\n"
                      << replies[0].substr(at > 200 ? at - 200 : 0, 400) << "\nPostgreSQL:\n"
                      << replies[1].substr(at > 200 ? at - 200 : 0, 400));
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
