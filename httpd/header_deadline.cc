#include "httpd/header_deadline.h"

#include <sys/socket.h>

namespace fieldpost {

void HeaderDeadline::Start(std::chrono::seconds limit) {
  limit_ = limit;
  stopping_ = false;
  reaper_ = std::thread([this] { Run(); });
}

void HeaderDeadline::Stop() {
  if (!reaper_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  reaper_.join();
}

void HeaderDeadline::Opened(MHD_Connection* connection, int fd) {
  std::lock_guard lock(mutex_);
  connections_[connection] = {fd, Clock::now()};
}

void HeaderDeadline::HeadArrived(MHD_Connection* connection) {
  std::lock_guard lock(mutex_);
  if (auto found = connections_.find(connection); found != connections_.end()) {
    found->second.since = Clock::time_point::max();
  }
}

void HeaderDeadline::Replied(MHD_Connection* connection) {
  std::lock_guard lock(mutex_);
  if (auto found = connections_.find(connection); found != connections_.end()) {
    found->second.since = Clock::now();
  }
}

void HeaderDeadline::Closed(MHD_Connection* connection) {
  // libmicrohttpd closes the socket only after this returns, so the
  // reaper, holding the same mutex, never shuts down a reused descriptor.
  std::lock_guard lock(mutex_);
  connections_.erase(connection);
}

void HeaderDeadline::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    stop_requested_.wait_for(lock, std::chrono::seconds(1));
    const Clock::time_point now = Clock::now();
    for (auto& [connection, waiting] : connections_) {
      if (waiting.since != Clock::time_point::max() && now - waiting.since > limit_) {
        // libmicrohttpd then reads end-of-file and closes the connection
        // in its own thread.
        shutdown(waiting.fd, SHUT_RDWR);
        waiting.since = Clock::time_point::max();
      }
    }
  }
}

}  // namespace fieldpost
