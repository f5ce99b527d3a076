// nginx with the shipped snippets in front of `fieldpost fcgi`: the API at
// the site root and under a prefix, the rest of the site untouched.
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "tests/integration/api_scenario.h"
#include "tests/integration/cli.h"
#include "tests/integration/nginx_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/http_connection.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(nginx_fcgi)

// What a sysadmin writes by habit, without the shipped snippets: every
// request must still reach its endpoint (a write that lands on the front
// page would get 200 and store nothing).
BOOST_AUTO_TEST_CASE(habitual_fastcgi_params_at_the_root_and_under_a_prefix) {
  const auto nginx = NginxFcgiFixture::WithLocations(
      "    location /iot/ { include fastcgi_params; fastcgi_pass {pass}; }\n"
      "    location / { include fastcgi_params; fastcgi_pass {pass}; }\n");
  PrepareScenarioData(nginx->data_dir());
  RunApiScenario({nginx->port(), "", nginx->data_dir()});
  RunApiScenario({nginx->port(), "/iot", nginx->data_dir()});
  RunDirectoryScenario({nginx->port(), "", nginx->data_dir()});
  RunDirectoryScenario({nginx->port(), "/iot", nginx->data_dir()});
}

BOOST_AUTO_TEST_CASE(api_at_the_root_and_under_a_prefix) {
  NginxFcgiFixture nginx;
  PrepareScenarioData(nginx.data_dir());
  RunApiScenario({nginx.port(), "", nginx.data_dir()});
  RunApiScenario({nginx.port(), "/iot", nginx.data_dir()});
  // Under the prefix everything is fieldpost's; at the root the shipped
  // snippet leaves /users/ to the site (docs/deploy/nginx-fastcgi.md).
  RunDirectoryScenario({nginx.port(), "/iot", nginx.data_dir()});
  BOOST_TEST(Get(nginx.port(), "/users/seed.json").Header("X-Fieldpost-Error").empty());
  // A body far beyond the socket buffers still gets fieldpost's 413.
  const ChannelKeys big = CreateChannel(nginx.data_dir(), "big", {"--public"});
  HttpReply oversized =
      Post(nginx.port(), "/update",
           "api_key=" + big.write_key + "&field1=" + std::string(900 * 1024, '1'));
  BOOST_TEST(oversized.status == 413, oversized.raw.substr(0, 300));
  BOOST_TEST(oversized.body == "0");
  // The site's own pages stay with nginx.
  BOOST_TEST(Get(nginx.port(), "/index.html").body == "site");
  BOOST_TEST(Get(nginx.port(), "/updates").body == "site");
}

// nginx keeps connections to the responder between requests (the shipped
// upstream's keepalive) and opens more under load. Far more clients than
// the responder has threads must all be served: no idle kept connection
// may hold a thread, nor a write waiting for its commit.
BOOST_AUTO_TEST_CASE(kept_connections_beyond_the_thread_count_are_all_served) {
  NginxFcgiFixture nginx;
  const ChannelKeys channel = CreateChannel(nginx.data_dir(), "busy", {"--public"});
  constexpr int kClients = 48, kRounds = 15;
  std::atomic<int> served{0};
  std::mutex failure_mutex;
  std::string failure;  // the first refused or missing reply, said when the test fails
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      HttpConnection connection(nginx.port());
      for (int i = 0; i < kRounds; ++i) {
        const std::string target =
            i % 2 == 0 ? "/update?api_key=" + channel.write_key + "&field1=" + std::to_string(c)
                       : "/channels/" + std::to_string(channel.id) + "/fields/1/last.txt";
        const bool sent = connection.Send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto reply = sent ? connection.ReadReply() : std::nullopt;
        if (!reply.has_value() || reply->status != 200) {
          std::lock_guard lock(failure_mutex);
          if (failure.empty()) {
            failure = !sent ? "send failed" : reply ? reply->raw : "no reply (closed or timed out)";
            failure =
                "client " + std::to_string(c) + " round " + std::to_string(i) + ": " + failure;
          }
          return;
        }
        ++served;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  const auto took = std::chrono::steady_clock::now() - started;
  BOOST_TEST(served.load() == kClients * kRounds, failure
                                                      << "\nnginx: " << nginx.ErrorLog()
                                                      << "\nresponder: " << nginx.ResponderLog(0));
  // Starved connections would wait for nginx's 30 s read timeout.
  BOOST_TEST(took < std::chrono::seconds(15));
  const std::vector<ChannelKeys> channels = ListChannels(nginx.data_dir());
  BOOST_REQUIRE(channels.size() == 1u);
  BOOST_TEST(channels[0].last_entry_id == static_cast<unsigned long long>(kClients * 8));
}

BOOST_AUTO_TEST_CASE(several_responders_share_one_data_directory) {
  NginxFcgiFixture nginx(2);
  const ChannelKeys channel = CreateChannel(nginx.data_dir(), "shared", {"--public"});
  for (int i = 1; i <= 40; ++i) {
    HttpReply reply =
        Get(nginx.port(), "/update?api_key=" + channel.write_key + "&field1=" + std::to_string(i));
    BOOST_TEST(reply.body == std::to_string(i));
  }
  BOOST_TEST(
      Get(nginx.port(), "/channels/" + std::to_string(channel.id) + "/fields/1/last.txt").body ==
      "40");
  for (int i = 0; i < 2; ++i) {
    nginx.responder(i).Signal(SIGTERM);
    const auto status = nginx.responder(i).Wait(std::chrono::seconds(10));
    BOOST_REQUIRE(status.has_value());
    BOOST_TEST(WIFEXITED(*status));
    BOOST_TEST(WEXITSTATUS(*status) == 0, nginx.ResponderLog(i));
  }
}

BOOST_AUTO_TEST_CASE(a_silent_peer_or_sigusr1_does_not_stop_the_responder) {
  NginxFcgiFixture nginx;
  const ChannelKeys channel = CreateChannel(nginx.data_dir(), "robust", {"--public"});
  const std::string update = "/update?api_key=" + channel.write_key + "&field1=1";
  // A peer that connects straight to the responder and never sends a
  // request (a port scan, a health check) must not block the others.
  const int silent = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = nginx.socket_path(0);
  path.copy(address.sun_path, sizeof address.sun_path - 1);
  BOOST_REQUIRE(connect(silent, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  const auto start = std::chrono::steady_clock::now();
  BOOST_TEST(Get(nginx.port(), update).body == "1");
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(3)));
  // libfcgi would stop accepting after its own SIGUSR1 handler ran.
  nginx.responder(0).Signal(SIGUSR1);
  BOOST_TEST(Get(nginx.port(), update).body == "2");
  // SIGTERM still ends the responder, the silent peer notwithstanding.
  nginx.responder(0).Signal(SIGTERM);
  const auto status = nginx.responder(0).Wait(std::chrono::seconds(20));
  BOOST_REQUIRE(status.has_value());
  BOOST_TEST(WIFEXITED(*status));
  BOOST_TEST(WEXITSTATUS(*status) == 0);
  close(silent);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
