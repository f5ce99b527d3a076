#include "storage/lmdb/resize_lock.h"

namespace fieldpost {

ResizeLock::ResizeLock() {
  pthread_rwlockattr_t attributes;
  pthread_rwlockattr_init(&attributes);
  pthread_rwlockattr_setkind_np(&attributes, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  pthread_rwlock_init(&lock_, &attributes);
  pthread_rwlockattr_destroy(&attributes);
}

ResizeLock::~ResizeLock() { pthread_rwlock_destroy(&lock_); }

void ResizeLock::lock() { pthread_rwlock_wrlock(&lock_); }
void ResizeLock::unlock() { pthread_rwlock_unlock(&lock_); }
void ResizeLock::lock_shared() { pthread_rwlock_rdlock(&lock_); }
void ResizeLock::unlock_shared() { pthread_rwlock_unlock(&lock_); }

}  // namespace fieldpost
