#include "fcgi/fcgi_server.h"

#include <fcgiapp.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "fcgi/cgi_exchange.h"
#include "module/log.h"

namespace fieldpost {

FcgiServer::FcgiServer(const Api& api, FcgiOptions options)
    : api_(api), options_(std::move(options)) {}

FcgiServer::~FcgiServer() {
  Stop();
  for (int fd : stop_pipe_) {
    if (fd >= 0) close(fd);
  }
}

Status FcgiServer::Start(int listen_fd) {
  if (FCGX_Init() != 0) return Internal("FCGX_Init failed");
  listen_fd_ = listen_fd;
  // Non-blocking, so a thread woken by poll() whose connection another
  // process took gets EAGAIN instead of blocking where Stop() cannot reach.
  fcntl(listen_fd_, F_SETFL, fcntl(listen_fd_, F_GETFL) | O_NONBLOCK);
  if (pipe2(stop_pipe_, O_CLOEXEC) != 0) return Internal("pipe2 failed");
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { WorkerLoop(); });
  return OkStatus();
}

void FcgiServer::Stop() {
  if (threads_.empty()) return;
  const char byte = 0;
  // The pipe is never drained, so every thread's poll() sees it.
  [[maybe_unused]] ssize_t written = write(stop_pipe_[1], &byte, 1);
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

int FcgiServer::AcceptConnection() {
  std::lock_guard lock(accept_mutex_);
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) {
      LogError(std::string("poll: ") + std::strerror(errno));
      return -1;
    }
    if (fds[1].revents != 0) return -1;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) return fd;
    // EAGAIN: another process took the connection. Out of descriptors or
    // memory: back off rather than spin on a listening socket that stays
    // readable.
    if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
      LogError(std::string("accept: ") + std::strerror(errno));
      poll(fds + 1, 1, 100);
    }
  }
}

bool FcgiServer::AcceptNext(void* native) {
  auto* request = static_cast<FCGX_Request*>(native);
  while (true) {
    if (request->ipcFd >= 0) {
      // The web server kept the connection (fastcgi_keep_conn on): the
      // next request comes on it, not through the listening socket.
      pollfd fds[2] = {{request->ipcFd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
      while (poll(fds, 2, -1) < 0 && errno == EINTR) {
      }
      if (fds[1].revents != 0) return false;
    } else {
      const int fd = AcceptConnection();
      if (fd < 0) return false;
      // A peer that connects and sends nothing must not hold this thread
      // (or Stop()) forever; the web server sends each request at once.
      const timeval timeout{static_cast<time_t>(options_.io_timeout_s), 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
      request->ipcFd = fd;
      // FCGX_Accept_r first finishes the previous request and closes the
      // connection unless it is marked kept; ours is new, so keep it. The
      // new request's own keep-alive flag replaces this.
      request->keepConnection = 1;
    }
    // Reads the request off the connection, outside the accept mutex.
    if (FCGX_Accept_r(request) == 0) return true;
    // The connection failed or closed before a request arrived; libfcgi has
    // closed it. Wait for the next one.
  }
}

void FcgiServer::WorkerLoop() {
  FCGX_Request native;
  FCGX_InitRequest(&native, listen_fd_, 0);
  while (AcceptNext(&native)) {
    // Api::Handle never throws; the conversions only allocate.
    try {
      const Request request = RequestFromCgi(
          native.envp,
          [&](char* buffer, std::size_t size) {
            const int got = FCGX_GetStr(buffer, static_cast<int>(size), native.in);
            return got > 0 ? static_cast<std::size_t>(got) : 0;
          },
          api_.options().frontend_body_limit());
      const Response response = api_.Handle(request);
      const std::string head = CgiResponseHead(response);
      FCGX_PutStr(head.data(), static_cast<int>(head.size()), native.out);
      FCGX_PutStr(response.body.data(), static_cast<int>(response.body.size()), native.out);
    } catch (const std::exception& e) {
      LogError(std::string("fastcgi request failed: ") + e.what());
    }
    FCGX_Finish_r(&native);
  }
  FCGX_Free(&native, 1);  // closes a connection the web server kept open
}

}  // namespace fieldpost
