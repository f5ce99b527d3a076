// Move-only owners of an LMDB transaction and cursor. A live transaction
// aborts in its destructor; Commit() drops the handle before calling
// mdb_txn_commit because LMDB frees it even when the commit fails.
//
// A transaction also holds the environment's resize lock in shared mode, so
// the map is never resized under it (LmdbEnv::Grow). Not thread-safe: a
// transaction and its cursors belong to one thread at a time.
#pragma once

#include <lmdb.h>

#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>

#include <string_view>
#include <utility>

#include "core/status.h"
#include "storage/lmdb/read_txn_pool.h"
#include "storage/lmdb/resize_lock.h"
#include "storage/lmdb/write_memo.h"

namespace fieldpost {

class LmdbTxn {
 public:
  // A read-only transaction from `pool` goes back to it when it ends.
  LmdbTxn(MDB_txn* txn, std::shared_lock<ResizeLock> lock, ReadTxnPool* pool = nullptr)
      : txn_(txn), lock_(std::move(lock)), pool_(pool) {}
  LmdbTxn(LmdbTxn&& other) noexcept;
  LmdbTxn& operator=(LmdbTxn&&) = delete;
  LmdbTxn(const LmdbTxn&) = delete;
  ~LmdbTxn();

  MDB_txn* get() const { return txn_; }

  // The value stored under `key`, or empty when there is none. The view is
  // valid until the transaction ends, or in a write transaction until its
  // next Put or Delete: copy it before writing.
  Result<std::optional<std::string_view>> Get(MDB_dbi dbi, std::string_view key);
  Status Put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags = 0);
  // Deleting a missing key is not an error.
  Status Delete(MDB_dbi dbi, std::string_view key);

  // Commits. The environment is opened without MDB_NOSYNC, so a commit
  // that changed() something flushes the file before it writes the meta
  // page that makes the change current; that page is flushed too unless
  // the environment defers it (LmdbEnv::DeferMetaSync).
  Status Commit();
  void Abort();

  // The first LMDB failure of a write since the transaction began. After one
  // the transaction must be aborted (LMDB marks it unusable).
  const Status& failure() const { return failure_; }
  // True when that failure was MDB_MAP_FULL, which growing the map cures.
  bool map_full() const { return map_full_; }
  // Whether a Put or Delete changed the database: only then does LMDB's
  // commit write (and flush) anything.
  bool changed() const { return changed_; }
  // Fails the transaction on purpose, with `reason` as its failure: for an
  // operation that has changed it and then cannot finish, so that half of
  // it is never committed.
  void Doom(const Status& reason) {
    if (failure_.ok()) failure_ = reason;
  }
  // What this transaction's appends have learnt (storage/lmdb/write_memo.h);
  // Put and Delete make it forget what they may change. Made on first use:
  // reads never need it.
  WriteMemo& memo() {
    if (!memo_) memo_ = std::make_unique<WriteMemo>();
    return *memo_;
  }

 private:
  friend class LmdbCursor;
  Status Note(int rc, std::string_view what);
  // Note() for a call that changes the database when it succeeds.
  Status NoteChange(int rc, std::string_view what);

  MDB_txn* txn_;
  std::shared_lock<ResizeLock> lock_;
  ReadTxnPool* pool_;
  Status failure_;
  bool map_full_ = false;
  bool changed_ = false;
  std::unique_ptr<WriteMemo> memo_;
};

// A cursor over one database in one transaction.
class LmdbCursor {
 public:
  using Item = std::pair<std::string_view, std::string_view>;

  // The cursor must be closed (destroyed) before `txn` ends.
  static Result<LmdbCursor> Open(LmdbTxn& txn, MDB_dbi dbi);
  LmdbCursor(LmdbCursor&& other) noexcept
      : cursor_(std::exchange(other.cursor_, nullptr)), txn_(other.txn_) {}
  LmdbCursor& operator=(LmdbCursor&&) = delete;
  ~LmdbCursor();

  // Moves the cursor (MDB_SET_RANGE, MDB_PREV, MDB_LAST, ...) and returns
  // the item under it, or nothing when the move runs off the database.
  Result<std::optional<Item>> Move(MDB_cursor_op op, std::string_view key = {});

  // The item at or before `key`, or nothing.
  Result<std::optional<Item>> SeekAtOrBefore(std::string_view key);

  // Deletes the item under the cursor; the cursor then stands on the next
  // one (read it with Move(MDB_GET_CURRENT)). Failures doom the transaction.
  Status Delete();

 private:
  LmdbCursor(MDB_cursor* cursor, LmdbTxn* txn) : cursor_(cursor), txn_(txn) {}
  MDB_cursor* cursor_;
  LmdbTxn* txn_;
};

}  // namespace fieldpost
