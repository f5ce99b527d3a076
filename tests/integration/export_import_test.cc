// `fieldpost export` and `fieldpost import`: a channel's history out and
// back in byte for byte, a ThingSpeak channel export read as it comes,
// and files with a bad row refused with its line and nothing stored.
#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/cli.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

constexpr const char* kHeader =
    "created_at,entry_id,field1,field2,field3,field4,field5,field6,field7,field8,latitude,"
    "longitude,elevation,status\n";

struct Fixture {
  Fixture() { std::filesystem::create_directories(data); }

  int Run(const std::vector<std::string>& args) { return TryFieldpost(args, data, output); }
  unsigned long long Entries(unsigned channel) {
    for (const ChannelKeys& found : ListChannels(data)) {
      if (found.id == channel) return found.last_entry_id;
    }
    return 0;
  }

  TempDir dir;
  std::string data = dir / "data";
  std::string output;
};

BOOST_FIXTURE_TEST_SUITE(export_import, Fixture)

BOOST_AUTO_TEST_CASE(a_thingspeak_export_goes_in_and_comes_out_the_same) {
  // As ThingSpeak's "Export recent data" writes it, quoting included.
  const std::string csv = std::string(kHeader) +
                          "2024-01-01 00:00:00 UTC,1,21.5,,,,,,,,,,,\n"
                          "2024-01-01 00:01:00 UTC,2,21.7,55,,,,,,,52.52,13.405,34,\n"
                          "2024-01-01 00:02:00 UTC,3,,,,,,,,9,,,,\"rain, \"\"heavy\"\"\"\n";
  WriteFile(dir / "thingspeak.csv", csv);
  const ChannelKeys channel = CreateChannel(data, "imported");
  const std::string id = std::to_string(channel.id);
  BOOST_REQUIRE_MESSAGE(Run({"import", "--channel", id, dir / "thingspeak.csv"}) == 0, output);
  BOOST_TEST(output.find("imported 3 entries into channel " + id + " (entry ids 1 to 3)") !=
                 std::string::npos,
             output);
  BOOST_REQUIRE_MESSAGE(Run({"export", "--channel", id, "--to", dir / "out.csv"}) == 0, output);
  BOOST_TEST(ReadFile(dir / "out.csv") == csv);

  // Into a second channel from fieldpost's own export: the same again.
  const ChannelKeys copy = CreateChannel(data, "copy");
  BOOST_REQUIRE_MESSAGE(Run({"import", "--channel", std::to_string(copy.id), dir / "out.csv"}) == 0,
                        output);
  BOOST_REQUIRE(Run({"export", "--channel", std::to_string(copy.id)}) == 0);
  BOOST_TEST(output.starts_with(csv), output);

  // JSON: feeds.json's document with every entry; a time window.
  BOOST_REQUIRE(Run({"export", "--channel", id, "--format", "json", "--start",
                     "2024-01-01 00:00:30", "--end", "2024-01-01T00:01:30Z"}) == 0);
  const std::string json = output.substr(0, output.rfind("}\n") + 1);
  rapidjson::Document document;
  document.Parse(json.c_str());
  BOOST_REQUIRE_MESSAGE(!document.HasParseError(), json);
  BOOST_REQUIRE_EQUAL(document["feeds"].Size(), 1u);
  BOOST_TEST(std::string(document["feeds"][0]["field2"].GetString()) == "55");
  BOOST_TEST(std::string(document["channel"]["name"].GetString()) == "imported");
}

// Each file has one bad row among good ones: the command names its line,
// and the channel keeps exactly what it had.
BOOST_AUTO_TEST_CASE(a_bad_row_stores_nothing_and_names_its_line) {
  const ChannelKeys channel = CreateChannel(data, "guarded");
  const std::string id = std::to_string(channel.id);
  WriteFile(dir / "first.csv", std::string(kHeader) + "2024-01-01 00:00:00 UTC,1,1,,,,,,,,,,,\n");
  BOOST_REQUIRE_MESSAGE(Run({"import", "--channel", id, dir / "first.csv"}) == 0, output);
  const std::string good = "created_at,field1\n2024-02-01 00:00:00 UTC,1\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {good + "2024-02-01 00:01:00 UTC," + std::string(300, '9') + "\n", "line 3: field1"},
      {good + "2024-02-01 00:00:00 UTC,2\n", "line 3: created_at is not later"},
      {good + "not a time,2\n", "line 3:"},
      {good + "2024-02-01 00:02:00 UTC,2,3\n", "line 3: 3 values for 2 columns"},
      {good + "2024-02-01 00:02:00 UTC,\n", "line 3:"},  // no value at all
      {good + "2024-02-01 00:03:00 UTC,\"open\n", "line 3: a quoted field is not closed"},
      {"created_at,field9\n", "line 1: unknown column 'field9'"},
      // Passes every row check; its time is the channel's own entry's.
      {"created_at,field1\n2024-01-01 00:00:00 UTC,5\n", "already has the created_at"},
  };
  for (const auto& [content, reason] : cases) {
    BOOST_TEST_CONTEXT(reason) {
      WriteFile(dir / "bad.csv", content);
      BOOST_TEST(Run({"import", "--channel", id, dir / "bad.csv"}) != 0);
      BOOST_TEST(output.find(reason) != std::string::npos, output);
      BOOST_TEST(output.find("nothing was imported") != std::string::npos, output);
      BOOST_TEST(Entries(channel.id) == 1u);
    }
  }
  BOOST_TEST(Run({"import", "--channel", "99", dir / "first.csv"}) != 0);
  BOOST_TEST(output.find("channel 99 not found") != std::string::npos, output);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
