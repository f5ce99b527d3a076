// `fieldpost migrate`: copies a data directory's store into an empty
// PostgreSQL database (storage/postgres/pg_bulk_loader.h) in one
// transaction, then reads everything back through the database's Store
// and checks it: users, every channel's record, and per channel the number
// of entries and a checksum over them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/lmdb/lmdb_store.h"

namespace fieldpost {

struct ChannelCopy {
  ChannelId id = 0;
  std::uint64_t entries = 0;
  std::uint64_t checksum = 0;  // order-independent, over every entry's id, time and values
};

struct MigrationReport {
  std::uint64_t users = 0;
  std::vector<ChannelCopy> channels;
  std::uint64_t entries = 0;
};

// Called as entries are copied: how many so far, of how many.
using MigrationProgress = std::function<void(std::uint64_t copied, std::uint64_t total)>;

// InvalidArgument if the database holds data already; Internal naming the
// first difference if the copy read back is not the store.
Result<MigrationReport> MigrateToDatabase(LmdbStore& from, const std::string& uri,
                                          const MigrationProgress& progress);

}  // namespace fieldpost
