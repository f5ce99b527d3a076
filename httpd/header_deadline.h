// The time a client has to send a whole request head, however it spreads
// the bytes. libmicrohttpd only times out connections that go quiet, so a
// client sending its headers a byte at a time would hold a connection
// forever; this closes such a connection once its deadline passes (as
// nginx's client_header_timeout does). The body, once the head is in, is
// left to the inactivity timeout, as in nginx. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

struct MHD_Connection;

namespace fieldpost {

class HeaderDeadline {
 public:
  HeaderDeadline() = default;
  ~HeaderDeadline() { Stop(); }
  HeaderDeadline(const HeaderDeadline&) = delete;
  HeaderDeadline& operator=(const HeaderDeadline&) = delete;

  // Starts the thread that shuts down connections past their deadline,
  // `limit` after they opened or after their last reply.
  void Start(std::chrono::seconds limit);
  void Stop();

  // From libmicrohttpd's threads: a connection opened (with its socket),
  // its request head arrived, its reply was sent, it closed.
  void Opened(MHD_Connection* connection, int fd);
  void HeadArrived(MHD_Connection* connection);
  void Replied(MHD_Connection* connection);
  void Closed(MHD_Connection* connection);

 private:
  using Clock = std::chrono::steady_clock;
  struct Waiting {
    int fd;
    Clock::time_point since;  // Clock::time_point::max() while a request runs
  };

  void Run();

  std::chrono::seconds limit_{0};
  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  std::unordered_map<MHD_Connection*, Waiting> connections_;
  std::thread reaper_;
};

}  // namespace fieldpost
