// Several frontends on one database: concurrent writers of one channel,
// a frontend killed mid-write, and the database itself stopped under load.
// Every write acknowledged is stored, once, under its entry id, and entry
// ids stay gapless.
#include <signal.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <thread>

#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/integration/write_load.h"
#include "tests/postgres/shared_postgres.h"
#include "tests/support/http_connection.h"

namespace fieldpost::testing {
namespace {

// Replies seen by writers, by kind.
struct Tally {
  std::atomic<int> acknowledged{0};
  std::atomic<int> unavailable{0};  // 503
  std::atomic<int> other{0};        // anything else: a bug
};

// One kept-alive client writing field1 = `prefix`-N until `stop` or
// `requests` are done; acknowledged writes go to `writes`.
void Client(std::uint16_t port, const std::string& key, const std::string& prefix, int requests,
            const std::atomic<bool>& stop, Tally& tally, std::vector<Write>& writes) {
  std::optional<HttpConnection> connection;
  for (int i = 0; i < requests && !stop; ++i) {
    if (!connection) connection.emplace(port);
    const std::string value = prefix + std::to_string(i);
    if (!connection->Send("GET /update?api_key=" + key + "&field1=" + value +
                          " HTTP/1.1\r\nHost: x\r\n\r\n")) {
      connection.reset();
      continue;
    }
    const auto reply = connection->ReadReply();
    if (!reply) {
      connection.reset();
      continue;
    }
    if (reply->status == 200 && reply->body != "0") {
      writes.push_back({value, reply->body});
      ++tally.acknowledged;
    } else if (reply->status == 503) {
      ++tally.unavailable;
    } else {
      ++tally.other;
      BOOST_TEST_MESSAGE("unexpected reply: " << reply->raw.substr(0, 300));
    }
    if (reply->Header("Connection") == "close") connection.reset();
  }
}

std::vector<Write> Joined(std::vector<std::vector<Write>>& per_client) {
  std::vector<Write> all;
  for (auto& writes : per_client) all.insert(all.end(), writes.begin(), writes.end());
  return all;
}

BOOST_AUTO_TEST_SUITE(many_frontends)

BOOST_AUTO_TEST_CASE(two_servers_writing_one_channel_keep_ids_gapless) {
  TempDir dir;
  const std::string database = FreshDatabase();
  const ChannelKeys channel = CreateChannel(database, "shared", {"--public"});
  ServeProcess first(dir, {"--database", database});
  ServeProcess second(dir, {"--database", database});
  constexpr int kClientsEach = 8, kRequests = 150;
  std::vector<std::vector<Write>> per_client(2 * kClientsEach);
  std::atomic<bool> stop{false};
  Tally tally;
  std::vector<std::thread> clients;
  for (int c = 0; c < 2 * kClientsEach; ++c) {
    const std::uint16_t port = c < kClientsEach ? first.port() : second.port();
    clients.emplace_back([&, c, port] {
      Client(port, channel.write_key, std::to_string(c) + "-", kRequests, stop, tally,
             per_client[c]);
    });
  }
  for (std::thread& client : clients) client.join();
  BOOST_TEST(tally.acknowledged.load() == 2 * kClientsEach * kRequests);
  BOOST_TEST(tally.other.load() == 0);
  RequireEveryWriteStored(database, channel.id, Joined(per_client));
}

BOOST_AUTO_TEST_CASE(a_killed_frontend_loses_no_acknowledged_write) {
  TempDir dir;
  const std::string database = FreshDatabase();
  const ChannelKeys channel = CreateChannel(database, "killed", {"--public"});
  ServeProcess server(dir, {"--database", database});
  const std::vector<Write> acknowledged =
      WriteUntilStruck(server.port(), channel.write_key, [&] { server.process().Signal(SIGKILL); });
  RequireEveryWriteStored(database, channel.id, acknowledged);
}

BOOST_AUTO_TEST_CASE(the_database_stopped_under_load_gives_503_then_service_resumes) {
  // A server of its own: this test stops it.
  PostgresServer postgres;
  const std::string database = postgres.CreateDatabase("outage");
  TempDir dir;
  const ChannelKeys channel = CreateChannel(database, "outage", {"--public"});
  ServeProcess server(dir, {"--database", database});
  constexpr int kClients = 8;
  std::vector<std::vector<Write>> per_client(kClients);
  std::atomic<bool> stop{false};
  Tally tally;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      Client(server.port(), channel.write_key, std::to_string(c) + "-", 1000000, stop, tally,
             per_client[c]);
    });
  }
  BOOST_REQUIRE(WaitFor([&] { return tally.acknowledged.load() > 200; }, std::chrono::seconds(30)));
  postgres.Stop();
  const int before_outage = tally.acknowledged.load();
  BOOST_TEST(WaitFor([&] { return tally.unavailable.load() > 20; }, std::chrono::seconds(30)),
             "no 503 while the database was down");
  postgres.Start();
  const bool resumed = WaitFor([&] { return tally.acknowledged.load() > before_outage + 200; },
                               std::chrono::seconds(60));
  stop = true;
  for (std::thread& client : clients) client.join();
  BOOST_TEST(resumed, "writes did not resume once the database was back");
  BOOST_TEST(tally.other.load() == 0);
  BOOST_TEST(server.log().find(PostgresServer::kPassword) == std::string::npos);
  RequireEveryWriteStored(database, channel.id, Joined(per_client));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
