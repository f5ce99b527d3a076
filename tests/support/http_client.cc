#include "tests/support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <strings.h>
#include <cstdlib>
#include <stdexcept>

namespace fieldpost::testing {
namespace {

sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// The payload of a chunked body (chunk extensions and trailers ignored).
std::string Unchunk(const std::string& body) {
  std::string payload;
  std::size_t at = 0;
  while (at < body.size()) {
    const std::size_t line_end = body.find("\r\n", at);
    if (line_end == std::string::npos) break;
    const std::size_t size = std::strtoul(body.c_str() + at, nullptr, 16);
    if (size == 0) break;
    payload += body.substr(line_end + 2, size);
    at = line_end + 2 + size + 2;
  }
  return payload;
}

}  // namespace

std::string HttpReply::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return "";
}

HttpReply ParseReply(std::string raw) {
  HttpReply reply;
  reply.raw = std::move(raw);
  const std::size_t head_end = reply.raw.find("\r\n\r\n");
  const std::string head = reply.raw.substr(0, head_end);
  reply.body = head_end == std::string::npos ? "" : reply.raw.substr(head_end + 4);
  std::size_t line_start = 0;
  bool first = true;
  while (line_start < head.size()) {
    std::size_t line_end = head.find("\r\n", line_start);
    if (line_end == std::string::npos) line_end = head.size();
    const std::string line = head.substr(line_start, line_end - line_start);
    if (first) {
      reply.status_line = line;
      const std::size_t space = line.find(' ');
      if (space != std::string::npos) reply.status = std::atoi(line.c_str() + space + 1);
      first = false;
    } else if (const std::size_t colon = line.find(':'); colon != std::string::npos) {
      std::size_t value_start = colon + 1;
      while (value_start < line.size() && line[value_start] == ' ') ++value_start;
      reply.headers.emplace_back(line.substr(0, colon), line.substr(value_start));
    }
    line_start = line_end + 2;
  }
  if (reply.Header("Transfer-Encoding") == "chunked") reply.body = Unchunk(reply.body);
  return reply;
}

HttpReply SendRaw(std::uint16_t port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  timeval timeout{15, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  const sockaddr_in address = Loopback(port);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buffer[16384];
  while (true) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return ParseReply(std::move(raw));
}

HttpReply Get(std::uint16_t port, const std::string& target,
              const std::vector<std::string>& extra_headers) {
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: api.thingspeak.com\r\n";
  for (const std::string& header : extra_headers) request += header + "\r\n";
  request += "Connection: close\r\n\r\n";
  return SendRaw(port, request);
}

HttpReply Post(std::uint16_t port, const std::string& target, const std::string& body,
               const std::vector<std::string>& extra_headers, const std::string& content_type) {
  std::string request = "POST " + target + " HTTP/1.1\r\nHost: api.thingspeak.com\r\n";
  for (const std::string& header : extra_headers) request += header + "\r\n";
  request += "Content-Type: " + content_type + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return SendRaw(port, request + body);
}

HttpReply Send(std::uint16_t port, const std::string& method, const std::string& target,
               const std::string& body, const std::string& content_type) {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: api.thingspeak.com\r\n";
  if (!body.empty()) request += "Content-Type: " + content_type + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return SendRaw(port, request + body);
}

std::uint16_t FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = Loopback(0);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace fieldpost::testing
