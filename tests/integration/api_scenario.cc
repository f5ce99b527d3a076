#include "tests/integration/api_scenario.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "tests/integration/cli.h"
#include "tests/support/http_client.h"

namespace fieldpost::testing {
namespace {

constexpr const char* kSeedStation = "6c:rf:7f:2b:0e:g8";
constexpr const char* kChannelName = "scenario";

// What the ThingSpeak Arduino library needs of every reply (section 1.1).
void CheckFraming(const HttpReply& reply, const std::string& what, bool exact = true) {
  BOOST_TEST(reply.status_line.starts_with("HTTP/1.1 "), what << ": " << reply.status_line);
  // "HTTP/1.1 200 OK": a reason phrase after the code, as every server sends.
  BOOST_TEST(reply.status_line.size() > 13, what << ": " << reply.status_line);
  if (!exact) return;
  BOOST_TEST(reply.raw.find("\r\nContent-Length: ") != std::string::npos, what);
  BOOST_TEST(reply.Header("Content-Length") == std::to_string(reply.body.size()), what);
  BOOST_TEST(reply.Header("Transfer-Encoding").empty(), what);
  BOOST_TEST(!reply.Header("Date").empty(), what);
}

bool IsEntryId(const std::string& body) {
  return !body.empty() && body.find_first_not_of("0123456789") == std::string::npos && body != "0";
}

ChannelKeys FindChannel(const std::string& data_dir, const std::string& name) {
  for (const ChannelKeys& channel : ListChannels(data_dir)) {
    if (channel.name == name) return channel;
  }
  BOOST_FAIL("no channel named " << name);
  return {};
}

}  // namespace

void PrepareScenarioData(const std::string& data_dir) {
  CreateUser(data_dir, "seed", "ASCIISTR");
  CreateChannel(data_dir, kChannelName, {"--user", "seed", "--field1", "Temperature"});
}

void RunApiScenario(const Deployment& d) {
  const std::string p = d.prefix;
  const ChannelKeys channel = FindChannel(d.data_dir, kChannelName);
  const std::string channel_path = p + "/channels/" + std::to_string(channel.id);
  const std::string read_key = "api_key=" + channel.read_key;

  // The seed's URL, exactly as written: a user key and a MAC-like station.
  HttpReply seed =
      Get(d.port, p + "/update/API_key=ASCIISTR/mac=6c:rf:7f:2b:0e:g8/field=1/data=72.3");
  CheckFraming(seed, "seed update", d.exact_framing);
  BOOST_TEST(seed.status == 200);
  BOOST_TEST(IsEntryId(seed.body), seed.body);
  const ChannelKeys station = FindChannel(d.data_dir, kSeedStation);
  BOOST_TEST(station.station == kSeedStation);
  BOOST_TEST(std::to_string(station.last_entry_id) == seed.body);
  HttpReply seed_back =
      Get(d.port, p + "/channels/" + std::to_string(station.id) + "/fields/1/last.txt");
  CheckFraming(seed_back, "seed read", d.exact_framing);
  BOOST_TEST(seed_back.status == 200);
  BOOST_TEST(seed_back.body == "72.3");

  // ThingSpeak's GET form, read back with the read key.
  HttpReply get = Get(d.port, p + "/update?api_key=" + channel.write_key + "&field1=21.5");
  CheckFraming(get, "GET update", d.exact_framing);
  BOOST_TEST(IsEntryId(get.body), get.body);
  BOOST_TEST(Get(d.port, channel_path + "/fields/1/last.txt?" + read_key).body == "21.5");

  // The Arduino library 2.x: POST, key in a header, unencoded form body.
  HttpReply arduino = Post(
      d.port, p + "/update", "field1=23.50000&headers=false",
      {"User-Agent: tslib-arduino/2.1.1 (ESP8266)", "X-THINGSPEAKAPIKEY: " + channel.write_key});
  CheckFraming(arduino, "Arduino update", d.exact_framing);
  BOOST_TEST(std::stoull(arduino.body) == std::stoull(get.body) + 1);
  HttpReply last = Get(d.port, channel_path + "/fields/1/last.json?" + read_key);
  CheckFraming(last, "last.json", d.exact_framing);
  BOOST_TEST(last.body.find("\"field1\":\"23.50000\"") != std::string::npos, last.body);
  BOOST_TEST(last.Header("Content-Type") == "application/json; charset=utf-8");

  HttpReply json = Post(d.port, p + "/update.json",
                        "api_key=" + channel.write_key + "&field1=24&status=hello+there");
  CheckFraming(json, "update.json", d.exact_framing);
  BOOST_TEST(json.body.starts_with("{\"channel_id\":" + std::to_string(channel.id) + ","),
             json.body);
  BOOST_TEST(json.body.find("\"status\":\"hello there\"") != std::string::npos);

  HttpReply feed = Get(d.port, channel_path + "/feeds.json?results=3&" + read_key);
  CheckFraming(feed, "feeds.json", d.exact_framing);
  const std::size_t first = feed.body.find("\"field1\":\"21.5\"");
  const std::size_t second = feed.body.find("\"field1\":\"23.50000\"");
  BOOST_TEST((first != std::string::npos && second != std::string::npos && first < second),
             feed.body);
  HttpReply last_entry = Get(d.port, channel_path + "/feeds/last.json?" + read_key);
  BOOST_TEST(last_entry.body.find("\"field1\":\"24\"") != std::string::npos, last_entry.body);

  // Rejections: a 4xx with a reason, nothing stored.
  const auto stored_before = FindChannel(d.data_dir, kChannelName).last_entry_id;
  const std::string update = p + "/update?api_key=" + channel.write_key;
  struct Rejected {
    HttpReply reply;
    int status;
    const char* body;
  };
  const Rejected rejected[] = {
      {Get(d.port, p + "/update?api_key=NOTAKEY&field1=1"), 400, "0"},
      {Get(d.port, p + "/update?api_key=" + channel.read_key + "&field1=1"), 400, "0"},
      {Get(d.port, update + "&field9=1"), 400, "0"},
      {Get(d.port, update + "&field1=" + std::string(256, '7')), 400, "0"},
      {Get(d.port, update + "&field1=%E2%28%A1"), 422, "0"},
      {Get(d.port, update + "&field1=%zz"), 400, "0"},
      {Get(d.port, p + "/update/API_key=" + channel.write_key + "/field=9/data=1"), 400, "0"},
      {Post(d.port, p + "/update",
            "api_key=" + channel.write_key + "&field1=" + std::string(100 * 1024, '1')),
       413, "0"},
      {Get(d.port, channel_path + "/fields/1/last.txt"), 400, "-1"},
      {Get(d.port, channel_path + "/feeds.json?api_key=WRONG"), 400, "-1"},
  };
  for (const Rejected& r : rejected) {
    CheckFraming(r.reply, r.reply.status_line, d.exact_framing);
    BOOST_TEST(r.reply.status == r.status, r.reply.raw.substr(0, 300));
    BOOST_TEST(r.reply.body == r.body, r.reply.raw.substr(0, 300));
    BOOST_TEST(!r.reply.Header("X-Fieldpost-Error").empty(), r.reply.raw.substr(0, 300));
  }
  HttpReply missing = Get(d.port, p + "/channels/999999/feeds.json");
  CheckFraming(missing, "unknown channel", d.exact_framing);
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(FindChannel(d.data_dir, kChannelName).last_entry_id == stored_before);

  // The web pages, under the same prefix: the front page lists the public
  // station channel; the private channel's page needs a key; the pages'
  // script comes out of the binary.
  HttpReply home = Get(d.port, p + "/");
  CheckFraming(home, "front page", d.exact_framing);
  BOOST_TEST(home.status == 200, home.raw.substr(0, 300));
  BOOST_TEST(home.Header("Content-Type") == "text/html; charset=utf-8");
  BOOST_TEST(
      home.body.find("href=\"channels/" + std::to_string(station.id) + "\"") != std::string::npos,
      home.body);
  BOOST_TEST(home.body.find(kChannelName) == std::string::npos);
  const std::vector<std::string> browser = {"Accept: text/html,*/*;q=0.8"};
  HttpReply locked = Get(d.port, channel_path, browser);
  CheckFraming(locked, "private page", d.exact_framing);
  BOOST_TEST(locked.status == 403);
  BOOST_TEST(locked.body.find("This channel is private") != std::string::npos, locked.body);
  BOOST_TEST(locked.body.find("Temperature") == std::string::npos);
  HttpReply opened = Get(d.port, channel_path + "?" + read_key, browser);
  BOOST_TEST(opened.status == 200);
  BOOST_TEST(opened.body.find("<h1>scenario</h1>") != std::string::npos, opened.body);
  // Other clients get the channel's JSON at that path, as before the pages.
  HttpReply data = Get(d.port, channel_path + "?" + read_key);
  BOOST_TEST(data.status == 401);  // the channel view takes the owner's user key
  HttpReply owner = Get(d.port, channel_path + "?api_key=ASCIISTR");
  BOOST_TEST(owner.status == 200);
  BOOST_TEST(owner.body.starts_with("{\"id\":" + std::to_string(channel.id)), owner.body);
  HttpReply script = Get(d.port, p + "/channels/assets/fieldpost.js");
  CheckFraming(script, "page script", d.exact_framing);
  BOOST_TEST(script.status == 200);
  BOOST_TEST(script.Header("Content-Type") == "text/javascript; charset=utf-8");
}

void RunDirectoryScenario(const Deployment& d) {
  const std::string p = d.prefix;
  const ChannelKeys scenario = FindChannel(d.data_dir, kChannelName);  // private, seed's
  const std::string listed = "\"name\":\"" + std::string(kChannelName) + "\"";

  const HttpReply profile = Get(d.port, p + "/users/seed.json");
  CheckFraming(profile, "user profile", d.exact_framing);
  BOOST_TEST(profile.status == 200, profile.raw.substr(0, 300));
  BOOST_TEST(profile.body.find("\"login\":\"seed\"") != std::string::npos, profile.body);
  BOOST_TEST(profile.body.find("ASCIISTR") == std::string::npos, "the profile shows the key");
  BOOST_TEST(Get(d.port, p + "/users/nobody-by-that-name.json").status == 404);

  // A private channel only with its owner's key, then with its API keys.
  const HttpReply anyone = Get(d.port, p + "/users/seed/channels.json");
  BOOST_TEST(anyone.status == 200, anyone.raw.substr(0, 300));
  BOOST_TEST(anyone.body.starts_with("{\"channels\":["), anyone.body);
  BOOST_TEST(anyone.body.find(listed) == std::string::npos, anyone.body);
  const HttpReply owner = Get(d.port, p + "/users/seed/channels.json?api_key=ASCIISTR");
  BOOST_TEST(owner.body.find(listed) != std::string::npos, owner.body);
  BOOST_TEST(owner.body.find(scenario.write_key) != std::string::npos, owner.body);

  const HttpReply directory = Get(d.port, p + "/channels/public.json");
  BOOST_TEST(directory.status == 200, directory.raw.substr(0, 300));
  BOOST_TEST(directory.body.starts_with("{\"pagination\":{\"current_page\":1,\"per_page\":15,"),
             directory.body);
  BOOST_TEST(directory.body.find(listed) == std::string::npos, directory.body);

  // RunApiScenario wrote to the channel moments ago.
  const std::string age_path = p + "/channels/" + std::to_string(scenario.id);
  const HttpReply age =
      Get(d.port, age_path + "/feeds/last_data_age.json?api_key=" + scenario.read_key);
  BOOST_TEST(age.status == 200, age.raw.substr(0, 300));
  BOOST_TEST(age.body.starts_with("{\"last_data_age\":\""), age.body);
  BOOST_TEST(age.body.ends_with("\",\"last_data_age_units\":\"s\"}"), age.body);
  const HttpReply field_age =
      Get(d.port, age_path + "/fields/1/last_data_age.txt?api_key=" + scenario.read_key);
  BOOST_TEST(field_age.status == 200);
  BOOST_TEST((!field_age.body.empty() &&
              field_age.body.find_first_not_of("0123456789") == std::string::npos),
             field_age.body);
  BOOST_TEST(Get(d.port, age_path + "/feeds/last_data_age.json").body == "-1");
}

}  // namespace fieldpost::testing
