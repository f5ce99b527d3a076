// Losing the database's machine: a primary and a synchronous standby
// (docs/deploy/postgresql.md), two frontends on a multi-host URI. The
// primary is lost under write load and the standby promoted: the
// frontends answer 503 meanwhile, then write to the new primary without a
// restart, and every write acknowledged before, during and after is there.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <functional>
#include <thread>

#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/integration/write_load.h"
#include "tests/postgres/write_clients.h"
#include "tests/support/network_island.h"
#include "tests/support/postgres_server.h"

namespace fieldpost::testing {
namespace {

// Writes through two frontends while `lose` takes the primary away, then
// promotes the standby and checks every acknowledged write is on it.
void TakeOverUnderLoad(PostgresServer& primary, const std::function<void()>& lose) {
  primary.CreateDatabase("site");
  const ChannelKeys channel = CreateChannel(primary.Uri("site"), "station", {"--public"});
  auto standby = PostgresServer::StandbyOf(primary, "standby1");
  // Synchronous from here: a commit returns once the standby has it.
  primary.Psql("postgres", "ALTER SYSTEM SET synchronous_standby_names = 'standby1'");
  primary.Psql("postgres", "SELECT pg_reload_conf()");
  BOOST_REQUIRE_MESSAGE(
      WaitFor(
          [&] {
            return primary.Psql("postgres", "SELECT sync_state FROM pg_stat_replication") == "sync";
          },
          std::chrono::seconds(30)),
      "the standby did not become synchronous: " << standby->log());

  const std::string uri = "postgresql://fieldpost:" + std::string(PostgresServer::kPassword) + "@" +
                          primary.host() + ":" + std::to_string(primary.port()) +
                          ",127.0.0.1:" + std::to_string(standby->port()) +
                          "/site?target_session_attrs=read-write";
  TempDir dir;
  ServeProcess first(dir, {"--database", uri});
  ServeProcess second(dir, {"--database", uri});
  WriteClients clients({first.port(), second.port()}, 4, channel.write_key);
  BOOST_REQUIRE(clients.WaitForAcknowledged(300, std::chrono::seconds(30)));

  lose();
  const int before = clients.acknowledged();
  BOOST_TEST(clients.WaitForUnavailable(10, std::chrono::seconds(30)),
             "no 503 while there was no primary");
  standby->Promote();
  const bool resumed = clients.WaitForAcknowledged(before + 300, std::chrono::seconds(60));
  const std::vector<Write> acknowledged = clients.Stop();
  BOOST_TEST(resumed, "writes did not resume on the promoted standby");
  BOOST_TEST(clients.other() == 0, "replies other than 200 and 503");
  BOOST_TEST_MESSAGE(acknowledged.size()
                     << " writes acknowledged, " << clients.unavailable() << " answered 503");
  // Read back from the new primary, through the same multi-host URI.
  RequireEveryWriteStored(uri, channel.id, acknowledged);
}

BOOST_AUTO_TEST_SUITE(failover)

BOOST_AUTO_TEST_CASE(a_promoted_standby_takes_over_with_every_acknowledged_write) {
  // The kernel closes a killed server's connections: the frontends learn
  // of the loss at once.
  PostgresServer primary;
  TakeOverUnderLoad(primary, [&] { primary.Kill(); });
}

BOOST_AUTO_TEST_CASE(a_primary_that_falls_silent_is_given_up_on) {
  // A machine that loses power or its network says nothing: the frontends
  // must notice the silence themselves, within seconds, not the kernel's
  // quarter of an hour.
  if (!NetworkIsland::Available()) {
    BOOST_TEST_MESSAGE("skipped: making a network namespace needs root");
    return;
  }
  NetworkIsland island;
  // wal_sender_timeout: the cut-off server, stopped at the end, would wait
  // a minute for the standby it can no longer reach.
  PostgresServer primary({"wal_sender_timeout = '5s'"}, &island);
  TakeOverUnderLoad(primary, [&] { island.Cut(); });
  primary.Kill();
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
