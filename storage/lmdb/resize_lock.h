// The lock that keeps LMDB's map from being resized under a live
// transaction: every transaction holds it shared, a resize holds it
// exclusively. Writer-preferring, unlike std::shared_mutex on glibc, so a
// steady stream of reads cannot starve a resize (and with it every write).
// Shared holds must not nest in one thread: a waiting resize would block
// the inner one.
#pragma once

#include <pthread.h>

namespace fieldpost {

class ResizeLock {
 public:
  ResizeLock();
  ~ResizeLock();
  ResizeLock(const ResizeLock&) = delete;
  ResizeLock& operator=(const ResizeLock&) = delete;

  // The SharedMutex requirements, for std::shared_lock and std::unique_lock.
  void lock();
  void unlock();
  void lock_shared();
  void unlock_shared();

 private:
  pthread_rwlock_t lock_;
};

}  // namespace fieldpost
