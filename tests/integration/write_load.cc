#include "tests/integration/write_load.h"

#include <rapidjson/document.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <exception>
#include <filesystem>
#include <thread>
#include <unordered_map>

#include "tests/integration/serve_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/http_connection.h"
#include "tests/support/process.h"
#include "tests/support/store_location.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

constexpr int kClients = 16;
// 7200 writes at most, so one feeds.json (capped at 8000) reads them all.
constexpr int kRequestsPerClient = 450;

}  // namespace

std::vector<Write> WriteUntilStruck(std::uint16_t port, const std::string& write_key,
                                    const std::function<void()>& strike) {
  std::vector<std::vector<Write>> per_client(kClients);
  std::atomic<int> acknowledged{0};
  std::atomic<bool> struck{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      try {
        HttpConnection connection(port);
        // nginx goes on answering (502) once its responder is gone.
        for (int i = 0; i < kRequestsPerClient && !struck; ++i) {
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
        // Connected only after the strike: nothing written.
      }
    });
  }
  WaitFor([&] { return acknowledged.load() >= kClients * kRequestsPerClient / 2; },
          std::chrono::milliseconds(600));
  strike();
  struck = true;
  for (std::thread& client : clients) client.join();
  std::vector<Write> writes;
  for (const auto& client : per_client) writes.insert(writes.end(), client.begin(), client.end());
  BOOST_TEST_MESSAGE(writes.size() << " writes acknowledged before the strike");
  BOOST_TEST(writes.size() > 0u, "no write was acknowledged: the test proves nothing");
  BOOST_TEST(writes.size() < static_cast<std::size_t>(kClients * kRequestsPerClient),
             "every write was done before the strike");
  return writes;
}

void RequireEveryWriteStored(const std::string& data_dir, unsigned channel_id,
                             const std::vector<Write>& acknowledged) {
  TempDir reader;  // ServeProcess serves DIR/data: a link to data_dir
  std::vector<std::string> flags;
  if (IsDatabaseUri(data_dir)) {
    flags = StoreFlags(data_dir);
  } else {
    std::filesystem::create_directory_symlink(data_dir, reader / "data");
  }
  ServeProcess server(reader, flags);
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

}  // namespace fieldpost::testing
