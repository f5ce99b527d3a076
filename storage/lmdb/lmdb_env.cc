#include "storage/lmdb/lmdb_env.h"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "core/log.h"
#include "storage/lmdb/format_upgrade.h"
#include "storage/lmdb/group_access.h"
#include "storage/lmdb/key_codec.h"
#include "storage/lmdb/lmdb_status.h"

namespace fieldpost {
namespace {

constexpr unsigned kMaxDatabases = 16;
// Web servers may run several processes with many threads each.
constexpr unsigned kMaxReaders = 1024;

}  // namespace

Result<std::unique_ptr<LmdbEnv>> LmdbEnv::Open(const StorageOptions& options) {
  std::error_code error;
  std::filesystem::create_directories(options.data_dir, error);
  if (error) {
    return Internal("cannot create data directory " + options.data_dir + ": " + error.message());
  }
  // Made (or checked) here, plain files the group may write, before LMDB
  // opens them by name, following links; as root, both with the file
  // access of the directory's owner (storage/lmdb/group_access.h).
  DirectoryOwnerAccess access(options.data_dir);
  for (const char* file : {"/data.mdb", "/lock.mdb"}) {
    if (Status s = PrepareSharedFile(options.data_dir + file); !s.ok()) return s;
  }
  MDB_env* raw = nullptr;
  if (int rc = mdb_env_create(&raw); rc != MDB_SUCCESS) return LmdbStatus(rc, "mdb_env_create");
  std::unique_ptr<LmdbEnv> env(new LmdbEnv(raw, options));
  int rc = mdb_env_set_maxdbs(raw, kMaxDatabases);
  if (rc == MDB_SUCCESS) rc = mdb_env_set_maxreaders(raw, kMaxReaders);
  if (rc == MDB_SUCCESS) {
    rc = mdb_env_set_mapsize(raw, std::min(options.initial_map_bytes, options.max_map_bytes));
  }
  // MDB_NOTLS: read transactions are not tied to threads, so frontends may
  // hand requests between threads. Durability: no MDB_NOSYNC, and
  // MDB_NOMETASYNC only while the group committer runs (DeferMetaSync).
  if (rc == MDB_SUCCESS) rc = mdb_env_open(raw, options.data_dir.c_str(), MDB_NOTLS, 0660);
  if (rc != MDB_SUCCESS) return LmdbStatus(rc, "cannot open database in " + options.data_dir);
  // Adopt the map size recorded in the file (another process may have grown
  // it, or an admin command created it with the default size), but never
  // beyond our maximum; LMDB keeps it at least as large as the data.
  if (rc = mdb_env_set_mapsize(raw, 0); rc != MDB_SUCCESS) return LmdbStatus(rc, "mapsize");
  if (env->map_bytes() > options.max_map_bytes) {
    if (rc = mdb_env_set_mapsize(raw, options.max_map_bytes); rc != MDB_SUCCESS) {
      return LmdbStatus(rc, "mapsize");
    }
  }
  // Free reader slots left by processes that died (a killed FastCGI
  // worker): they would pin old pages and could fill the reader table.
  int dead = 0;
  mdb_reader_check(raw, &dead);
  if (dead > 0) LogWarning("cleared " + std::to_string(dead) + " stale LMDB reader slots");
  if (Status s = env->OpenDatabases(); !s.ok()) return s;
  return env;
}

LmdbEnv::~LmdbEnv() {
  read_pool_.Clear();
  mdb_env_close(env_);
}

Status LmdbEnv::OpenDatabases() {
  auto txn = Begin(true);
  if (!txn.ok()) return txn.status();
  const std::pair<const char*, MDB_dbi*> names[] = {
      {"meta", &dbs_.meta},         {"users", &dbs_.users},           {"keys", &dbs_.keys},
      {"channels", &dbs_.channels}, {"stations", &dbs_.stations},     {"entries", &dbs_.entries},
      {"by_time", &dbs_.by_time},   {"field_last", &dbs_.field_last},
  };
  for (const auto& [name, dbi] : names) {
    if (int rc = mdb_dbi_open(txn->get(), name, MDB_CREATE, dbi); rc != MDB_SUCCESS) {
      return LmdbStatus(rc, std::string("mdb_dbi_open ") + name);
    }
  }
  auto version = txn->Get(dbs_.meta, kFormatVersionKey);
  if (!version.ok()) return version.status();
  if (!version->has_value()) {
    if (Status s = txn->Put(dbs_.meta, kFormatVersionKey, EncodeU32(kFormatVersion)); !s.ok()) {
      return s;
    }
  } else if (const std::uint32_t found = DecodeU32(**version); found != kFormatVersion) {
    if (found < kOldestUpgradableFormat || found > kFormatVersion) {
      return Internal("data directory has format version " + std::to_string(found) +
                      "; this fieldpost reads version " + std::to_string(kFormatVersion));
    }
    if (Status s = UpgradeFormat(*txn, dbs_, found); !s.ok()) return s;
    if (Status s = txn->Put(dbs_.meta, kFormatVersionKey, EncodeU32(kFormatVersion)); !s.ok()) {
      return s;
    }
    LogInfo("upgraded the data directory from format version " + std::to_string(found) + " to " +
            std::to_string(kFormatVersion));
  }
  return txn->Commit();
}

Result<LmdbTxn> LmdbEnv::Begin(bool write) {
  for (int attempt = 0;; ++attempt) {
    std::shared_lock lock(resize_mutex_);
    // Reads reuse a reset transaction when one is idle (ReadTxnPool).
    MDB_txn* txn = write ? nullptr : read_pool_.Take();
    int rc = MDB_SUCCESS;
    if (txn != nullptr && mdb_txn_renew(txn) != MDB_SUCCESS) {
      // A spare that cannot be renewed is dropped; a fresh one says why.
      mdb_txn_abort(std::exchange(txn, nullptr));
    }
    if (txn == nullptr) rc = mdb_txn_begin(env_, nullptr, write ? 0 : MDB_RDONLY, &txn);
    if (rc == MDB_SUCCESS) return LmdbTxn(txn, std::move(lock), write ? nullptr : &read_pool_);
    if (attempt == 3) return LmdbStatus(rc, "mdb_txn_begin");
    if (rc == MDB_READERS_FULL) {
      int dead = 0;
      mdb_reader_check(env_, &dead);
      if (dead == 0) return LmdbStatus(rc, "mdb_txn_begin");
      continue;
    }
    if (rc != MDB_MAP_RESIZED) return LmdbStatus(rc, "mdb_txn_begin");
    // Another process grew the map beyond ours: adopt its size.
    lock.unlock();
    std::unique_lock exclusive(resize_mutex_);
    if (int set = mdb_env_set_mapsize(env_, 0); set != MDB_SUCCESS) {
      return LmdbStatus(set, "mdb_env_set_mapsize");
    }
  }
}

std::size_t LmdbEnv::map_bytes() const {
  MDB_envinfo info;
  mdb_env_info(env_, &info);
  return info.me_mapsize;
}

void LmdbEnv::DeferMetaSync(bool deferred) {
  // Only fails for a flag LMDB does not let change; this one it does.
  mdb_env_set_flags(env_, MDB_NOMETASYNC, deferred ? 1 : 0);
}

Status LmdbEnv::Sync() {
  if (int rc = mdb_env_sync(env_, 1); rc != MDB_SUCCESS) return LmdbStatus(rc, "mdb_env_sync");
  return OkStatus();
}

Result<StoreStats> LmdbEnv::Stats(LmdbTxn& txn) {
  StoreStats stats;
  MDB_stat db{};
  if (int rc = mdb_stat(txn.get(), dbs_.channels, &db); rc != MDB_SUCCESS) {
    return LmdbStatus(rc, "mdb_stat");
  }
  stats.channels = db.ms_entries;
  if (int rc = mdb_stat(txn.get(), dbs_.entries, &db); rc != MDB_SUCCESS) {
    return LmdbStatus(rc, "mdb_stat");
  }
  stats.entries = db.ms_entries;
  MDB_envinfo info{};
  mdb_env_info(env_, &info);
  MDB_stat env{};
  mdb_env_stat(env_, &env);
  stats.database_bytes = (static_cast<std::uint64_t>(info.me_last_pgno) + 1) * env.ms_psize;
  stats.map_bytes = info.me_mapsize;
  return stats;
}

Status LmdbEnv::CopyCompacted(int fd) {
  std::shared_lock lock(resize_mutex_);
  if (int rc = mdb_env_copyfd2(env_, fd, MDB_CP_COMPACT); rc != MDB_SUCCESS) {
    return LmdbStatus(rc, "copying the database");
  }
  return OkStatus();
}

Status LmdbEnv::Grow() {
  std::unique_lock exclusive(resize_mutex_);
  const std::size_t current = map_bytes();
  if (current >= options_.max_map_bytes) {
    return {StatusCode::kStorageFull, "database map is at its maximum size"};
  }
  const std::size_t grown = std::min(current * 2, options_.max_map_bytes);
  if (int rc = mdb_env_set_mapsize(env_, grown); rc != MDB_SUCCESS) {
    return LmdbStatus(rc, "mdb_env_set_mapsize");
  }
  LogInfo("database map grown from " + std::to_string(current >> 20) + " MiB to " +
          std::to_string(grown >> 20) + " MiB");
  return OkStatus();
}

}  // namespace fieldpost
