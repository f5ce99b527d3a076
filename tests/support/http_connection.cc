#include "tests/support/http_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace fieldpost::testing {

HttpConnection::HttpConnection(std::uint16_t port, const std::string& source) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd_);
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
}

HttpConnection::~HttpConnection() { close(fd_); }

bool HttpConnection::Send(const std::string& bytes) {
  return send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

std::optional<HttpReply> HttpConnection::ReadReply(int timeout_ms) {
  while (true) {
    const std::size_t head_end = buffered_.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      HttpReply head = ParseReply(buffered_.substr(0, head_end + 4));
      const std::size_t length = std::stoul("0" + head.Header("Content-Length"));
      if (buffered_.size() >= head_end + 4 + length) {
        HttpReply reply = ParseReply(buffered_.substr(0, head_end + 4 + length));
        buffered_.erase(0, head_end + 4 + length);
        return reply;
      }
    }
    pollfd readable{fd_, POLLIN, 0};
    if (poll(&readable, 1, timeout_ms) <= 0) return std::nullopt;
    char chunk[16384];
    const ssize_t got = recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) return std::nullopt;
    buffered_.append(chunk, static_cast<std::size_t>(got));
  }
}

bool HttpConnection::ClosedByPeer(int timeout_ms) {
  pollfd readable{fd_, POLLIN, 0};
  if (poll(&readable, 1, timeout_ms) <= 0) return false;
  char byte;
  return recv(fd_, &byte, 1, MSG_PEEK) == 0;
}

}  // namespace fieldpost::testing
