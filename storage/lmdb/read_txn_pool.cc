#include "storage/lmdb/read_txn_pool.h"

namespace fieldpost {

MDB_txn* ReadTxnPool::Take() {
  std::lock_guard lock(mutex_);
  if (idle_.empty()) return nullptr;
  MDB_txn* txn = idle_.back();
  idle_.pop_back();
  return txn;
}

void ReadTxnPool::Give(MDB_txn* txn) {
  mdb_txn_reset(txn);
  std::lock_guard lock(mutex_);
  try {
    idle_.push_back(txn);
  } catch (...) {
    mdb_txn_abort(txn);  // no memory to keep it: it was only a spare
  }
}

void ReadTxnPool::Clear() {
  std::lock_guard lock(mutex_);
  for (MDB_txn* txn : idle_) mdb_txn_abort(txn);
  idle_.clear();
}

}  // namespace fieldpost
