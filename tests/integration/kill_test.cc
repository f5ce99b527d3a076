// `kill -9` in the middle of writes, for both frontends: every write that
// was acknowledged (200 with an entry id) is stored under that id, and the
// channel's entry ids run 1..N without gaps.
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "tests/integration/cli.h"
#include "tests/integration/nginx_fixture.h"
#include "tests/integration/serve_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/http_connection.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

constexpr int kClients = 16;
// 7200 writes at most, so one feeds.json (capped at 8000) reads them all.
constexpr int kRequestsPerClient = 450;

struct Write {
  std::string value;     // field1, unique per request
  std::string entry_id;  // the reply's body
};

// Writes from kClients kept-alive connections to `port`, then SIGKILLs
// `victim` after 600 ms (sooner once half of the writes are acknowledged,
// so that the kill always lands while writes are in flight). Returns the
// acknowledged writes.
std::vector<Write> WriteUntilKilled(std::uint16_t port, const std::string& write_key,
                                    Process& victim) {
  std::vector<std::vector<Write>> per_client(kClients);
  std::atomic<int> acknowledged{0};
  std::atomic<bool> killed{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      try {
        HttpConnection connection(port);
        // nginx goes on answering (502) once its responder is gone.
        for (int i = 0; i < kRequestsPerClient && !killed; ++i) {
          const std::string value = std::to_string(c * 1000 + i);
          if (!connection.Send("GET /update?api_key=" + write_key + "&field1=" + value +
                               " HTTP/1.1\r\nHost: x\r\n\r\n")) {
            return;
          }
          const auto reply = connection.ReadReply();
          if (!reply.has_value()) return;
          if (reply->status == 200 && reply->body != "0") {
            per_client[c].push_back({value, reply->body});
            ++acknowledged;
          }
          if (reply->Header("Connection") == "close") return;
        }
      } catch (const std::exception&) {
        // Connected only after the kill: nothing written.
      }
    });
  }
  WaitFor([&] { return acknowledged.load() >= kClients * kRequestsPerClient / 2; },
          std::chrono::milliseconds(600));
  victim.Signal(SIGKILL);
  killed = true;
  for (std::thread& client : clients) client.join();
  const auto status = victim.Wait(std::chrono::seconds(10));
  BOOST_REQUIRE_MESSAGE(status.has_value(), "the killed process did not end");
  BOOST_TEST((WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL),
             "it had ended before the kill");
  std::vector<Write> writes;
  for (const auto& client : per_client) writes.insert(writes.end(), client.begin(), client.end());
  BOOST_TEST_MESSAGE(writes.size() << " writes acknowledged before the kill");
  BOOST_TEST(writes.size() > 0u, "no write was acknowledged: the test proves nothing");
  BOOST_TEST(writes.size() < static_cast<std::size_t>(kClients * kRequestsPerClient),
             "every write was done before the kill");
  return writes;
}

// Reads the channel back through a fresh `fieldpost serve` on `data_dir`
// (a link to it, as ServeProcess serves DIR/data) and checks every
// acknowledged write is there under its entry id, with ids 1..N.
void RequireEveryWriteStored(const std::string& data_dir, unsigned channel_id,
                             const std::vector<Write>& acknowledged) {
  TempDir reader;
  std::filesystem::create_directory_symlink(data_dir, reader / "data");
  ServeProcess server(reader);
  const HttpReply feed =
      Get(server.port(), "/channels/" + std::to_string(channel_id) + "/feeds.json?results=8000");
  BOOST_REQUIRE_MESSAGE(feed.status == 200, feed.raw.substr(0, 300));
  rapidjson::Document document;
  document.Parse(feed.body.c_str());
  BOOST_REQUIRE_MESSAGE(!document.HasParseError() && document.IsObject() &&
                            document.HasMember("feeds") && document["feeds"].IsArray(),
                        "not a feed: " << feed.body.substr(0, 300));
  const auto& entries = document["feeds"].GetArray();
  BOOST_REQUIRE(entries.Size() < 8000u);
  std::unordered_map<std::string, std::string> entry_of_value;
  std::uint64_t expected_id = 1;
  for (const auto& entry : entries) {
    BOOST_REQUIRE(entry.HasMember("entry_id") && entry["entry_id"].IsUint64());
    BOOST_REQUIRE_MESSAGE(entry["entry_id"].GetUint64() == expected_id,
                          "entry " << expected_id << " is missing: the next stored is "
                                   << entry["entry_id"].GetUint64());
    BOOST_REQUIRE(entry.HasMember("field1") && entry["field1"].IsString());
    entry_of_value[entry["field1"].GetString()] = std::to_string(expected_id);
    ++expected_id;
  }
  BOOST_REQUIRE(document.HasMember("channel"));
  const auto& channel = document["channel"];
  BOOST_REQUIRE(channel.HasMember("last_entry_id") && channel["last_entry_id"].IsUint64());
  BOOST_TEST(channel["last_entry_id"].GetUint64() == entries.Size(),
             "last_entry_id must equal the number of stored entries");
  std::size_t lost = 0;
  const Write* first_lost = nullptr;
  for (const Write& write : acknowledged) {
    const auto stored = entry_of_value.find(write.value);
    if (stored != entry_of_value.end() && stored->second == write.entry_id) continue;
    if (first_lost == nullptr) first_lost = &write;
    ++lost;
  }
  if (first_lost != nullptr) {
    BOOST_ERROR(lost << " of " << acknowledged.size()
                     << " acknowledged writes are not stored as acknowledged; the first: field1="
                     << first_lost->value << ", acknowledged as entry " << first_lost->entry_id);
  }
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
