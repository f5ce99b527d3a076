// Read-only transactions kept for reuse. Beginning one allocates and takes a
// reader slot; a reset one keeps both (the environment is MDB_NOTLS, so the
// slot belongs to the transaction, not to a thread) and is renewed for the
// next read in whatever thread, without pinning any data meanwhile.
#pragma once

#include <lmdb.h>

#include <mutex>
#include <vector>

namespace fieldpost {

class ReadTxnPool {
 public:
  ReadTxnPool() = default;
  ReadTxnPool(const ReadTxnPool&) = delete;
  ReadTxnPool& operator=(const ReadTxnPool&) = delete;
  // Clear() must have run: the transactions die with their environment.
  ~ReadTxnPool() = default;

  // A reset transaction to renew, or null when none is idle.
  MDB_txn* Take();
  // Resets `txn` (a live read-only transaction) and keeps it for reuse.
  void Give(MDB_txn* txn);
  // Aborts every idle transaction; before the environment closes.
  void Clear();

 private:
  std::mutex mutex_;
  std::vector<MDB_txn*> idle_;
};

}  // namespace fieldpost
