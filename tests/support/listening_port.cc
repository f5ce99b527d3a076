#include "tests/support/listening_port.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace fieldpost::testing {

ListeningPort::ListeningPort() {
  // Non-blocking, as nginx's own listening sockets are: it does not set
  // that on a socket it inherits, and a worker whose accept() blocks (the
  // connection went to another worker) never serves again, nor exits.
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(fd_, 511) != 0 ||
      getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("cannot make a listening socket on 127.0.0.1");
  }
  port_ = ntohs(address.sin_port);
}

ListeningPort::~ListeningPort() { Release(); }

std::vector<std::string> ListeningPort::NginxEnvironment() const {
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (std::string(*entry).rfind("NGINX=", 0) != 0) environment.emplace_back(*entry);
  }
  environment.push_back("NGINX=" + std::to_string(fd_) + ";");
  return environment;
}

void ListeningPort::Share() { fcntl(fd_, F_SETFD, 0); }

void ListeningPort::Seal() { fcntl(fd_, F_SETFD, FD_CLOEXEC); }

void ListeningPort::Release() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

bool ListensOn(pid_t pid, std::uint16_t port) {
  // The listening socket's inode, from the kernel's table of TCP sockets:
  // local address 0100007F (127.0.0.1) and state 0A (LISTEN).
  char local[32];
  std::snprintf(local, sizeof local, "0100007F:%04X", port);
  std::ifstream table("/proc/net/tcp");
  std::string line, inode;
  std::getline(table, line);  // the header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local_address, remote, state, queues, timer, retransmits, uid, timeout;
    fields >> slot >> local_address >> remote >> state >> queues >> timer >> retransmits >> uid >>
        timeout >> inode;
    if (local_address == local && state == "0A") break;
    inode.clear();
  }
  if (inode.empty()) return false;
  const std::string wanted = "socket:[" + inode + "]";
  const std::string fds = "/proc/" + std::to_string(pid) + "/fd";
  DIR* directory = opendir(fds.c_str());
  if (directory == nullptr) return false;
  bool found = false;
  while (dirent* entry = readdir(directory)) {
    char target[64];
    const ssize_t n = readlink((fds + "/" + entry->d_name).c_str(), target, sizeof target - 1);
    if (n > 0 && std::string(target, static_cast<std::size_t>(n)) == wanted) {
      found = true;
      break;
    }
  }
  closedir(directory);
  return found;
}

}  // namespace fieldpost::testing
