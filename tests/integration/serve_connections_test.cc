// `fieldpost serve` facing clients that hold many connections, feed their
// headers a byte at a time, or send requests a strict server would refuse.
#include <sys/resource.h>

#include <boost/test/unit_test.hpp>
#include <memory>
#include <vector>

#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/http_connection.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

// This test process holds thousands of sockets itself.
void RaiseOwnDescriptorLimit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  BOOST_REQUIRE_MESSAGE(limit.rlim_cur >= 2200, "need 2200 descriptors, have " << limit.rlim_cur);
}

BOOST_AUTO_TEST_SUITE(serve_connections)

BOOST_AUTO_TEST_CASE(thousands_of_idle_and_slow_connections_leave_other_clients_served) {
  RaiseOwnDescriptorLimit();
  TempDir dir;
  const ChannelKeys channel = CreateChannel(dir / "data", "busy", {"--public"});
  ServeProcess server(dir);
  // 1,000 idle connections and 1,000 that send their headers a byte at a
  // time, from ten addresses (127.0.0.3-12), each within its own limit, so
  // all 2,000 stay open.
  std::vector<std::unique_ptr<HttpConnection>> idle, slow;
  for (int i = 0; i < 1000; ++i) {
    const std::string from = "127.0.0." + std::to_string(3 + i % 10);
    idle.push_back(std::make_unique<HttpConnection>(server.port(), from));
    slow.push_back(std::make_unique<HttpConnection>(server.port(), from));
    slow.back()->Send("GET /channels/1/fields/1/last.txt HTTP/1.1\r\nX-Slow: ");
  }
  // Another client (127.0.0.2) is still served while the slow ones go on.
  for (int round = 0; round < 5; ++round) {
    for (auto& connection : slow) connection->Send("a");
    HttpConnection other(server.port(), "127.0.0.2");
    BOOST_REQUIRE(other.Send("GET /update?api_key=" + channel.write_key +
                             "&field1=" + std::to_string(round) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    const auto reply = other.ReadReply(10000);
    BOOST_REQUIRE_MESSAGE(reply.has_value(), "round " << round << ": no reply within 10 s");
    BOOST_TEST(reply->status == 200);
    BOOST_TEST(reply->body == std::to_string(round + 1));
  }
  // They were all still open: none was refused or timed out meanwhile.
  int closed = 0;
  for (auto& connection : idle) closed += connection->ClosedByPeer(0) ? 1 : 0;
  BOOST_TEST(closed == 0);
}

// libmicrohttpd only times out connections that go quiet; one that sends
// its head a byte at a time is cut off once the head deadline passes.
BOOST_AUTO_TEST_CASE(a_head_sent_a_byte_at_a_time_is_cut_off_at_its_deadline) {
  TempDir dir;
  WriteFile(dir / "fieldpost.conf", "serve.header_timeout = 2\n");
  ServeProcess server(dir, {"--config", dir / "fieldpost.conf"});
  HttpConnection slow(server.port());
  const std::string head =
      "GET /channels/1/fields/1/last.txt HTTP/1.1\r\nX-Slow: " + std::string(100, 'a') + "\r\n\r\n";
  const auto start = std::chrono::steady_clock::now();
  bool cut_off = false;
  for (char byte : head) {
    if (!slow.Send(std::string(1, byte)) || slow.ClosedByPeer(250)) {
      cut_off = true;
      break;
    }
  }
  const auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST(cut_off, "the whole head went through in "
                          << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                          << " ms");
  BOOST_TEST(took < std::chrono::seconds(6));
  // A client sending its request at once is served as usual.
  BOOST_TEST(Get(server.port(), "/channels/1/fields/1/last.txt").status != 0);
}

BOOST_AUTO_TEST_CASE(an_absolute_form_target_is_served_like_its_path) {
  TempDir dir;
  const ChannelKeys channel = CreateChannel(dir / "data", "absolute", {"--public"});
  ServeProcess server(dir);
  const HttpReply written =
      SendRaw(server.port(), "GET http://api.thingspeak.com/update?api_key=" + channel.write_key +
                                 "&field1=4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  BOOST_TEST(written.status == 200);
  BOOST_TEST(written.body == "1");
  BOOST_TEST(
      Get(server.port(), "/channels/" + std::to_string(channel.id) + "/fields/1/last.txt").body ==
      "4");
}

// The longest target the API takes (8 KiB) with 8 KiB of headers fits the
// connection's memory pool, which is sized for it (libmicrohttpd clears
// the pool per request): it is served and stored, not refused with 431.
BOOST_AUTO_TEST_CASE(the_longest_target_with_8_kib_of_headers_is_served) {
  TempDir dir;
  const ChannelKeys channel = CreateChannel(dir / "data", "long", {"--public"});
  ServeProcess server(dir);
  std::string target = "/update?api_key=" + channel.write_key + "&field1=5&pad=";
  target.append(8000 - target.size(), 'x');
  std::string headers;
  for (int i = 0; i < 80; ++i)
    headers += "X-Pad-" + std::to_string(i) + ": " + std::string(90, 'y') + "\r\n";
  const HttpReply written = SendRaw(server.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\n" +
                                                       headers + "Connection: close\r\n\r\n");
  BOOST_TEST(written.status == 200, written.raw.substr(0, 200));
  BOOST_TEST(written.body == "1");
}

// A target that is neither a path nor absolute gets 400 with its reason,
// like every other refusal.
BOOST_AUTO_TEST_CASE(a_target_that_is_no_path_gets_400_with_its_reason) {
  TempDir dir;
  ServeProcess server(dir);
  const HttpReply reply =
      SendRaw(server.port(), "GET update HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  BOOST_TEST(reply.status == 400, reply.raw);
  BOOST_TEST(!reply.Header("X-Fieldpost-Error").empty(), reply.raw);
}

// A NUL byte would cut the value short ("12\0" "34" stored as 12): refuse
// the request, store nothing.
BOOST_AUTO_TEST_CASE(a_nul_byte_in_the_target_is_refused_and_nothing_is_stored) {
  TempDir dir;
  const ChannelKeys channel = CreateChannel(dir / "data", "nul", {"--public"});
  ServeProcess server(dir);
  for (const std::string& target :
       {"/update?api_key=" + channel.write_key + "&field1=12" + std::string(1, '\0') + "34",
        "/update" + std::string(1, '\0') + "x?api_key=" + channel.write_key + "&field1=5",
        "/update?api_key=" + channel.write_key + "&field1=6" + std::string(1, '\0') +
            "&field2=7"}) {
    const HttpReply reply = SendRaw(
        server.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(reply.status == 400, reply.raw);
    BOOST_TEST(!reply.Header("X-Fieldpost-Error").empty(), reply.raw);
  }
  BOOST_TEST(ListChannels(dir / "data")[0].last_entry_id == 0u);
}

// Requests whose bytes two parties could read differently are answered at
// once with nginx's status, before any body is read (no 100 Continue), and
// store nothing.
BOOST_AUTO_TEST_CASE(malformed_framing_is_answered_at_once_as_nginx_does) {
  TempDir dir;
  const ChannelKeys channel = CreateChannel(dir / "data", "framed", {"--public"});
  ServeProcess server(dir);
  const std::string nul(1, '\0');
  const std::string query = "/update?api_key=" + channel.write_key + "&field1=1";
  const std::string body = "api_key=" + channel.write_key + "&field1=2";
  const std::string form = "Content-Type: application/x-www-form-urlencoded\r\n";
  const std::string length = "Content-Length: " + std::to_string(body.size()) + "\r\n";
  const std::string chunked = "Transfer-Encoding: chunked\r\n";
  const std::string chunk = "1\r\na\r\n0\r\n\r\n";
  const std::vector<std::pair<std::string, int>> cases = {
      {"GET /update" + nul + "?api_key=" + channel.write_key + "&field1=1 HTTP/1.1\r\n\r\n", 400},
      {"GET" + nul + " " + query + " HTTP/1.1\r\n\r\n", 400},
      {"POST" + nul + "X /update HTTP/1.1\r\n" + form + length + "\r\n" + body, 400},
      {"POST /update HTTP/1.1\r\n" + form + length + "Content-Length: 5\r\n\r\n" + body, 400},
      {"POST /update HTTP/1.1\r\n" + form + "Content-Length: 5\r\n" + length + "\r\n" + body, 400},
      {"POST /update HTTP/1.1\r\n" + form + length + chunked + "\r\n" + chunk, 400},
      {"POST /update HTTP/1.0\r\n" + form + chunked + "\r\n" + chunk, 400},
      {"POST /update HTTP/1.1\r\n" + form + chunked + chunked + "\r\n" + chunk, 400},
      {"POST /update HTTP/1.1\r\n" + form + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"POST /update HTTP/1.1\r\n" + form + "Transfer-Encoding: foo\r\n\r\n", 501},
      // Over /update's 64 KiB, under bulk's: the route's limit, at once.
      {"POST /update HTTP/1.1\r\n" + form +
           "Content-Length: 100000\r\nExpect: 100-continue\r\n\r\n",
       413},
      {"POST /update HTTP/1.1\r\n" + form + "Content-Length: 5000000\r\n\r\n", 413},
  };
  for (const auto& [request, status] : cases) {
    BOOST_TEST_CONTEXT(request.substr(0, 60)) {
      HttpConnection connection(server.port());
      std::string head = request;
      head.insert(head.find("\r\n") + 2, "Host: x\r\n");
      BOOST_REQUIRE(connection.Send(head));
      // Bounded, not slept: the old server waited for a body that never came.
      const std::optional<HttpReply> reply = connection.ReadReply(3000);
      BOOST_REQUIRE(reply.has_value());
      BOOST_TEST(reply->status == status, reply->raw);
      BOOST_TEST(connection.ClosedByPeer(3000));
    }
  }
  BOOST_TEST(ListChannels(dir / "data")[0].last_entry_id == 0u);
  BOOST_TEST(Get(server.port(), query).body == "1");
}

// The target as the client sent it, as every frontend takes it: these are
// not /update.
BOOST_AUTO_TEST_CASE(paths_are_not_normalised) {
  TempDir dir;
  const ChannelKeys channel = CreateChannel(dir / "data", "raw");
  ServeProcess server(dir);
  const std::string query = "?api_key=" + channel.write_key + "&field1=1";
  for (const std::string path :
       {"//update", "/./update", "/channels/../update", "/channels/%2e%2e/update"}) {
    BOOST_TEST(Get(server.port(), path + query).status == 404, path);
  }
  BOOST_TEST(ListChannels(dir / "data")[0].last_entry_id == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
