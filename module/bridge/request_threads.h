// The bridge's own threads for a store whose reads wait on the network
// (PostgreSQL): nginx's event loop hands each request over and goes on;
// the reply comes back through the replies' eventfd like a write's. A few
// threads per worker, as many as the store has connections.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace fieldpost {

class RequestThreads {
 public:
  explicit RequestThreads(unsigned count);
  // Runs every task already queued, then ends the threads.
  ~RequestThreads();
  RequestThreads(const RequestThreads&) = delete;
  RequestThreads& operator=(const RequestThreads&) = delete;

  // Queues `task` (which must not throw) for the next free thread.
  void Post(std::function<void()> task);

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace fieldpost
