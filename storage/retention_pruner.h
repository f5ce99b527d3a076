// The servers' background pruning: a thread that, soon after the store
// opens and then every interval, deletes the entries past their channel's
// retention (AdminStore::PruneExpired). Each part is an ordinary write
// transaction, so the servers' writes go on between parts. Every process
// serving a directory or database runs one, and the first of them to come
// to each interval's pass claims it (AdminStore::ClaimPrunePass): the
// others skip it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace fieldpost {

class AdminStore;

class RetentionPruner {
 public:
  RetentionPruner(AdminStore& store, std::chrono::seconds interval);
  ~RetentionPruner();
  RetentionPruner(const RetentionPruner&) = delete;
  RetentionPruner& operator=(const RetentionPruner&) = delete;

  // Returns once the thread has ended; a pass under way stops after its
  // current part.
  void Stop();
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }

 private:
  void Run();

  AdminStore& store_;
  const std::chrono::seconds interval_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace fieldpost
