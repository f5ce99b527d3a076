// `fieldpost serve` stopping and reopening its log the ways service
// managers and logrotate make it: SIGTERM under load and with idle
// kept-alive connections, SIGHUP.
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/http_connection.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

// Whether every thread of `pid` sleeps (state S in /proc/PID/task/*/stat).
bool AllThreadsAsleep(pid_t pid) {
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  std::error_code error;
  int threads = 0;
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    const std::string stat = ReadFile(task.path() / "stat");
    // "TID (COMM) STATE ...": the state follows the last ')'.
    const std::size_t close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] != 'S') {
      return false;
    }
    ++threads;
  }
  return !error && threads > 0;
}

void RequireCleanExit(ServeProcess& server, std::chrono::milliseconds within) {
  const auto status = server.process().Wait(within);
  BOOST_REQUIRE_MESSAGE(status.has_value(), "serve did not exit in time: " << server.log());
  BOOST_TEST(WIFEXITED(*status));
  BOOST_TEST(WEXITSTATUS(*status) == 0);
}

BOOST_AUTO_TEST_SUITE(serve_shutdown)

// A client whose write ran but got no reply sends it again: a duplicate.
// So every write the server stored must have been answered.
BOOST_AUTO_TEST_CASE(every_write_that_ran_got_its_reply) {
  TempDir dir;
  const ChannelKeys channel = CreateChannel(dir / "data", "drain", {"--public"});
  std::atomic<long> acknowledged{0};
  {
    ServeProcess server(dir);
    std::vector<std::thread> clients;
    for (int c = 0; c < 24; ++c) {
      clients.emplace_back([&, c] {
        HttpConnection connection(server.port());
        for (int i = 0;; ++i) {
          const std::string request = "GET /update?api_key=" + channel.write_key +
                                      "&field1=" + std::to_string(c * 100000 + i) +
                                      " HTTP/1.1\r\nHost: x\r\n\r\n";
          if (!connection.Send(request)) return;
          const auto reply = connection.ReadReply();
          if (!reply.has_value()) return;
          if (reply->status == 200 && reply->body != "0") ++acknowledged;
          if (reply->Header("Connection") == "close") return;
        }
      });
    }
    // Stopped in the middle of the writes, once they flow (checked, not
    // required: the clients' threads are joined whatever happens).
    BOOST_CHECK(WaitFor([&] { return acknowledged.load() > 200; }, std::chrono::seconds(20)));
    server.process().Signal(SIGTERM);
    for (std::thread& client : clients) client.join();
    RequireCleanExit(server, std::chrono::seconds(20));
  }
  BOOST_TEST(acknowledged.load() > 0);
  const std::vector<ChannelKeys> channels = ListChannels(dir / "data");
  BOOST_REQUIRE(channels.size() == 1u);
  BOOST_TEST(channels[0].last_entry_id == static_cast<unsigned long long>(acknowledged.load()),
             "stored writes must equal acknowledged writes");
}

BOOST_AUTO_TEST_CASE(idle_kept_alive_connections_do_not_delay_the_exit) {
  TempDir dir;
  ServeProcess server(dir);
  // Most have been answered once and are kept alive; some were opened and
  // have sent nothing yet (a browser's preconnect).
  std::vector<std::unique_ptr<HttpConnection>> idle;
  for (int i = 0; i < 80; ++i) {
    idle.push_back(std::make_unique<HttpConnection>(server.port()));
    if (i % 5 == 4) continue;
    BOOST_REQUIRE(
        idle.back()->Send("GET /channels/1/fields/1/last.txt HTTP/1.1\r\nHost: x\r\n\r\n"));
    BOOST_REQUIRE(idle.back()->ReadReply().has_value());
  }
  // Every pool thread asleep in its poll, the state that used to hold the
  // exit back.
  BOOST_REQUIRE(
      WaitFor([&] { return AllThreadsAsleep(server.process().pid()); }, std::chrono::seconds(10)));
  const auto start = std::chrono::steady_clock::now();
  server.process().Signal(SIGTERM);
  RequireCleanExit(server, std::chrono::seconds(25));
  const auto took = std::chrono::steady_clock::now() - start;
  // Before, it waited for the 30 s connection timeout.
  BOOST_TEST(
      took < std::chrono::seconds(10),
      "exit took " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
}

// logrotate moves the file away and sends SIGHUP: the server goes on, and
// writes its log to a new file at the configured path.
BOOST_AUTO_TEST_CASE(sighup_reopens_the_access_log_and_serving_goes_on) {
  TempDir dir;
  const std::string log = dir / "access.log";
  ServeProcess server(dir, {"--access-log", log});
  Get(server.port(), "/before-rotation");
  BOOST_REQUIRE(std::rename(log.c_str(), (log + ".1").c_str()) == 0);
  server.process().Signal(SIGHUP);
  BOOST_TEST(!server.process().Wait(std::chrono::milliseconds(500)).has_value(),
             "SIGHUP stopped the server: " << server.log());
  BOOST_REQUIRE(WaitFor([&] { return server.log().find("reopening") != std::string::npos; },
                        std::chrono::seconds(5)));
  Get(server.port(), "/after-rotation");
  BOOST_TEST(ReadFile(log + ".1").find("/before-rotation") != std::string::npos);
  BOOST_TEST(ReadFile(log).find("/after-rotation") != std::string::npos, ReadFile(log));
  BOOST_TEST(ReadFile(log).find("/before-rotation") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
