// Backups of a data directory, and the checks a restore makes of one. A
// backup is the database file itself, compacted (free pages left out): it
// is restored by putting it in a directory as data.mdb.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "storage/storage_options.h"

namespace fieldpost {

// Writes a consistent, compacted copy of the database in
// `storage.data_dir` to `fd` from one read transaction, while servers go on
// writing: every write committed before the call is in it. InvalidArgument
// when the directory holds no database.
Status WriteBackup(const StorageOptions& storage, int fd);

// What a checked backup holds.
struct BackupContents {
  std::uint64_t channels = 0;
  std::uint64_t entries = 0;
};

// Checks the file at `path` before anything is replaced with it: an LMDB
// file as long as its last page says, holding fieldpost's databases with a
// format version this build reads, every key and value of their B-trees
// reachable (the record contents are not decoded).
// InvalidArgument saying what is wrong otherwise. Never maps a page the
// file does not have. Messages call the file `shown_as` (default: path).
Result<BackupContents> CheckBackup(const std::string& path, const std::string& shown_as = "");

// Holds the lock every process that opens the database in a directory
// takes first (byte 0 of lock.mdb, which LMDB locks exclusively to learn
// it is the first opener): while it is held no other process has the
// database open, and one that opens it waits until it is released. The
// file is then the one its first opener finds.
class DatabaseLock {
 public:
  explicit DatabaseLock(int fd) : fd_(fd) {}
  ~DatabaseLock();
  DatabaseLock(const DatabaseLock&) = delete;
  DatabaseLock& operator=(const DatabaseLock&) = delete;

 private:
  int fd_;
};

// Takes the lock, creating lock.mdb if there is none; InvalidArgument
// naming the process that has the database open (when the kernel says
// which; not for one in another PID namespace). Not for a process that has
// the database open itself: POSIX locks are the process's, so it would get
// its own lock, and closing this one would drop the process's others.
Result<std::unique_ptr<DatabaseLock>> LockDatabase(const std::string& data_dir);

}  // namespace fieldpost
