// Backups of a data directory, and the checks a restore makes of one. A
// backup is the database file itself, compacted (free pages left out): it
// is restored by putting it in a directory as data.mdb.
#pragma once

#include <cstdint>
#include <string>

#include "api/status.h"
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
// format version this build reads, every record of them readable.
// InvalidArgument saying what is wrong otherwise. Never maps a page the
// file does not have. Messages call the file `shown_as` (default: path).
Result<BackupContents> CheckBackup(const std::string& path, const std::string& shown_as = "");

// The pid of another process that has the database in `data_dir` open
// (LMDB holds a shared lock on lock.mdb while an environment is open), or
// 0 when none has. Not for a process that has it open itself: closing the
// probe's descriptor would drop that process's own lock (POSIX locks).
Result<int> ProcessUsingDatabase(const std::string& data_dir);

}  // namespace fieldpost
