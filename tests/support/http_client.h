// A minimal HTTP/1.1 client over a raw loopback socket, so tests see the
// exact bytes a server sends (status line, header spelling, framing).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fieldpost::testing {

struct HttpReply {
  std::string raw;          // everything received
  std::string status_line;  // "HTTP/1.1 200 OK"
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // as spelled
  std::string body;                                          // a chunked body's payload, unchunked

  // The first header whose name equals `name` ignoring case, or "".
  std::string Header(std::string_view name) const;
};

// Sends `request` verbatim to 127.0.0.1:port and reads until the server
// closes (send "Connection: close"). Throws on connection failure.
HttpReply SendRaw(std::uint16_t port, const std::string& request);

// GET `target` with Connection: close.
HttpReply Get(std::uint16_t port, const std::string& target,
              const std::vector<std::string>& extra_headers = {});

// POST `body` as application/x-www-form-urlencoded (or `content_type`).
HttpReply Post(std::uint16_t port, const std::string& target, const std::string& body,
               const std::vector<std::string>& extra_headers = {},
               const std::string& content_type = "application/x-www-form-urlencoded");

// Any method with a form body (PUT, DELETE, OPTIONS, ...).
HttpReply Send(std::uint16_t port, const std::string& method, const std::string& target,
               const std::string& body = "",
               const std::string& content_type = "application/x-www-form-urlencoded");

// A TCP port on 127.0.0.1 that was free a moment ago.
std::uint16_t FreePort();

// Parses a raw response (exposed for tests of the client itself).
HttpReply ParseReply(std::string raw);

}  // namespace fieldpost::testing
