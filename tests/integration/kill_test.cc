// `kill -9` in the middle of writes, for both frontends: every write that
// was acknowledged (200 with an entry id) is stored under that id, and the
// channel's entry ids run 1..N without gaps.
#include <signal.h>
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "tests/integration/cli.h"
#include "tests/integration/nginx_fixture.h"
#include "tests/integration/serve_fixture.h"
#include "tests/integration/write_load.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

// SIGKILLs `victim` while writes are in flight and checks it died of it.
std::vector<Write> WriteUntilKilled(std::uint16_t port, const std::string& write_key,
                                    Process& victim) {
  std::vector<Write> writes = WriteUntilStruck(port, write_key, [&] { victim.Signal(SIGKILL); });
  const auto status = victim.Wait(std::chrono::seconds(10));
  BOOST_REQUIRE_MESSAGE(status.has_value(), "the killed process did not end");
  BOOST_TEST((WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL),
             "it had ended before the kill");
  return writes;
}

BOOST_AUTO_TEST_SUITE(kill_midwrite)

BOOST_AUTO_TEST_CASE(serve) {
  TempDir dir;
  const ChannelKeys channel = CreateChannel(dir / "data", "killed", {"--public"});
  std::vector<Write> acknowledged;
  {
    ServeProcess server(dir);
    acknowledged = WriteUntilKilled(server.port(), channel.write_key, server.process());
  }
  RequireEveryWriteStored(dir / "data", channel.id, acknowledged);
}

BOOST_AUTO_TEST_CASE(fcgi) {
  NginxFcgiFixture nginx;
  const ChannelKeys channel = CreateChannel(nginx.data_dir(), "killed", {"--public"});
  const std::vector<Write> acknowledged =
      WriteUntilKilled(nginx.port(), channel.write_key, nginx.responder(0));
  RequireEveryWriteStored(nginx.data_dir(), channel.id, acknowledged);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
