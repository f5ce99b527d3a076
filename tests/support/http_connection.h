// A kept-alive HTTP/1.1 connection on loopback for tests that need to hold
// connections open, send several requests on one, or come from another
// loopback address (127.0.0.2) than the client they compete with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tests/support/http_client.h"

namespace fieldpost::testing {

class HttpConnection {
 public:
  // Connects to 127.0.0.1:port from `source` (any 127/8 address). Throws
  // if the connection cannot be made.
  explicit HttpConnection(std::uint16_t port, const std::string& source = "127.0.0.1");
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends bytes as they are; false once the peer has closed.
  bool Send(const std::string& bytes);
  // Reads one reply framed by Content-Length; empty when the connection
  // closed (or `timeout_ms` passed) before a whole reply arrived.
  std::optional<HttpReply> ReadReply(int timeout_ms = 15000);
  // Whether the server has closed the connection (waits up to `timeout_ms`).
  bool ClosedByPeer(int timeout_ms);

 private:
  int fd_ = -1;
  std::string buffered_;
};

}  // namespace fieldpost::testing
