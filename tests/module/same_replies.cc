#include "tests/module/same_replies.h"

#include <boost/test/unit_test.hpp>
#include <regex>
#include <vector>

#include "tests/integration/cli.h"
#include "tests/support/http_client.h"

namespace fieldpost::testing {
namespace {

// The reply without what differs between two servers by nature: the Date
// header, and the entry id in a write's body (each write gets its own).
std::string Comparable(const HttpReply& reply, bool is_write) {
  std::string raw = std::regex_replace(reply.raw, std::regex("\r\nDate: [^\r]*"), "");
  if (is_write) raw = std::regex_replace(raw, std::regex("\r\n\r\n[0-9]+$"), "\r\n\r\nN");
  return raw;
}

std::string Request(const std::string& method, const std::string& target,
                    const std::vector<std::string>& headers = {}) {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const std::string& header : headers) request += header + "\r\n";
  return request + "Connection: close\r\n\r\n";
}

}  // namespace

void RequireSameReplies(std::uint16_t reference_port, std::uint16_t module_port,
                        const std::string& data_dir, bool unknown_paths_reach_fcgi) {
  const ChannelKeys open = CreateChannel(data_dir, "open", {"--public"});
  const ChannelKeys locked = CreateChannel(data_dir, "locked");
  for (const ChannelKeys* channel : {&open, &locked}) {
    for (const char* value : {"21.5", "22.25"}) {
      const HttpReply written = Get(reference_port, "/iot/update?api_key=" + channel->write_key +
                                                        "&field1=" + value + "&field2=7");
      BOOST_REQUIRE_MESSAGE(written.status == 200 && written.body != "0", written.raw);
    }
  }
  const std::string o = "/iot/channels/" + std::to_string(open.id);
  const std::string l = "/iot/channels/" + std::to_string(locked.id);
  const std::string read = "api_key=" + locked.read_key;
  std::vector<std::string> reads = {
      Request("GET", o + "/feeds.json"),
      Request("GET", o + "/feeds.xml?results=1"),
      Request("GET", o + "/feeds.csv"),
      Request("GET", o + "/fields/1/last.txt"),
      Request("GET", o + "/fields/2.json?results=1"),
      Request("GET", o + "/feeds/last.json?timezone=Europe%2FBerlin"),
      Request("GET", o + ".json"),
      Request("GET", o, {"Accept: text/html,application/xhtml+xml"}),
      Request("GET", "/iot/", {"Accept: text/html"}),
      Request("GET", l + "/feeds.json?" + read),
      Request("GET", l + "/feeds.json"),
      Request("GET", l + "/fields/1/last.txt"),
      Request("GET", l, {"Accept: text/html"}),
      Request("GET", "/iot/channels/999/feeds.json"),
      Request("GET", "/iot/update"),
      Request("GET", "/iot/update?api_key=WRONG&field1=1"),
      Request("GET", "/iot/update?api_key=" + open.write_key + "&field1=%FF"),
      Request("DELETE", o + "/feeds.json"),
      Request("OPTIONS", "/iot/update", {"Origin: http://example.org"}),
      Request("HEAD", o + "/fields/1/last.txt"),
      Request("GET", o + "/feeds.json?results=" + std::string(9000, '1')),
  };
  if (unknown_paths_reach_fcgi) {
    reads.push_back(Request("GET", "/iot/no/such/thing.json"));
    reads.push_back(Request("GET", "/iot/no/such/thing.xml"));
  }
  for (const std::string& request : reads) {
    const std::string expected = Comparable(SendRaw(reference_port, request), false);
    const std::string got = Comparable(SendRaw(module_port, request), false);
    BOOST_TEST(got == expected, "for " << request.substr(0, request.find('\r')) << "\nreference:\n"
                                       << expected << "\nmodule:\n"
                                       << got);
  }
  const std::vector<std::string> writes = {
      Request("GET", "/iot/update?api_key=" + open.write_key + "&field1=3"),
      Request("GET", "/iot/update/" + open.write_key + "/4?field2=5"),
      "POST /iot/update HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-THINGSPEAKAPIKEY: " +
          open.write_key +
          "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\n"
          "field1=26",
  };
  for (const std::string& request : writes) {
    const std::string expected = Comparable(SendRaw(reference_port, request), true);
    const std::string got = Comparable(SendRaw(module_port, request), true);
    BOOST_TEST(got == expected, "for " << request.substr(0, request.find('\r')) << "\nreference:\n"
                                       << expected << "\nmodule:\n"
                                       << got);
  }
}

}  // namespace fieldpost::testing
