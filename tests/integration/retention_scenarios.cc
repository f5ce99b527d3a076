// Retention as a sysadmin sets it up, on a data directory or a database:
// a channel's retention_days from the command line and the channel API, a
// default in fieldpost.conf, pruning once with `channel prune`, and a
// server pruning by itself.
#include "tests/integration/retention_scenarios.h"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/time_format.h"
#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/store_location.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

struct Fixture {
  explicit Fixture(const std::string& location) : data(location.empty() ? dir / "data" : location) {
    if (!IsDatabaseUri(data)) std::filesystem::create_directories(data);
  }

  int Run(const std::vector<std::string>& args) { return TryFieldpost(args, data, output); }

  // Imports one entry per age in days, oldest first, into `channel`.
  void ImportAged(unsigned channel, const std::vector<int>& ages_in_days) {
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    std::string csv = "created_at,entry_id,field1\n";
    for (int age : ages_in_days) {
      csv += FormatIso8601(now - std::chrono::days(age) - std::chrono::minutes(1)) + ",," +
             std::to_string(age) + "\n";
    }
    WriteFile(dir / "aged.csv", csv);
    BOOST_REQUIRE_MESSAGE(
        Run({"import", "--channel", std::to_string(channel), dir / "aged.csv"}) == 0, output);
  }

  unsigned long long Count(std::uint16_t port, unsigned channel) {
    const HttpReply reply =
        Get(port, "/channels/" + std::to_string(channel) + "/feeds.csv?results=8000");
    BOOST_REQUIRE_EQUAL(reply.status, 200);
    unsigned long long lines = 0;
    for (char c : reply.body) lines += c == '\n';
    return lines - 1;  // the header
  }

  // The flags that make `serve` use `data`, with a fieldpost.conf.
  std::vector<std::string> ServeFlags(const std::string& config) const {
    std::vector<std::string> flags = {"--config", config};
    if (IsDatabaseUri(data)) flags.insert(flags.end(), {"--database", data});
    return flags;
  }

  TempDir dir;
  std::string data;
  std::string output;
};

}  // namespace

void RunPruneFromTheCommandLine(const std::string& location) {
  Fixture fixture(location);
  auto [dir, data, output] = std::tie(fixture.dir, fixture.data, fixture.output);
  const auto Run = [&](const std::vector<std::string>& args) { return fixture.Run(args); };
  const ChannelKeys channel = CreateChannel(data, "aged", {"--public"});
  const std::string id = std::to_string(channel.id);
  fixture.ImportAged(channel.id, {400, 200, 40, 10, 1});

  BOOST_REQUIRE_MESSAGE(Run({"channel", "prune", id, "--before", "2000-01-01"}) == 0, output);
  BOOST_TEST(output == "pruned 0 entries\n");
  const auto cutoff =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) -
      std::chrono::days(100);
  BOOST_REQUIRE_MESSAGE(Run({"channel", "prune", id, "--before", FormatIso8601(cutoff)}) == 0,
                        output);
  BOOST_TEST(output == "pruned 2 entries\n");

  // A retention of its own, then the servers' pass run once.
  BOOST_REQUIRE_MESSAGE(Run({"channel", "update", id, "--retention-days", "30"}) == 0, output);
  BOOST_TEST(output.find("retention  30 days") != std::string::npos, output);
  BOOST_REQUIRE_MESSAGE(Run({"channel", "prune", "--expired", "--json"}) == 0, output);
  // (stderr, mixed in here, logs each channel pruned.)
  BOOST_TEST(output.find("{\"pruned\":1}\n") != std::string::npos, output);
  BOOST_TEST(output.find("channel 1: pruned 1 entry older than 30 days") != std::string::npos,
             output);

  // What it refuses.
  BOOST_TEST(Run({"channel", "prune", id}) != 0);
  BOOST_TEST(Run({"channel", "prune", id, "--before", "yesterday"}) != 0);
  BOOST_TEST(output.find("--before") != std::string::npos, output);
  BOOST_TEST(Run({"channel", "prune", "99", "--before", "2020-01-01"}) != 0);
  BOOST_TEST(output.find("channel 99 not found") != std::string::npos, output);
  BOOST_TEST(Run({"channel", "update", id, "--retention-days", "-1"}) != 0);
  BOOST_TEST(Run({"channel", "update", id, "--retention-days", "36501"}) != 0);
  BOOST_TEST(output.find("retention_days must be 0") != std::string::npos, output);
  BOOST_TEST(ListChannels(data).front().last_entry_id == 5u);
}

void RunServerPrunesByTheConfiguredDefault(const std::string& location) {
  Fixture fixture(location);
  auto [dir, data, output] = std::tie(fixture.dir, fixture.data, fixture.output);
  const auto Run = [&](const std::vector<std::string>& args) { return fixture.Run(args); };
  const auto Count = [&](std::uint16_t port, unsigned channel) {
    return fixture.Count(port, channel);
  };
  const std::string alice = CreateUser(data, "alice");
  const ChannelKeys by_default = CreateChannel(data, "default", {"--public"});
  const ChannelKeys own =
      CreateChannel(data, "own", {"--public", "--user", "alice", "--retention-days", "300"});
  fixture.ImportAged(by_default.id, {400, 90, 2});
  fixture.ImportAged(own.id, {400, 90, 2});
  WriteFile(dir / "fieldpost.conf", "retention_days = 60\n");

  ServeProcess server(dir, fixture.ServeFlags(dir / "fieldpost.conf"));
  // Its first pass comes a few seconds after the start.
  for (int i = 0; i < 200 && Count(server.port(), by_default.id) != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_TEST(Count(server.port(), by_default.id) == 1u);
  BOOST_TEST(Count(server.port(), own.id) == 2u);
  BOOST_TEST(
      server.log().find("channel 1: pruned 2 entries older than 60 days") != std::string::npos,
      server.log());

  // The channel API's PUT sets a channel's own retention, checked as the
  // command line checks it.
  const std::string path = "/channels/" + std::to_string(own.id) + ".json";
  BOOST_TEST(Send(server.port(), "PUT", path, "api_key=" + alice + "&retention_days=x").status ==
             400);
  BOOST_TEST(Send(server.port(), "PUT", path, "api_key=" + alice + "&retention_days=7").status ==
             200);
  BOOST_REQUIRE_MESSAGE(Run({"channel", "show", std::to_string(own.id)}) == 0, output);
  BOOST_TEST(output.find("retention  7 days") != std::string::npos, output);
}

}  // namespace fieldpost::testing
