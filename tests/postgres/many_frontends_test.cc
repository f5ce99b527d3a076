// Several frontends on one database: concurrent writers of one channel,
// a frontend killed mid-write, and the database itself stopped under load.
// Every write acknowledged is stored, once, under its entry id, and entry
// ids stay gapless.
#include <signal.h>

#include <boost/test/unit_test.hpp>

#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/integration/write_load.h"
#include "tests/postgres/shared_postgres.h"
#include "tests/postgres/write_clients.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(many_frontends)

BOOST_AUTO_TEST_CASE(two_servers_writing_one_channel_keep_ids_gapless) {
  TempDir dir;
  const std::string database = FreshDatabase();
  const ChannelKeys channel = CreateChannel(database, "shared", {"--public"});
  ServeProcess first(dir, {"--database", database});
  ServeProcess second(dir, {"--database", database});
  constexpr int kClientsEach = 8, kRequests = 150;
  WriteClients clients({first.port(), second.port()}, kClientsEach, channel.write_key, kRequests);
  const std::vector<Write> acknowledged = clients.Finish();
  BOOST_TEST(acknowledged.size() == std::size_t{2 * kClientsEach * kRequests});
  BOOST_TEST(clients.other() == 0);
  RequireEveryWriteStored(database, channel.id, acknowledged);
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
  WriteClients clients({server.port()}, 8, channel.write_key);
  BOOST_REQUIRE(clients.WaitForAcknowledged(200, std::chrono::seconds(30)));
  postgres.Stop();
  const int before_outage = clients.acknowledged();
  BOOST_TEST(clients.WaitForUnavailable(20, std::chrono::seconds(30)),
             "no 503 while the database was down");
  // Reads and /health say so too, briefly: no host or URI of the site's
  // network in a reply.
  // (/health reads a channel record a server may hold in memory until it
  // notices the database gone, a moment after the writers do.)
  for (const std::string& path :
       {std::string("/health"), "/channels/" + std::to_string(channel.id) + "/feeds.json"}) {
    HttpReply reply;
    BOOST_TEST(WaitFor(
                   [&] {
                     reply = Get(server.port(), path);
                     return reply.status == 503;
                   },
                   std::chrono::seconds(10)),
               path << ": " << reply.raw.substr(0, 300));
    BOOST_TEST(reply.raw.find("127.0.0.1") == std::string::npos, reply.raw.substr(0, 500));
    BOOST_TEST(reply.raw.find("postgresql") == std::string::npos, reply.raw.substr(0, 500));
  }
  postgres.Start();
  const bool resumed = clients.WaitForAcknowledged(before_outage + 200, std::chrono::seconds(60));
  const std::vector<Write> acknowledged = clients.Stop();
  BOOST_TEST(resumed, "writes did not resume once the database was back");
  BOOST_TEST(clients.other() == 0);
  BOOST_TEST_MESSAGE(acknowledged.size()
                     << " writes acknowledged, " << clients.unavailable() << " answered 503");
  BOOST_TEST(server.log().find(PostgresServer::kPassword) == std::string::npos);
  RequireEveryWriteStored(database, channel.id, acknowledged);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
