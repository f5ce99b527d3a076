// Where the data lives and how large its map may grow: what the rest of
// the program sets, without LMDB's own header.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace fieldpost {

struct StorageOptions {
  std::string data_dir = "./data";
  // A libpq connection URI (postgresql://...): the data is in that
  // PostgreSQL database instead of data_dir (storage/postgres/).
  std::string database{};
  bool uses_database() const { return !database.empty(); }
  // Connections each process keeps to that database.
  unsigned database_connections = 8;
  // Virtual size of the memory map at creation; the file itself grows only
  // as data is written. Doubled when full, up to max_map_bytes.
  std::size_t initial_map_bytes = std::size_t{64} << 20;
  std::size_t max_map_bytes = std::size_t{1} << 40;
  // What either map size may be set to.
  static constexpr std::size_t kMinMapBytes = std::size_t{1} << 20;
  static constexpr std::size_t kMaxMapBytes = std::size_t{1} << 50;
  // Send single-entry appends to the one process that commits those of
  // every process relaying on this directory (storage/lmdb/append_relay.h):
  // for servers of several processes, nginx's workers or Apache's children.
  bool relay_appends = false;
  // Retention for channels without their own retention_days: entries older
  // than this many days are pruned; 0 keeps them.
  std::uint32_t default_retention_days = 0;
  // How often this process prunes entries past their channel's retention
  // (storage/retention_pruner.h), first soon after opening; 0: never (the
  // admin commands, which prune only when asked).
  std::chrono::seconds prune_interval{0};
  // Keep the /metrics counters (storage/lmdb/shared_metrics.h); `metrics_layout`
  // tells which (core/metrics.h's MetricsLayout of the router's routes).
  bool metrics = false;
  std::uint64_t metrics_layout = 0;
  // On a database: keep channel records in memory, told of changes by the
  // database (storage/postgres/channel_cache.h). For the servers, which
  // read channels all the time; not for a one-off admin command.
  bool cache_channels = false;
};

}  // namespace fieldpost
