#include "app/listen_socket.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <utility>

namespace fieldpost {
namespace {

Status Failure(const std::string& what, const std::string& address, int error) {
  return Internal(what + " " + address + ": " + std::strerror(error));
}

bool FillUnixAddress(const std::string& path, sockaddr_un& address) {
  address = {};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path) return false;
  std::memcpy(address.sun_path, path.data(), path.size());
  return true;
}

// Whether the socket at `path` is stale: nobody listens on it (connecting
// is refused). A listener whose backlog is full (EAGAIN), or a socket we
// may not connect to (EACCES), is someone's, and an error says why.
Result<bool> IsStale(const std::string& path, const sockaddr_un& address) {
  const int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (probe < 0) return Failure("cannot probe", path, errno);
  const int connected = connect(probe, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const int error = errno;
  close(probe);
  if (connected == 0 || error == EAGAIN) {
    return Internal("another process is already listening on " + path +
                    "; stop it first or choose another socket path");
  }
  if (error == ECONNREFUSED || error == ENOENT) return true;
  return Failure("cannot tell whether a process listens on", path, error);
}

// What is at `path` before we bind: nothing, or a stale socket (removed);
// anything else is left alone and refused.
Status ClearUnixPath(const std::string& path, const sockaddr_un& address) {
  struct stat existing {};
  if (lstat(path.c_str(), &existing) != 0) {
    if (errno == ENOENT) return OkStatus();
    return Failure("cannot inspect", path, errno);
  }
  if (!S_ISSOCK(existing.st_mode)) {
    return Internal(path +
                    " exists and is not a socket; refusing to replace it (choose "
                    "another socket path)");
  }
  if (auto stale = IsStale(path, address); !stale.ok()) return stale.status();
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Failure("cannot remove the stale socket", path, errno);
  }
  return OkStatus();
}

std::string Describe(const sockaddr* address) {
  char host[INET6_ADDRSTRLEN] = "?";
  unsigned port = 0;
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
    port = ntohs(v4->sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
  inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
  return "[" + std::string(host) + "]:" + std::to_string(ntohs(v6->sin6_port));
}

}  // namespace

Result<ListeningSocket> ListeningSocket::Open(const std::string& address, int backlog,
                                              unsigned unix_mode) {
  if (address.find(':') != std::string::npos) return OpenTcp(address, backlog);
  sockaddr_un unix_address;
  if (!FillUnixAddress(address, unix_address)) {
    return InvalidArgument("socket path '" + address + "' is empty or too long");
  }
  if (Status s = ClearUnixPath(address, unix_address); !s.ok()) return s;
  ListeningSocket opened(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), address);
  if (opened.fd_ < 0) return Failure("cannot create a socket for", address, errno);
  opened.owned_ = true;
  if (bind(opened.fd_, reinterpret_cast<const sockaddr*>(&unix_address), sizeof unix_address) !=
      0) {
    if (errno == ENOENT) {
      // Typed by hand, a path under /run names a directory only the
      // packaged socket unit makes; say what to do.
      const std::size_t slash = address.rfind('/');
      const std::string directory = slash == std::string::npos || slash == 0
                                        ? std::string(slash == 0 ? "/" : ".")
                                        : address.substr(0, slash);
      return Internal("cannot create the socket " + address + ": the directory " + directory +
                      " does not exist; create it (mkdir -p " + directory +
                      ", owned by the user this runs as, and let the web server's user reach "
                      "it), or start the packaged fieldpost-fcgi.socket, which makes it");
    }
    return Failure("cannot create the socket", address, errno);
  }
  struct stat created {};
  lstat(address.c_str(), &created);
  opened.unix_path_ = address;
  opened.device_ = created.st_dev;
  opened.inode_ = created.st_ino;
  // The web server's user must be able to connect; set before listening.
  if (chmod(address.c_str(), unix_mode) != 0) return Failure("cannot chmod", address, errno);
  if (listen(opened.fd_, backlog) != 0) return Failure("cannot listen on", address, errno);
  return opened;
}

Result<ListeningSocket> ListeningSocket::OpenTcp(const std::string& address, int backlog) {
  const std::size_t colon = address.rfind(':');
  unsigned port_number = 0;
  const char* port_end = address.data() + address.size();
  if (colon == std::string::npos ||
      std::from_chars(address.data() + colon + 1, port_end, port_number).ptr != port_end ||
      colon + 1 == address.size() || port_number > 65535) {
    return InvalidArgument("cannot listen on " + address + ": not HOST:PORT with a port 0-65535");
  }
  std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int rc =
          getaddrinfo(host.empty() ? "0.0.0.0" : host.c_str(), port.c_str(), &hints, &found);
      rc != 0) {
    return InvalidArgument("cannot listen on " + address + ": " + gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> list(found, freeaddrinfo);
  ListeningSocket opened(socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), address);
  if (opened.fd_ < 0) return Failure("cannot create a socket for", address, errno);
  opened.owned_ = true;
  const int on = 1;
  setsockopt(opened.fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (bind(opened.fd_, found->ai_addr, found->ai_addrlen) != 0) {
    return Failure("cannot listen on", address, errno);
  }
  if (listen(opened.fd_, backlog) != 0) return Failure("cannot listen on", address, errno);
  sockaddr_storage bound{};
  socklen_t size = sizeof bound;
  if (getsockname(opened.fd_, reinterpret_cast<sockaddr*>(&bound), &size) == 0) {
    opened.description_ = Describe(reinterpret_cast<const sockaddr*>(&bound));
  }
  return opened;
}

ListeningSocket ListeningSocket::Adopt(int fd, std::string description) {
  return ListeningSocket(fd, std::move(description));
}

ListeningSocket::ListeningSocket(ListeningSocket&& other) noexcept { *this = std::move(other); }

ListeningSocket& ListeningSocket::operator=(ListeningSocket&& other) noexcept {
  if (this != &other) {
    Release();
    fd_ = std::exchange(other.fd_, -1);
    description_ = std::move(other.description_);
    owned_ = std::exchange(other.owned_, false);
    unix_path_ = std::move(other.unix_path_);
    device_ = other.device_;
    inode_ = other.inode_;
  }
  return *this;
}

ListeningSocket::~ListeningSocket() { Release(); }

void ListeningSocket::Release() {
  if (!owned_) return;
  owned_ = false;
  if (!unix_path_.empty()) {
    struct stat now {};
    if (lstat(unix_path_.c_str(), &now) == 0 && now.st_dev == device_ && now.st_ino == inode_) {
      unlink(unix_path_.c_str());
    }
  }
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

}  // namespace fieldpost
