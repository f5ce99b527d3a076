#include "storage/lmdb/lmdb_backup.h"

#include <fcntl.h>
#include <lmdb.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "storage/lmdb/format_upgrade.h"
#include "storage/lmdb/group_access.h"
#include "storage/lmdb/key_codec.h"
#include "storage/lmdb/lmdb_env.h"
#include "storage/lmdb/lmdb_status.h"

namespace fieldpost {
namespace {

struct EnvCloser {
  void operator()(MDB_env* env) const { mdb_env_close(env); }
};
struct TxnAborter {
  void operator()(MDB_txn* txn) const { mdb_txn_abort(txn); }
};
struct CursorCloser {
  void operator()(MDB_cursor* cursor) const { mdb_cursor_close(cursor); }
};

Status NotABackup(const std::string& path, const std::string& why) {
  return InvalidArgument(path + " is not a fieldpost backup: " + why);
}

// Reads every record of `dbi` (so every page of it is visited) and
// returns how many there are.
Result<std::uint64_t> CountRecords(MDB_txn* txn, MDB_dbi dbi, const char* name) {
  MDB_cursor* raw = nullptr;
  if (int rc = mdb_cursor_open(txn, dbi, &raw); rc != MDB_SUCCESS) {
    return LmdbStatus(rc, std::string("reading ") + name);
  }
  std::unique_ptr<MDB_cursor, CursorCloser> cursor(raw);
  std::uint64_t count = 0;
  MDB_val key, value;
  int rc = mdb_cursor_get(raw, &key, &value, MDB_FIRST);
  while (rc == MDB_SUCCESS) {
    ++count;
    rc = mdb_cursor_get(raw, &key, &value, MDB_NEXT);
  }
  if (rc != MDB_NOTFOUND) return LmdbStatus(rc, std::string("reading ") + name);
  return count;
}

}  // namespace

Status WriteBackup(const StorageOptions& storage, int fd) {
  struct stat database {};
  if (stat((storage.data_dir + "/data.mdb").c_str(), &database) != 0) {
    return InvalidArgument("no database in " + storage.data_dir + " (" + std::strerror(errno) +
                           ")");
  }
  auto env = LmdbEnv::Open(storage);
  if (!env.ok()) return env.status();
  return (*env)->CopyCompacted(fd);
}

Result<BackupContents> CheckBackup(const std::string& file_path, const std::string& shown_as) {
  const std::string& path = file_path;
  const std::string& shown = shown_as.empty() ? file_path : shown_as;
  struct stat file {};
  if (stat(path.c_str(), &file) != 0) {
    return InvalidArgument("cannot read " + shown + ": " + std::strerror(errno));
  }
  MDB_env* raw_env = nullptr;
  if (int rc = mdb_env_create(&raw_env); rc != MDB_SUCCESS) {
    return LmdbStatus(rc, "mdb_env_create");
  }
  std::unique_ptr<MDB_env, EnvCloser> env(raw_env);
  mdb_env_set_maxdbs(raw_env, 16);
  // Read-only and without a lock file: the file is not served yet.
  if (int rc = mdb_env_open(raw_env, path.c_str(), MDB_NOSUBDIR | MDB_RDONLY | MDB_NOLOCK, 0);
      rc != MDB_SUCCESS) {
    return NotABackup(shown, LmdbStatus(rc, "opening it").message());
  }
  // Pages past the end of a truncated file would fault when touched: the
  // meta page (read with read(), not mapped) says how long it must be.
  MDB_envinfo info;
  MDB_stat stat;
  mdb_env_info(raw_env, &info);
  mdb_env_stat(raw_env, &stat);
  const std::uint64_t needed = (std::uint64_t{info.me_last_pgno} + 1) * stat.ms_psize;
  if (static_cast<std::uint64_t>(file.st_size) < needed) {
    return NotABackup(shown, "it is truncated (" + std::to_string(file.st_size) + " of " +
                                 std::to_string(needed) + " bytes)");
  }
  MDB_txn* raw_txn = nullptr;
  if (int rc = mdb_txn_begin(raw_env, nullptr, MDB_RDONLY, &raw_txn); rc != MDB_SUCCESS) {
    return NotABackup(shown, LmdbStatus(rc, "reading it").message());
  }
  std::unique_ptr<MDB_txn, TxnAborter> txn(raw_txn);
  BackupContents contents;
  MDB_dbi meta = 0;
  for (const char* name :
       {"meta", "users", "keys", "channels", "stations", "entries", "by_time", "field_last"}) {
    MDB_dbi dbi = 0;
    if (int rc = mdb_dbi_open(raw_txn, name, 0, &dbi); rc != MDB_SUCCESS) {
      return NotABackup(shown, LmdbStatus(rc, std::string("no ") + name + " database").message());
    }
    auto count = CountRecords(raw_txn, dbi, name);
    if (!count.ok()) return NotABackup(shown, count.status().message());
    if (std::strcmp(name, "meta") == 0) meta = dbi;
    if (std::strcmp(name, "channels") == 0) contents.channels = *count;
    if (std::strcmp(name, "entries") == 0) contents.entries = *count;
  }
  MDB_val key{kFormatVersionKey.size(), const_cast<char*>(kFormatVersionKey.data())};
  MDB_val value;
  if (mdb_get(raw_txn, meta, &key, &value) != MDB_SUCCESS || value.mv_size != 4) {
    return NotABackup(shown, "it has no format version");
  }
  const std::uint32_t version =
      DecodeU32(std::string_view(static_cast<const char*>(value.mv_data), value.mv_size));
  // An earlier format is upgraded by the first server that opens it.
  if (version < kOldestUpgradableFormat || version > kFormatVersion) {
    return NotABackup(shown, "it has format version " + std::to_string(version) +
                                 "; this fieldpost reads version " +
                                 std::to_string(kFormatVersion));
  }
  return contents;
}

DatabaseLock::~DatabaseLock() { close(fd_); }

Result<std::unique_ptr<DatabaseLock>> LockDatabase(const std::string& data_dir) {
  const std::string lock_file = data_dir + "/lock.mdb";
  const int fd = open(lock_file.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0660);
  if (fd < 0) return Internal("cannot open " + lock_file + ": " + std::strerror(errno));
  LetGroupWrite(fd);
  auto lock = std::make_unique<DatabaseLock>(fd);
  struct flock exclusive {};
  exclusive.l_type = F_WRLCK;
  exclusive.l_whence = SEEK_SET;
  exclusive.l_start = 0;
  exclusive.l_len = 1;
  if (fcntl(fd, F_SETLK, &exclusive) == 0) return lock;
  if (errno != EAGAIN && errno != EACCES) {
    return Internal("cannot lock " + lock_file + ": " + std::strerror(errno));
  }
  struct flock holder = exclusive;
  const bool named =
      fcntl(fd, F_GETLK, &holder) == 0 && holder.l_type != F_UNLCK && holder.l_pid > 0;
  return InvalidArgument((named ? "process " + std::to_string(holder.l_pid) : "another process") +
                         " has " + data_dir + " open (a running server?)");
}

}  // namespace fieldpost
