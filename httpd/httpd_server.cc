#include "httpd/httpd_server.h"

#include <fcntl.h>
#include <microhttpd.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <thread>

#include "core/log.h"
#include "httpd/httpd_exchange.h"

namespace fieldpost {
namespace {

// libmicrohttpd's own messages (a refused connection, a malformed request)
// go through our log, marked as its.
void LogLibraryMessage(void*, const char* format, va_list arguments) {
  char text[512];
  std::vsnprintf(text, sizeof text, format, arguments);
  std::string message = std::string("libmicrohttpd: ") + text;
  while (!message.empty() && message.back() == '\n') message.pop_back();
  LogWarning(message);
}

}  // namespace

unsigned DefaultServeThreads() {
  cpu_set_t cpus;
  const int usable = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 0;
  return std::max(4u, 2 * static_cast<unsigned>(usable));
}

HttpdServer::HttpdServer(const Api& api, HttpdOptions options, AccessLog* access_log)
    : context_(std::make_unique<HttpdContext>(&api, access_log)), options_(std::move(options)) {}

HttpdServer::~HttpdServer() { Stop(); }

Status HttpdServer::Start(int listen_fd) {
  // MHD_USE_ITC wakes every pool thread at once on stop, however many idle
  // connections it holds, and lets MHD_quiesce_daemon stop the accepting.
  // MHD_ALLOW_SUSPEND_RESUME: a write parks its connection until its
  // commit returns instead of holding a thread.
  const unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                         MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
  // MHD closes the socket it serves on at some failures and stops; it gets
  // a descriptor of its own, and the caller's stays the caller's.
  const int own_fd = fcntl(listen_fd, F_DUPFD_CLOEXEC, 0);
  if (own_fd < 0)
    return Internal(std::string("cannot duplicate the listening socket: ") + std::strerror(errno));
  // libmicrohttpd clears a connection's whole memory pool for every
  // request (0.9.75: about half the instructions of a small request at its
  // 32 KiB default), so the pool is only as large as the longest request
  // head the API takes needs: the target plus 8 KiB of headers, with room
  // for what MHD parses out of them and for the reply's head (a 16 KiB pool
  // refused 14 KiB heads). A longer head gets libmicrohttpd's own 431.
  const std::size_t pool_bytes = context_->api->options().max_target_bytes + 16 * 1024;
  daemon_ = MHD_start_daemon(
      flags, 0, nullptr, nullptr, &AnswerConnection, context_.get(),
      // First, so that every message of MHD's goes through it.
      MHD_OPTION_EXTERNAL_LOGGER, &LogLibraryMessage, nullptr, MHD_OPTION_LISTEN_SOCKET, own_fd,
      MHD_OPTION_THREAD_POOL_SIZE, options_.threads == 0 ? DefaultServeThreads() : options_.threads,
      MHD_OPTION_CONNECTION_TIMEOUT, options_.connection_timeout_s, MHD_OPTION_CONNECTION_LIMIT,
      options_.max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
      options_.max_connections_per_client, MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool_bytes,
      MHD_OPTION_NOTIFY_COMPLETED, &RequestCompleted, context_.get(), MHD_OPTION_NOTIFY_CONNECTION,
      &ConnectionChanged, context_.get(), MHD_OPTION_UNESCAPE_CALLBACK, &KeepEscaped, nullptr,
      MHD_OPTION_END);
  if (daemon_ == nullptr) {
    // libmicrohttpd has logged why, through LogLibraryMessage.
    return Internal("cannot start the HTTP server on " + options_.listen +
                    " (libmicrohttpd's reason is logged above)");
  }
  context_->header_deadline.Start(std::chrono::seconds(options_.header_timeout_s));
  return OkStatus();
}

void HttpdServer::Stop() {
  if (daemon_ == nullptr) return;
  // Refuse new connections, and tell clients on kept connections to close
  // them; then give every request already received time to get its reply
  // (a write waiting on its commit included) before closing connections.
  // A client whose request ran but got no reply would send it again.
  context_->stopping = true;
  if (const MHD_socket quiesced = MHD_quiesce_daemon(daemon_); quiesced != MHD_INVALID_SOCKET) {
    close(quiesced);  // our duplicate, which MHD hands back instead of closing
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(options_.connection_timeout_s);
  while (context_->in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (context_->in_flight.load() > 0) {
    LogWarning("stopping with " + std::to_string(context_->in_flight.load()) +
               " replies still unsent after " + std::to_string(options_.connection_timeout_s) +
               " s");
  }
  // A parked write is resumed when its commit returns, which the store
  // guarantees; MHD must not be stopped with a connection still parked.
  // Requests reaching the Api from now on are refused at once.
  context_->closing = true;
  while (context_->awaiting_reply.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  MHD_stop_daemon(daemon_);
  daemon_ = nullptr;
  context_->header_deadline.Stop();
}

}  // namespace fieldpost
