// The LMDB environment of a data directory: opened once per process (after
// any fork), with every named database fieldpost uses. Grows the map when
// it fills and adopts a map grown by another process.
#pragma once

#include <lmdb.h>

#include <cstddef>
#include <memory>
#include <string>

#include "core/status.h"
#include "core/store.h"
#include "storage/lmdb/lmdb_txn.h"
#include "storage/lmdb/read_txn_pool.h"
#include "storage/lmdb/resize_lock.h"
#include "storage/storage_options.h"

namespace fieldpost {

// The named databases; see storage/lmdb/key_codec.h for their layout.
struct Databases {
  MDB_dbi meta = 0;
  MDB_dbi users = 0;
  MDB_dbi keys = 0;
  MDB_dbi channels = 0;
  MDB_dbi stations = 0;
  MDB_dbi entries = 0;
  MDB_dbi by_time = 0;
  MDB_dbi field_last = 0;
};

// Thread-safe: transactions may begin from any thread.
class LmdbEnv {
 public:
  // Creates the directory if needed, opens or initialises the database and
  // checks its format version.
  static Result<std::unique_ptr<LmdbEnv>> Open(const StorageOptions& options);
  ~LmdbEnv();
  LmdbEnv(const LmdbEnv&) = delete;
  LmdbEnv& operator=(const LmdbEnv&) = delete;

  const Databases& dbs() const { return dbs_; }

  // Begins a read-only or read-write transaction. A write transaction waits
  // for LMDB's writer lock, which serialises writers across processes.
  Result<LmdbTxn> Begin(bool write);

  // Doubles the map (up to max_map_bytes). The calling thread must hold no
  // transaction; waits until other threads' transactions end.
  Status Grow();

  std::size_t map_bytes() const;

  // With `deferred`, a commit flushes its pages but leaves the meta page
  // that makes it current unflushed (MDB_NOMETASYNC): LMDB keeps the
  // database intact, but a power cut may undo that commit until the next
  // flush, by Sync() or by a later commit. For the group committer only,
  // which answers no write before that flush; set while no transaction runs.
  void DeferMetaSync(bool deferred);
  // Flushes everything committed so far to disk (fdatasync). Thread-safe,
  // and needs no transaction.
  Status Sync();

  // How many channels and entries `txn` sees, and the sizes of the data
  // file and the map.
  Result<StoreStats> Stats(LmdbTxn& txn);

  // Writes a compacted copy of the database to `fd` from one read
  // transaction (mdb_env_copyfd2, MDB_CP_COMPACT): consistent while other
  // processes write, holding every commit made before the call.
  Status CopyCompacted(int fd);

 private:
  LmdbEnv(MDB_env* env, StorageOptions options) : env_(env), options_(std::move(options)) {}
  Status OpenDatabases();

  MDB_env* env_;
  StorageOptions options_;
  Databases dbs_;
  // Shared by every live transaction, exclusive while the map is resized:
  // LMDB requires that no transaction of the process is active then.
  ResizeLock resize_mutex_;
  ReadTxnPool read_pool_;  // emptied before the environment closes
};

}  // namespace fieldpost
