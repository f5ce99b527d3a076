#include "storage/postgres/pg_store.h"

#include <algorithm>
#include <future>

#include "core/log.h"
#include "core/metrics.h"
#include "storage/bulk_times.h"
#include "storage/database_uri.h"
#include "storage/not_found.h"
#include "storage/postgres/channel_cache.h"
#include "storage/postgres/connection_pool.h"
#include "storage/postgres/last_value_refresher.h"
#include "storage/postgres/pg_append_batcher.h"
#include "storage/postgres/pg_entry_rows.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_snapshot.h"
#include "storage/postgres/pg_statements.h"
#include "storage/postgres/schema_migrations.h"
#include "storage/random_key.h"
#include "storage/retention_pruner.h"
#include "storage/valid_name.h"

namespace fieldpost {
namespace {

// The settings columns in fieldpost_channels, in ChannelSettings's order,
// as UPDATE ... SET pairs for parameters $2 on.
constexpr const char* kWriteSettings =
    "UPDATE fieldpost_channels SET name = $2, description = $3, field1_name = $4, "
    "field2_name = $5, field3_name = $6, field4_name = $7, field5_name = $8, field6_name = $9, "
    "field7_name = $10, field8_name = $11, is_public = $12, latitude = $13, longitude = $14, "
    "elevation = $15, metadata = $16, tags = $17, url = $18, min_write_interval_s = $19, "
    "retention_days = $20, owner = $21 WHERE id = $1";

Status WriteSettings(PgConnection& connection, ChannelId id, const ChannelSettings& settings,
                     const std::string& owner) {
  PgParams params;
  params.Add(std::int64_t{id});
  AddSettings(params, settings);
  params.Add(owner);
  return connection.Exec(kWriteSettings, params).status();
}

// PostgreSQL's text cannot hold a NUL byte (and libpq's parameters end at
// one): such a value is refused rather than cut short.
Status CheckStorable(const EntryData& data) {
  const auto has_nul = [](const std::optional<std::string>& value) {
    return value && value->find('\0') != std::string::npos;
  };
  if (std::any_of(data.fields.begin(), data.fields.end(), has_nul) || has_nul(data.latitude) ||
      has_nul(data.longitude) || has_nul(data.elevation) || has_nul(data.status)) {
    return NulRefused();
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::Open(const StorageOptions& options) {
  // The schema first, on a connection of its own: the pool's connections
  // prepare statements over the tables it makes.
  {
    auto connection = PgConnection::Connect(options.database, {});
    if (!connection.ok()) {
      // At start the operator reads this: say which database (no password).
      return Unavailable("cannot open database " + UriWithoutPassword(options.database) + ": " +
                         connection.status().message() + " (the log line before says why)");
    }
    if (Status s = MigrateSchema(**connection); !s.ok()) return s;
  }
  std::unique_ptr<PgStore> store(new PgStore(options));
  // One connection now, so a wrong password or database shows at start.
  {
    auto first = store->pool_->Acquire();
    if (!first.ok()) return first.status();
  }
  if (options.prune_interval.count() > 0) {
    store->pruner_ = std::make_unique<RetentionPruner>(*store, options.prune_interval);
  }
  return store;
}

PgStore::PgStore(const StorageOptions& options)
    : location_("database " + UriWithoutPassword(options.database)),
      default_retention_days_(options.default_retention_days),
      metrics_(options.metrics ? std::make_unique<MetricsCounters>() : nullptr),
      channels_(options.cache_channels ? std::make_unique<ChannelCache>(options.database)
                                       : nullptr),
      pool_(std::make_unique<ConnectionPool>(options.database, pg::Statements(),
                                             options.database_connections)),
      batcher_(std::make_unique<PgAppendBatcher>(*pool_, metrics_.get(),
                                                 channels_ ? &channels_->last_values() : nullptr)),
      refresher_(channels_ ? std::make_unique<LastValueRefresher>(*pool_, channels_->last_values())
                           : nullptr) {}

PgStore::~PgStore() { StopWrites(); }

void PgStore::StopWrites() {
  stopped_ = true;
  if (pruner_) pruner_->Stop();
  batcher_->Stop();
}

std::string PgStore::Location() const { return location_; }

MetricsCounters* PgStore::metrics() { return metrics_.get(); }

Status PgStore::InTransaction(const Body& body) {
  if (stopped_) return Unavailable("the server is shutting down");
  auto connection = pool_->Acquire();
  if (!connection.ok()) return connection.status();
  PgConnection& pg = **connection;
  if (auto begin = pg.Exec("BEGIN"); !begin.ok()) return begin.status();
  Status status = body(pg);
  if (!status.ok()) {
    if (pg.healthy()) (void)pg.Exec("ROLLBACK");
    return status;
  }
  auto commit = pg.Exec("COMMIT");
  if (!commit.ok() && commit.status().code() == StatusCode::kUnavailable) {
    LogError("the database connection was lost during a commit; its outcome is unknown");
    return Unavailable(
        "the database connection was lost during the commit: the change may or may not be "
        "stored");
  }
  return commit.status();
}

Status PgStore::ChangeChannel(ChannelId id, const Body& body) {
  if (channels_) channels_->Drop(id);
  Status status = InTransaction(body);
  if (channels_) channels_->Drop(id);
  return status;
}

Status PgStore::AnnounceEntries(PgConnection& pg, ChannelId id) {
  return pg
      .ExecPrepared(pg::kAnnounceEntries,
                    PgParams().AddArray(std::vector<std::string>{std::to_string(id)}))
      .status();
}

void PgStore::EntriesChangedHere(ChannelId id) {
  if (channels_) channels_->last_values().Wrote(id);
}

Status PgStore::ChangeEntries(ChannelId id, const Body& body) {
  Status status = InTransaction([&](PgConnection& pg) -> Status {
    if (Status s = body(pg); !s.ok()) return s;
    return AnnounceEntries(pg, id);
  });
  EntriesChangedHere(id);
  return status;
}

Result<std::unique_ptr<StoreSnapshot>> PgStore::OpenSnapshot() {
  return std::unique_ptr<StoreSnapshot>(
      std::make_unique<PgSnapshot>(*pool_, channels_.get(), refresher_.get()));
}

Result<StoreStats> PgStore::Stats() {
  auto connection = pool_->Acquire();
  if (!connection.ok()) return connection.status();
  // The entry count is the planner's estimate: counting every row at each
  // scrape would read the whole table.
  auto row = (*connection)
                 ->Exec(
                     "SELECT (SELECT count(*) FROM fieldpost_channels), "
                     "(SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint "
                     "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                     "WHERE i.inhparent = 'fieldpost_entries'::regclass), "
                     "pg_database_size(current_database())");
  if (!row.ok()) return row.status();
  StoreStats stats;
  stats.channels = static_cast<std::uint64_t>(row->Int(0, 0));
  stats.entries = static_cast<std::uint64_t>(row->Int(0, 1));
  stats.database_bytes = static_cast<std::uint64_t>(row->Int(0, 2));
  return stats;
}

void PgStore::SubmitAppend(EntryWrite write, AppendDone done) {
  // No key holds a NUL byte (keys are [A-Za-z0-9_.-]): such a key is
  // unknown, as on LMDB, and never sent cut short.
  if (write.api_key.find('\0') != std::string::npos) {
    done(Unauthorized("unknown API key"));
    return;
  }
  Status storable = CheckStorable(write.data);
  if (storable.ok() && write.station.find('\0') != std::string::npos) storable = NulRefused();
  if (!storable.ok()) {
    done(storable);
    return;
  }
  batcher_->Submit(std::move(write), std::move(done));
}

Result<Entry> PgStore::Append(const EntryWrite& write) {
  std::promise<Result<Entry>> promise;
  auto future = promise.get_future();
  SubmitAppend(write, [&promise](Result<Entry> result) { promise.set_value(std::move(result)); });
  return future.get();
}

Result<User> PgStore::CreateUser(const NewUser& request) {
  if (!IsValidName(request.name)) {
    return InvalidArgument("user name must be 1 to 64 characters of [A-Za-z0-9_.-]");
  }
  if (!request.api_key.empty() && !IsValidName(request.api_key)) {
    return InvalidArgument("API key must be 1 to 64 characters of [A-Za-z0-9_.-]");
  }
  User user;
  Status status = InTransaction([&](PgConnection& pg) {
    // Users and keys are few and rarely made: one lock on the key table
    // keeps two creations from taking one name or key.
    if (auto locked = pg.Exec("LOCK TABLE fieldpost_keys IN SHARE ROW EXCLUSIVE MODE");
        !locked.ok()) {
      return locked.status();
    }
    auto existing =
        pg.Exec("SELECT 1 FROM fieldpost_users WHERE name = $1", PgParams().Add(request.name));
    if (!existing.ok()) return existing.status();
    if (existing->rows() > 0) return InvalidArgument("user '" + request.name + "' exists");
    std::string key = request.api_key;
    for (int attempt = 0; key.empty() && attempt < 8; ++attempt) {
      auto fresh = NewApiKey();
      if (!fresh.ok()) return fresh.status();
      auto taken =
          pg.Exec("SELECT 1 FROM fieldpost_keys WHERE api_key = $1", PgParams().Add(*fresh));
      if (!taken.ok()) return taken.status();
      if (taken->rows() == 0) key = *fresh;
    }
    if (key.empty()) return Internal("could not draw an unused API key");
    if (!request.api_key.empty()) {
      auto taken = pg.Exec("SELECT 1 FROM fieldpost_keys WHERE api_key = $1", PgParams().Add(key));
      if (!taken.ok()) return taken.status();
      if (taken->rows() > 0) return InvalidArgument("that API key is already in use");
    }
    auto inserted = pg.Exec(
        "WITH u AS (INSERT INTO fieldpost_users VALUES ($1, $2, date_trunc('second', now())) "
        "RETURNING extract(epoch FROM created_at)::bigint AS at) "
        "INSERT INTO fieldpost_keys VALUES ($2, 1, $1, 0) RETURNING (SELECT at FROM u)",
        PgParams().Add(request.name).Add(key));
    if (!inserted.ok()) return inserted.status();
    user = User{request.name, key, SecondsToTime(inserted->Int(0, 0))};
    return OkStatus();
  });
  if (!status.ok()) return status;
  return user;
}

Result<Channel> PgStore::CreateChannel(const NewChannel& request) {
  Result<Channel> created = Internal("not created");
  Status status = InTransaction([&](PgConnection& pg) -> Status {
    if (!request.owner.empty()) {
      auto owner =
          pg.Exec("SELECT 1 FROM fieldpost_users WHERE name = $1", PgParams().Add(request.owner));
      if (!owner.ok()) return owner.status();
      if (owner->rows() == 0) return NotFound("user '" + request.owner + "' not found");
    }
    std::optional<ChannelId> id;
    for (int attempt = 0; !id && attempt < 8; ++attempt) {
      auto write_key = NewApiKey();
      auto read_key = NewApiKey();
      if (!write_key.ok()) return write_key.status();
      if (!read_key.ok()) return read_key.status();
      auto made = pg.Exec(
          "SELECT fieldpost_create_channel($1, $2, $3, false, $4, $5, date_trunc('second', now()))",
          PgParams()
              .Add(request.name)
              .Add(request.owner)
              .Add(request.station)
              .Add(*write_key)
              .Add(*read_key));
      if (!made.ok()) return made.status();
      if (!made->IsNull(0, 0)) id = static_cast<ChannelId>(made->Int(0, 0));
    }
    if (!id) return Internal("could not draw unused API keys");
    if (Status s = WriteSettings(pg, *id, request, request.owner); !s.ok()) return s;
    auto row = pg.ExecPrepared(pg::kFindChannelRecord, PgParams().Add(std::int64_t{*id}));
    if (!row.ok()) return row.status();
    created = ChannelFromRow(*row, 0);
    return OkStatus();
  });
  if (!status.ok()) return status;
  return created;
}

Result<Channel> PgStore::UpdateChannel(ChannelId id, const SettingsChange& change) {
  Result<Channel> updated = NoChannel(id);
  Status status = ChangeChannel(id, [&](PgConnection& pg) -> Status {
    auto row = pg.Exec("SELECT " FIELDPOST_PG_CHANNEL_COLUMNS
                       " FROM fieldpost_channels c WHERE c.id = $1 FOR UPDATE",
                       PgParams().Add(std::int64_t{id}));
    if (!row.ok()) return row.status();
    if (row->rows() == 0) return NoChannel(id);
    Channel channel = ChannelFromRow(*row, 0);
    if (Status s = change(channel); !s.ok()) return s;
    if (Status s = WriteSettings(pg, id, channel, channel.owner); !s.ok()) return s;
    updated = std::move(channel);
    return OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

Status PgStore::ClearChannel(ChannelId id) {
  // Bounded parts, as on LMDB: no transaction holds the channel for long.
  constexpr std::int64_t kEntriesPerPart = 20000;
  for (bool done = false; !done;) {
    Status status = ChangeEntries(id, [&](PgConnection& pg) -> Status {
      auto locked = LockChannel(pg, id);
      if (!locked.ok()) return locked.status();
      if (!locked->has_value()) return NoChannel(id);
      auto deleted = pg.Exec(
          "DELETE FROM fieldpost_entries WHERE channel_id = $1 AND entry_id IN "
          "(SELECT entry_id FROM fieldpost_entries WHERE channel_id = $1 "
          "ORDER BY entry_id LIMIT $2)",
          PgParams().Add(std::int64_t{id}).Add(kEntriesPerPart));
      if (!deleted.ok()) return deleted.status();
      done = deleted->affected() < kEntriesPerPart;
      if (!done) return OkStatus();
      // Entry ids restart at 1.
      return pg
          .Exec(
              "UPDATE fieldpost_channels SET last_entry_id = 0, used_fields = 0, "
              "last_write = NULL WHERE id = $1",
              PgParams().Add(std::int64_t{id}))
          .status();
    });
    if (!status.ok()) return status;
  }
  return OkStatus();
}

Result<Channel> PgStore::DeleteChannel(ChannelId id) {
  if (Status s = ClearChannel(id); !s.ok()) return s;
  Result<Channel> deleted = NoChannel(id);
  Status status = ChangeChannel(id, [&](PgConnection& pg) -> Status {
    auto row = pg.Exec(
        "DELETE FROM fieldpost_channels c WHERE c.id = $1 RETURNING " FIELDPOST_PG_CHANNEL_COLUMNS,
        PgParams().Add(std::int64_t{id}));
    if (!row.ok()) return row.status();
    if (row->rows() == 0) return NoChannel(id);
    Channel channel = ChannelFromRow(*row, 0);
    auto keys = pg.Exec("DELETE FROM fieldpost_keys WHERE kind IN (2, 3) AND channel_id = $1; ",
                        PgParams().Add(std::int64_t{id}));
    if (!keys.ok()) return keys.status();
    auto station = pg.Exec("DELETE FROM fieldpost_stations WHERE channel_id = $1",
                           PgParams().Add(std::int64_t{id}));
    if (!station.ok()) return station.status();
    // A write that came between the clear and this transaction.
    auto late = pg.Exec("DELETE FROM fieldpost_entries WHERE channel_id = $1",
                        PgParams().Add(std::int64_t{id}));
    if (!late.ok()) return late.status();
    deleted = std::move(channel);
    return OkStatus();
  });
  if (!status.ok()) return status;
  return deleted;
}

Result<std::vector<Entry>> PgStore::AppendBulk(const BulkWrite& write) {
  for (const BulkEntry& entry : write.entries) {
    if (Status s = CheckStorable(entry.data); !s.ok()) return s;
  }
  if (write.api_key.find('\0') != std::string::npos) return Unauthorized("unknown API key");
  std::vector<Entry> stored;
  Status status = ChangeEntries(write.channel_id, [&](PgConnection& pg) -> Status {
    auto key = pg.Exec("SELECT kind, channel_id FROM fieldpost_keys WHERE api_key = $1",
                       PgParams().Add(write.api_key));
    if (!key.ok()) return key.status();
    if (write.api_key.empty()) return Unauthorized("missing API key");
    if (key->rows() == 0) return Unauthorized("unknown API key");
    if (key->Int(0, 0) == static_cast<int>(KeyKind::kRead)) {
      return Unauthorized("a read API key cannot write");
    }
    if (key->Int(0, 0) != static_cast<int>(KeyKind::kWrite) ||
        static_cast<ChannelId>(key->Int(0, 1)) != write.channel_id) {
      return Unauthorized("not the write API key of channel " + std::to_string(write.channel_id));
    }
    auto locked = LockChannel(pg, write.channel_id);
    if (!locked.ok()) return locked.status();
    if (!locked->has_value()) return Unauthorized("unknown API key");
    auto times = DistinctBulkTimes(write);
    if (!times.ok()) return times.status();
    // As on LMDB: times counted back from the request are fieldpost's own
    // and may share a second with other writes.
    if (!write.times_computed) {
      auto taken = FindTakenTime(pg, write.channel_id, *times, INT64_MAX);
      if (!taken.ok()) return taken.status();
      if (taken->has_value()) {
        return InvalidArgument("created_at is already used by an entry of this channel");
      }
    }
    const LockedChannel& channel = **locked;
    if (channel.min_write_interval_s > 0 && channel.last_write &&
        channel.now < *channel.last_write + channel.min_write_interval_s) {
      return WriteIntervalRefusal(channel.min_write_interval_s);
    }
    auto inserted = InsertEntries(pg, write.channel_id, channel, write.entries,
                                  channel.min_write_interval_s > 0);
    if (!inserted.ok()) return inserted.status();
    stored = std::move(inserted).value();
    return OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

}  // namespace fieldpost
