#include "tests/integration/arduino_replay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>

#include "tests/integration/cli.h"

namespace fieldpost::testing {
namespace {

constexpr const char* kUserAgent2 = "tslib-arduino/2.1.1 (ESP8266)";

// Arduino's Stream::parseInt: skip to the first digit, read the digits.
long ParseInt(const std::string& text, std::size_t& pos) {
  while (pos < text.size() && !(text[pos] >= '0' && text[pos] <= '9') && text[pos] != '-') ++pos;
  long value = 0;
  bool negative = pos < text.size() && text[pos] == '-';
  if (negative) ++pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
    value = value * 10 + (text[pos++] - '0');
  return negative ? -value : value;
}

struct LibraryReply {
  int status = 0;  // the library's return code: HTTP status, or -303 unparseable
  std::string body;
};

// Sends `request` and reads what the library would: with `until_close`
// (1.x) until the server closes, otherwise (2.x) the head and exactly
// Content-Length bytes, within the library's 5 s.
std::string Exchange(std::uint16_t port, const std::string& request, bool until_close) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  BOOST_REQUIRE(send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
                static_cast<ssize_t>(request.size()));
  std::string raw;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!until_close) {
      const std::size_t head_end = raw.find("\r\n\r\n");
      const std::size_t length_at = raw.find("Content-Length:");
      if (head_end != std::string::npos && length_at != std::string::npos) {
        std::size_t pos = length_at + 15;
        const auto length = static_cast<std::size_t>(ParseInt(raw, pos));
        if (raw.size() >= head_end + 4 + length) break;
      }
    }
    pollfd readable{fd, POLLIN, 0};
    if (poll(&readable, 1, 100) <= 0) continue;
    char buffer[4096];
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return raw;
}

// ThingSpeak.h 2.x getHTTPResponse.
LibraryReply ParseLikeLibrary2(const std::string& raw) {
  LibraryReply reply;
  if (raw.size() < 17) return {-304, ""};
  std::size_t pos = raw.find("HTTP/1.1");
  if (pos == std::string::npos) return {-303, ""};
  pos += 8;
  reply.status = static_cast<int>(ParseInt(raw, pos));
  if (reply.status != 200) return reply;
  pos = raw.find("Content-Length:", pos);
  if (pos == std::string::npos) return {-303, ""};
  pos += 15;
  const auto length = static_cast<std::size_t>(ParseInt(raw, pos));
  pos = raw.find("\r\n\r\n", pos);
  if (pos == std::string::npos) return {-303, ""};
  reply.body = raw.substr(pos + 4, length);
  if (reply.body.size() != length) return {-304, ""};
  return reply;
}

// ThingSpeak.h 1.x: status, then everything after "\n\r\n" until close.
LibraryReply ParseLikeLibrary1(const std::string& raw) {
  LibraryReply reply;
  std::size_t pos = raw.find("HTTP/1.1");
  if (pos == std::string::npos) return {-303, ""};
  pos += 8;
  reply.status = static_cast<int>(ParseInt(raw, pos));
  pos = raw.find("\r\n", pos);
  pos = pos == std::string::npos ? pos : raw.find("\n\r\n", pos);
  if (pos == std::string::npos) return {-303, ""};
  reply.body = raw.substr(pos + 3);
  return reply;
}

// ThingSpeak.h getJSONValueByKey: the text between "key":" and the next ".
std::string JsonValue(const std::string& body, const std::string& key) {
  const std::string marker = "\"" + key + "\":\"";
  const std::size_t start = body.find(marker);
  if (start == std::string::npos) return "";
  const std::size_t end = body.find('"', start + marker.size());
  return body.substr(start + marker.size(), end - start - marker.size());
}

std::string Post2(const std::string& key, const std::string& body) {
  return "POST /update HTTP/1.1\r\nHost: api.thingspeak.com\r\nUser-Agent: " +
         std::string(kUserAgent2) + "\r\nX-THINGSPEAKAPIKEY: " + key +
         "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string Get2(unsigned channel, const std::string& suffix, const std::string& read_key) {
  std::string request =
      "GET /channels/" + std::to_string(channel) + suffix +
      " HTTP/1.1\r\nHost: api.thingspeak.com\r\nUser-Agent: " + std::string(kUserAgent2) + "\r\n";
  if (!read_key.empty()) request += "X-THINGSPEAKAPIKEY: " + read_key + "\r\n";
  return request + "\r\n";
}

}  // namespace

void RunArduinoReplay(std::uint16_t port, const std::string& data_dir) {
  const ChannelKeys channel =
      CreateChannel(data_dir, "arduino", {"--field1", "Temperature", "--field2", "Humidity"});
  const auto write2 = [&](const std::string& body) {
    return ParseLikeLibrary2(Exchange(port, Post2(channel.write_key, body), false));
  };
  const auto read2 = [&](const std::string& suffix) {
    return ParseLikeLibrary2(Exchange(port, Get2(channel.id, suffix, channel.read_key), false));
  };

  // 2.x writeField(ID, 1, 23.5f, KEY): floats go out with 5 decimals.
  LibraryReply written = write2("field1=23.50000&headers=false");
  BOOST_TEST(written.status == 200);
  BOOST_TEST(std::stol(written.body) == 1);
  // 2.x writeFields: location with 2 decimals, a String status sent unencoded.
  written = write2(
      "field1=24.00000&field2=41&lat=52.52&long=13.40&elevation=34.00&status=it is raining&"
      "headers=false");
  BOOST_TEST(written.status == 200);
  BOOST_TEST(written.body == "2");

  // readFloatField / readStringField: fields/N/last without an extension.
  LibraryReply value = read2("/fields/1/last");
  BOOST_TEST(value.status == 200);
  BOOST_TEST(std::stof(value.body) == 24.0f);
  BOOST_TEST(read2("/fields/2/last").body == "41");
  // readStatus, readMultipleFields, readCreatedAt parse feeds/last.txt.
  BOOST_TEST(JsonValue(read2("/feeds/last.txt?status=true").body, "status") == "it is raining");
  const std::string multiple = read2("/feeds/last.txt?status=true&location=true").body;
  BOOST_TEST(JsonValue(multiple, "field1") == "24.00000");
  BOOST_TEST(JsonValue(multiple, "field2") == "41");
  BOOST_TEST(JsonValue(multiple, "latitude") == "52.52");
  BOOST_TEST(JsonValue(multiple, "longitude") == "13.40");
  BOOST_TEST(JsonValue(multiple, "elevation") == "34.00");
  BOOST_TEST(JsonValue(read2("/feeds/last.txt").body, "created_at").size() == 20u);

  // A wrong key: the library reports 400 as "incorrect API key".
  BOOST_TEST(ParseLikeLibrary2(Exchange(port, Post2("WRONGKEY", "field1=1&headers=false"), false))
                 .status == 400);
  BOOST_TEST(
      ParseLikeLibrary2(Exchange(port, Get2(channel.id, "/fields/1/last", ""), false)).status ==
      400);

  // 1.x (to 1.4): custom Host, Connection: close, body ends with "\n".
  const std::string body1 = "field1=25.50000&headers=false\n";
  const std::string request1 =
      "POST /update HTTP/1.1\r\nHost: 192.168.1.10\r\nConnection: close\r\nUser-Agent: "
      "tslib-arduino/1.3 (ESP8266)\r\nX-THINGSPEAKAPIKEY: " +
      channel.write_key +
      "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
      std::to_string(body1.size()) + "\r\n\r\n" + body1;
  LibraryReply reply1 = ParseLikeLibrary1(Exchange(port, request1, true));
  BOOST_TEST(reply1.status == 200);
  BOOST_TEST(reply1.body == "3");

  // 1.0.x: bare LF line endings everywhere.
  const std::string request10 =
      "POST /update HTTP/1.1\nHost: 192.168.1.10\nConnection: close\nUser-Agent: "
      "tslib-arduino/1.0 (arduino uno or mega)\nX-THINGSPEAKAPIKEY: " +
      channel.write_key + "\nContent-Type: application/x-www-form-urlencoded\nContent-Length: " +
      std::to_string(body1.size()) + "\n\n" + body1;
  LibraryReply reply10 = ParseLikeLibrary1(Exchange(port, request10, true));
  BOOST_TEST(reply10.status == 200);
  BOOST_TEST(reply10.body == "4");
  BOOST_TEST(read2("/fields/1/last").body == "25.50000");
}

}  // namespace fieldpost::testing
