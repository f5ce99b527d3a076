// The servers' listening sockets, opened by the composition root and handed
// to a frontend as a file descriptor. Opening one never harms what is
// already at its address: a unix socket path is replaced only when it holds
// a stale socket nobody listens on, and removed at exit only while it is
// still ours. Every failure names the address and the reason.
#pragma once

#include <sys/types.h>

#include <string>

#include "core/status.h"

namespace fieldpost {

class ListeningSocket {
 public:
  // Opens `address`: a unix socket path (anything without ':'), created with
  // permissions `unix_mode`, or "HOST:PORT", ":PORT" or "[IPV6]:PORT" for
  // TCP (port 0 picks a free one). Refuses a path that exists and is not a
  // socket, and a socket another process is listening on.
  static Result<ListeningSocket> Open(const std::string& address, int backlog, unsigned unix_mode);

  // Opens a TCP address only ("HOST:PORT", ":PORT", "[IPV6]:PORT"); an
  // address without a port is an error, never a unix socket path.
  static Result<ListeningSocket> OpenTcp(const std::string& address, int backlog);

  // Adopts a socket the process inherited (systemd, a web server); it is
  // neither closed nor unlinked here, since other processes may serve it.
  static ListeningSocket Adopt(int fd, std::string description);

  ListeningSocket(ListeningSocket&& other) noexcept;
  ListeningSocket& operator=(ListeningSocket&& other) noexcept;
  ListeningSocket(const ListeningSocket&) = delete;
  ListeningSocket& operator=(const ListeningSocket&) = delete;
  ~ListeningSocket();

  int fd() const { return fd_; }
  // For logs: the unix path, "HOST:PORT" as bound (the real port when 0 was
  // asked for), or how an inherited socket came.
  const std::string& description() const { return description_; }

 private:
  ListeningSocket(int fd, std::string description)
      : fd_(fd), description_(std::move(description)) {}
  void Release();

  int fd_ = -1;
  std::string description_;
  bool owned_ = false;
  // The unix socket file we created, identified by device and inode so that
  // a file someone else put at the path later is never unlinked.
  std::string unix_path_;
  dev_t device_ = 0;
  ino_t inode_ = 0;
};

}  // namespace fieldpost
