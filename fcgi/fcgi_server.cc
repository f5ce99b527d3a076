#include "fcgi/fcgi_server.h"

#include <fcgiapp.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <utility>

#include "api/http_errors.h"
#include "core/log.h"
#include "fcgi/cgi_exchange.h"

namespace fieldpost {

struct FcgiServer::Connection {
  FCGX_Request native;
  std::mutex mutex;  // guards the two below: the Api may reply from another thread
  std::optional<Response> response;
  bool in_handle = false;  // the serving thread replies once Api::Handle returns
  // The next connection in the queue of committed writes: queueing from
  // the committing thread allocates nothing, so it cannot fail.
  Connection* next_committed = nullptr;
};

namespace {

// epoll data for the three descriptors that are not connections.
char stop_tag, listen_tag, committed_tag;

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

unsigned DefaultFcgiThreads() {
  cpu_set_t cpus;
  const int usable = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 0;
  return std::max(2u, static_cast<unsigned>(usable));
}

FcgiServer::FcgiServer(const Api& api, FcgiOptions options)
    : api_(api), options_(std::move(options)) {}

FcgiServer::~FcgiServer() {
  Stop();
  for (int fd : {stop_pipe_[0], stop_pipe_[1], committed_fd_, epoll_fd_}) {
    if (fd >= 0) close(fd);
  }
}

Status FcgiServer::Start(int listen_fd) {
  if (FCGX_Init() != 0) return Internal("FCGX_Init failed");
  listen_fd_ = listen_fd;
  // Non-blocking: several threads may be woken for one connection, and
  // those that find it taken must not block in accept.
  fcntl(listen_fd_, F_SETFL, fcntl(listen_fd_, F_GETFL) | O_NONBLOCK);
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  unix_socket_ = getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
                 address.ss_family == AF_UNIX;
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) return Internal(Errno("epoll_create1"));
  if (pipe2(stop_pipe_, O_CLOEXEC) != 0) return Internal(Errno("pipe2"));
  committed_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (committed_fd_ < 0) return Internal(Errno("eventfd"));
  // Level-triggered: the stop pipe is never drained, so it wakes every
  // thread; the listening socket and the eventfd wake one thread per event.
  const std::pair<int, void*> watched[] = {
      {stop_pipe_[0], &stop_tag}, {listen_fd_, &listen_tag}, {committed_fd_, &committed_tag}};
  for (const auto& [fd, tag] : watched) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = tag;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) return Internal(Errno("epoll_ctl"));
  }
  const int threads =
      options_.threads > 0 ? options_.threads : static_cast<int>(DefaultFcgiThreads());
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { WorkerLoop(); });
  return OkStatus();
}

void FcgiServer::Stop() {
  if (threads_.empty()) return;
  // No new connections; the requests already read get their replies (a
  // write's once its commit returns), then the threads end.
  stopping_ = true;
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(options_.io_timeout_s);
  // Every request read gets its reply: a write's commit always returns,
  // and a reply's send times out. Until then the Api may still call back
  // into this server, so it waits, and says so when it waits long.
  bool warned = false;
  while (in_flight_.load() > 0) {
    if (!warned && std::chrono::steady_clock::now() > deadline) {
      LogWarning("stopping: " + std::to_string(in_flight_.load()) + " replies still unsent after " +
                 std::to_string(options_.io_timeout_s) + " s");
      warned = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const char byte = 0;
  [[maybe_unused]] ssize_t written = write(stop_pipe_[1], &byte, 1);
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  // Connections the web server kept open between requests.
  std::lock_guard lock(connections_mutex_);
  for (Connection* connection : connections_) {
    FCGX_Free(&connection->native, 0);
    if (connection->native.ipcFd >= 0) close(connection->native.ipcFd);
    delete connection;
  }
  connections_.clear();
}

void FcgiServer::WorkerLoop() {
  epoll_event events[8];
  while (true) {
    const int ready = epoll_wait(epoll_fd_, events, 8, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      LogError(Errno("epoll_wait"));
      return;
    }
    bool stop = false;
    // The whole batch is served, even after the stop pipe: a connection in
    // it has a request waiting, which gets its reply (a 503 once stopping).
    for (int i = 0; i < ready; ++i) {
      void* tag = events[i].data.ptr;
      if (tag == &stop_tag) {
        stop = true;
      } else if (tag == &listen_tag) {
        AcceptConnections();
      } else if (tag == &committed_tag) {
        ReplyToCommitted();
      } else {
        Serve(static_cast<Connection*>(tag));
      }
    }
    if (stop) return;
  }
}

void FcgiServer::AcceptConnections() {
  // A few at a time, so one thread does not take a burst alone.
  for (int accepted = 0; accepted < 16 && !stopping_; ++accepted) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      // EAGAIN: another thread or process took it. Out of descriptors or
      // memory: back off rather than spin on a socket that stays readable.
      if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
        LogError(Errno("accept"));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      return;
    }
    // libfcgi reads a request whole, blocking: a peer that connects and
    // stalls frees the thread after the timeout.
    const timeval timeout{static_cast<time_t>(options_.io_timeout_s), 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    auto* connection = new Connection;
    {
      std::lock_guard lock(connections_mutex_);
      connections_.insert(connection);
    }
    bool watched = false;
    {
      std::lock_guard lock(connection->mutex);  // see Reply
      // No listening socket for libfcgi: finding a connection closed, it
      // would accept the next one itself, without our timeouts.
      FCGX_InitRequest(&connection->native, -1, 0);
      connection->native.ipcFd = fd;
      watched = Arm(connection);
    }
    if (!watched) Close(connection);
  }
}

bool FcgiServer::Arm(Connection* connection) {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
  event.data.ptr = connection;
  const int fd = connection->native.ipcFd;
  // A descriptor seen before is re-armed; a new one (or one libfcgi
  // replaced) is added.
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event) == 0) return true;
  if (errno == ENOENT && epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) == 0) return true;
  LogError(Errno("epoll_ctl"));
  return false;
}

void FcgiServer::Close(Connection* connection) {
  {
    std::lock_guard lock(connections_mutex_);
    connections_.erase(connection);
  }
  FCGX_Free(&connection->native, 0);
  const int fd = connection->native.ipcFd;
  if (fd >= 0) {
    if (!unix_socket_) {
      // Over TCP, bytes left unread when closing would reset the
      // connection, and the web server could lose the reply with them.
      char sink[4096];
      while (recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0) {
      }
    }
    close(fd);  // also leaves the epoll set
  }
  delete connection;
}

void FcgiServer::Serve(Connection* connection) {
  FCGX_Request& native = connection->native;
  // Counted before `stopping_` is read: Stop sets it before it waits for
  // the count to drop, so a request is either waited for or refused, and
  // nothing asynchronous starts once Stop has stopped waiting.
  ++in_flight_;
  {
    // After whichever thread set the connection up or finished its last
    // request (see Reply). FCGX_Accept_r first finishes the previous
    // request and closes the connection unless it is marked kept; that
    // request was finished already, so this only reads the next one.
    std::lock_guard lock(connection->mutex);
    native.keepConnection = 1;
  }
  if (FCGX_Accept_r(&native) != 0) {
    // Closed by the web server (or broken); libfcgi has closed it.
    --in_flight_;
    Close(connection);
    return;
  }
  {
    std::lock_guard lock(connection->mutex);
    connection->response.reset();
    connection->in_handle = true;
  }
  std::optional<Request> request;
  try {
    request = RequestFromCgi(
        native.envp,
        [&](char* buffer, std::size_t size) {
          const int got = FCGX_GetStr(buffer, static_cast<int>(size), native.in);
          return got > 0 ? static_cast<std::size_t>(got) : 0;
        },
        api_.options().frontend_body_limit());
    if (stopping_) {
      // Not run, so the client may safely send it again.
      request->refusal = {StatusCode::kUnavailable, "the server is stopping; send it again"};
    }
  } catch (const std::exception& e) {
    // Out of memory building the request; the Api never sees it.
    LogError(std::string("fastcgi request failed: ") + e.what());
    request.reset();
  }
  // The rest of stdin (a body over the limit, or just its end record),
  // before anything replies: once it is read the web server sends nothing
  // more for this request, so the connection may be kept for the next one
  // or closed at once (Apache's proxy_fcgi gives 503 when its last write
  // fails), and no other thread touches the request while this one reads.
  char rest[4096];
  while (FCGX_GetStr(rest, sizeof rest, native.in) > 0) {
  }
  if (request) {
    api_.Handle(*request, [this, connection](Response response) {
      std::unique_lock lock(connection->mutex);
      connection->response = std::move(response);
      if (connection->in_handle) return;  // the serving thread replies
      lock.unlock();
      {
        std::lock_guard queue(committed_mutex_);
        connection->next_committed = committed_;
        committed_ = connection;
      }
      const std::uint64_t one = 1;
      [[maybe_unused]] ssize_t written = write(committed_fd_, &one, sizeof one);
    });
  }
  bool answered = false;
  {
    std::lock_guard lock(connection->mutex);
    connection->in_handle = false;
    if (!request) connection->response = InternalErrorResponse();
    answered = connection->response.has_value();
  }
  // Otherwise a write waits for its commit, and ReplyToCommitted answers.
  if (answered) Reply(connection);
}

void FcgiServer::ReplyToCommitted() {
  std::uint64_t count = 0;
  [[maybe_unused]] ssize_t got = read(committed_fd_, &count, sizeof count);
  Connection* ready = nullptr;
  {
    std::lock_guard lock(committed_mutex_);
    ready = std::exchange(committed_, nullptr);
  }
  while (ready != nullptr) Reply(std::exchange(ready, ready->next_committed));
}

void FcgiServer::Reply(Connection* connection) {
  FCGX_Request& native = connection->native;
  bool armed = false;
  {
    // Held while the request is finished and the connection re-armed: the
    // next thread to serve it (woken by epoll the moment it is re-armed,
    // and which may close it at once) takes the lock first, which orders
    // it after all of this in C++'s eyes (and TSan's), not only the
    // kernel's. Nothing here touches the connection after the lock.
    std::lock_guard lock(connection->mutex);
    try {
      const Response& response = *connection->response;
      const std::string head = CgiResponseHead(response);
      FCGX_PutStr(head.data(), static_cast<int>(head.size()), native.out);
      FCGX_PutStr(response.body.data(), static_cast<int>(response.body.size()), native.out);
    } catch (const std::exception& e) {
      LogError(std::string("fastcgi reply failed: ") + e.what());
    }
    // Whether the web server keeps the connection (fastcgi_keep_conn on).
    // libfcgi would otherwise close it itself, waiting up to 2 s for the
    // peer to close first; Close does that without waiting.
    const bool keep = native.keepConnection != 0;
    native.keepConnection = 1;
    FCGX_Finish_r(&native);  // flushes the reply and ends the request
    connection->response.reset();
    // A negative descriptor: writing failed and libfcgi closed it.
    if (keep && !stopping_ && native.ipcFd >= 0) armed = Arm(connection);
  }
  --in_flight_;
  if (!armed) Close(connection);
}

}  // namespace fieldpost
