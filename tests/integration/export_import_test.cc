// `fieldpost export` and `fieldpost import`: a channel's history out and
// back in byte for byte, a ThingSpeak channel export read as it comes,
// and files with a bad row refused with its line and nothing stored.
#include <rapidjson/document.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/support/http_client.h"
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
      {good + "not a time,2\n", "line 3:"},
      {good + "2024-02-01 00:02:00 UTC,2,3\n", "line 3: 3 values for 2 columns"},
      {good + "2024-02-01 00:02:00 UTC,\n", "line 3:"},  // no value at all
      {good + "2024-02-01 00:03:00 UTC,\"open\n", "line 3: a quoted field is not closed"},
      {"created_at,field9\n", "line 1: unknown column 'field9'"},
      // As /update refuses it (422): overlong, surrogate, 5-byte, 0xFF.
      {good + "2024-02-01 00:04:00 UTC,\xC0\xAF\n", "line 3: field1 is not valid UTF-8"},
      {good + "2024-02-01 00:04:00 UTC,\xED\xA0\x80\n", "line 3: field1 is not valid UTF-8"},
      {good + "2024-02-01 00:04:00 UTC,\xF8\x88\x80\x80\x80\n",
       "line 3: field1 is not valid UTF-8"},
      {"created_at,status\n2024-02-01 00:04:00 UTC,ok \xFF\n", "line 2: status is not valid UTF-8"},
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

// Whatever export writes, import takes: a channel written faster than
// once a second shares seconds, and a back-dated reading puts the export's
// id order out of time order. Out, in, out again: the same file.
BOOST_AUTO_TEST_CASE(shared_seconds_and_back_dated_rows_round_trip) {
  const std::string csv = std::string(kHeader) +
                          "2024-01-01 00:00:00 UTC,1,1,,,,,,,,,,,\n"
                          "2024-01-01 00:00:00 UTC,2,2,,,,,,,,,,,\n"
                          "2020-06-01 00:00:00 UTC,3,3,,,,,,,,,,,\n"
                          "2024-01-01 00:00:01 UTC,4,4,,,,,,,,,,,\n"
                          "2030-01-01 00:00:00 UTC,5,5,,,,,,,,,,,\n"
                          "2024-01-01 00:00:01 UTC,6,6,,,,,,,,,,,\n";
  WriteFile(dir / "busy.csv", csv);
  std::string file = dir / "busy.csv";
  for (const std::string name : {"first", "second"}) {
    const ChannelKeys channel = CreateChannel(data, name);
    const std::string id = std::to_string(channel.id);
    BOOST_REQUIRE_MESSAGE(Run({"import", "--channel", id, file}) == 0, output);
    file = dir / (name + ".csv");
    BOOST_REQUIRE_MESSAGE(Run({"export", "--channel", id, "--to", file}) == 0, output);
    BOOST_TEST(ReadFile(file) == csv);
  }
  // The same file again: its times are the channel's already.
  BOOST_TEST(Run({"import", "--channel", "1", dir / "busy.csv"}) != 0);
  BOOST_TEST(output.find("already has the created_at") != std::string::npos, output);
}

// Older rows imported into a channel with a live reading: every "last"
// read still shows the live reading, as feeds.json?results=1 does.
BOOST_AUTO_TEST_CASE(imported_older_rows_do_not_become_last) {
  const ChannelKeys channel = CreateChannel(data, "live", {"--public"});
  const std::string id = std::to_string(channel.id);
  ServeProcess serve(dir);
  BOOST_REQUIRE(Get(serve.port(), "/update?api_key=" + channel.write_key + "&field1=live").body ==
                "1");
  WriteFile(dir / "old.csv",
            "created_at,field1,field2\n2020-01-01 00:00:00 UTC,old,old\n"
            "2020-01-01 00:00:01 UTC,older,\n");
  BOOST_REQUIRE_MESSAGE(Run({"import", "--channel", id, dir / "old.csv"}) == 0, output);
  BOOST_TEST(output.find("(entry ids 2 to 3)") != std::string::npos, output);
  const std::string base = "/channels/" + id;
  BOOST_TEST(Get(serve.port(), base + "/fields/1/last.txt").body == "live");
  BOOST_TEST(Get(serve.port(), base + "/fields/2/last.txt").body == "old");  // its only value
  const std::string last = Get(serve.port(), base + "/feeds/last.json").body;
  BOOST_TEST(last.find("\"entry_id\":1,") != std::string::npos, last);
  const std::string newest = Get(serve.port(), base + "/feeds.json?results=1").body;
  BOOST_TEST(newest.find("\"entry_id\":1,") != std::string::npos, newest);
  BOOST_TEST(newest.find("\"last_entry_id\":3") != std::string::npos, newest);
  BOOST_TEST(newest.find("\"updated_at\":\"2020") == std::string::npos, newest);
  const std::string age = Get(serve.port(), base + "/feeds/last_data_age.txt").body;
  BOOST_TEST(std::stoll(age) < 600, age);
}

// Messages quote what the file holds, escaped, on one line.
BOOST_AUTO_TEST_CASE(messages_quote_the_file_s_bytes_escaped) {
  const ChannelKeys channel = CreateChannel(data, "quoted");
  const std::string id = std::to_string(channel.id);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string("created_at,a\0b\x01\n", 16), "unknown column 'a\\x00b\\x01'"},
      {"created_at,field1\n\"2024\nx\x7F\",1\n", "invalid date '2024\\nx\\x7F'"},
  };
  for (const auto& [content, quoted] : cases) {
    BOOST_TEST_CONTEXT(quoted) {
      WriteFile(dir / "odd.csv", content);
      BOOST_TEST(Run({"import", "--channel", id, dir / "odd.csv"}) != 0);
      BOOST_TEST(output.find(quoted) != std::string::npos, output);
      BOOST_TEST(output.find('\n') == output.size() - 1, output);
      BOOST_TEST(std::none_of(output.begin(), output.end() - 1,
                              [](unsigned char c) { return c < 0x20 || c == 0x7F; }),
                 output);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
