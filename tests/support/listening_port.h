// Ports for the servers tests start, without the race of a port that was
// only free a moment ago: another process (a parallel test) may take it
// before the server binds, and the test then speaks to that process.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace fieldpost::testing {

// A socket listening on 127.0.0.1 at a port the kernel chose, held until a
// server started next has taken it over. nginx takes over the sockets its
// NGINX environment variable names, as in a binary upgrade.
class ListeningPort {
 public:
  ListeningPort();  // throws std::runtime_error when no socket can be made
  ~ListeningPort();
  ListeningPort(const ListeningPort&) = delete;
  ListeningPort& operator=(const ListeningPort&) = delete;

  std::uint16_t port() const { return port_; }
  // This process's environment plus NGINX=FD; for nginx to inherit it.
  std::vector<std::string> NginxEnvironment() const;
  // Inheritable across exec from Share() to Seal(): for the one spawn.
  void Share();
  void Seal();
  // Closes this process's copy (the server keeps its own).
  void Release();

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// Whether process `pid` holds the socket listening on 127.0.0.1:`port`
// (from /proc): a server that could not take the port has not.
bool ListensOn(pid_t pid, std::uint16_t port);

}  // namespace fieldpost::testing
