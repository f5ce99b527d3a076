// PgStore's administration: what only the admin commands, import and
// retention do. Each is one transaction (a prune, several small ones).
#include <chrono>

#include "core/time_format.h"
#include "storage/not_found.h"
#include "storage/postgres/connection_pool.h"
#include "storage/postgres/pg_entry_rows.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_snapshot.h"
#include "storage/postgres/pg_statements.h"
#include "storage/postgres/pg_store.h"
#include "storage/prune_expired.h"
#include "storage/random_key.h"

namespace fieldpost {
namespace {

// The channel's record, locked for the rest of the transaction.
Result<std::optional<Channel>> LockedRecord(PgConnection& pg, ChannelId id) {
  auto row = pg.Exec("SELECT " FIELDPOST_PG_CHANNEL_COLUMNS
                     " FROM fieldpost_channels c WHERE c.id = $1 FOR UPDATE",
                     PgParams().Add(std::int64_t{id}));
  if (!row.ok()) return row.status();
  if (row->rows() == 0) return std::optional<Channel>();
  return std::optional<Channel>(ChannelFromRow(*row, 0));
}

// The user, locked for the rest of the transaction; NotFound if none.
Result<User> LockedUser(PgConnection& pg, std::string_view name) {
  auto row = pg.Exec(
      "SELECT api_key, extract(epoch FROM created_at)::bigint FROM fieldpost_users "
      "WHERE name = $1 FOR UPDATE",
      PgParams().Add(name));
  if (!row.ok()) return row.status();
  if (row->rows() == 0) return NoUser(name);
  return User{std::string(name), std::string(row->Text(0, 0)), SecondsToTime(row->Int(0, 1))};
}

// A fresh key no user or channel has.
Result<std::string> UnusedKey(PgConnection& pg) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto key = NewApiKey();
    if (!key.ok()) return key;
    auto taken = pg.Exec("SELECT 1 FROM fieldpost_keys WHERE api_key = $1", PgParams().Add(*key));
    if (!taken.ok()) return taken.status();
    if (taken->rows() == 0) return key;
  }
  return Internal("could not draw an unused API key");
}

}  // namespace

Result<std::vector<User>> PgStore::ListUsers() { return PgSnapshot(*pool_).ListUsers(); }

Result<Channel> PgStore::RegenerateChannelKey(ChannelId id, KeyKind kind) {
  Result<Channel> changed = NoChannel(id);
  Status status = ChangeChannel(id, [&](PgConnection& pg) -> Status {
    auto record = LockedRecord(pg, id);
    if (!record.ok()) return record.status();
    if (!record->has_value()) return NoChannel(id);
    Channel channel = std::move(**record);
    auto key = UnusedKey(pg);
    if (!key.ok()) return key.status();
    std::string& slot = kind == KeyKind::kRead ? channel.read_key : channel.write_key;
    const std::string old = slot;
    slot = *key;
    auto swapped = pg.Exec(
        "WITH gone AS (DELETE FROM fieldpost_keys WHERE api_key = $2) "
        "INSERT INTO fieldpost_keys VALUES ($3, $4, '', $1)",
        PgParams().Add(std::int64_t{id}).Add(old).Add(*key).Add(std::int64_t(kind)));
    if (!swapped.ok()) return swapped.status();
    auto stored = pg.Exec(kind == KeyKind::kRead
                              ? "UPDATE fieldpost_channels SET read_key = $2 WHERE id = $1"
                              : "UPDATE fieldpost_channels SET write_key = $2 WHERE id = $1",
                          PgParams().Add(std::int64_t{id}).Add(*key));
    if (!stored.ok()) return stored.status();
    changed = std::move(channel);
    return OkStatus();
  });
  if (!status.ok()) return status;
  return changed;
}

Result<User> PgStore::RegenerateUserKey(std::string_view name) {
  Result<User> changed = NoUser(name);
  Status status = InTransaction([&](PgConnection& pg) -> Status {
    auto user = LockedUser(pg, name);
    if (!user.ok()) return user.status();
    auto key = UnusedKey(pg);
    if (!key.ok()) return key.status();
    auto swapped = pg.Exec(
        "WITH gone AS (DELETE FROM fieldpost_keys WHERE api_key = $2), "
        "u AS (UPDATE fieldpost_users SET api_key = $3 WHERE name = $1) "
        "INSERT INTO fieldpost_keys VALUES ($3, 1, $1, 0)",
        PgParams().Add(name).Add(user->api_key).Add(*key));
    if (!swapped.ok()) return swapped.status();
    changed = User{std::string(name), *key, user->created_at};
    return OkStatus();
  });
  if (!status.ok()) return status;
  return changed;
}

Result<Channel> PgStore::SetChannelOwner(ChannelId id, std::string_view owner) {
  Result<Channel> changed = NoChannel(id);
  Status status = ChangeChannel(id, [&](PgConnection& pg) -> Status {
    auto record = LockedRecord(pg, id);
    if (!record.ok()) return record.status();
    if (!record->has_value()) return NoChannel(id);
    if (!owner.empty()) {
      auto user = pg.Exec("SELECT 1 FROM fieldpost_users WHERE name = $1", PgParams().Add(owner));
      if (!user.ok()) return user.status();
      if (user->rows() == 0) return NoUser(owner);
    }
    Channel channel = std::move(**record);
    // The station mapping follows the channel (see AdminStore).
    if (!channel.station.empty() && owner != channel.owner) {
      auto theirs =
          pg.Exec("SELECT channel_id FROM fieldpost_stations WHERE owner = $1 AND station = $2",
                  PgParams().Add(owner).Add(channel.station));
      if (!theirs.ok()) return theirs.status();
      if (theirs->rows() > 0 && static_cast<ChannelId>(theirs->Int(0, 0)) != id) {
        return InvalidArgument("user '" + std::string(owner) + "' has a channel of station " +
                               channel.station + " already (channel " +
                               std::string(theirs->Text(0, 0)) + ")");
      }
      auto moved = pg.Exec(
          "WITH gone AS (DELETE FROM fieldpost_stations WHERE owner = $2 AND station = $3 "
          "AND channel_id = $1) "
          "INSERT INTO fieldpost_stations VALUES ($4, $3, $1) "
          "ON CONFLICT (owner, station) DO NOTHING",
          PgParams().Add(std::int64_t{id}).Add(channel.owner).Add(channel.station).Add(owner));
      if (!moved.ok()) return moved.status();
    }
    channel.owner = std::string(owner);
    auto stored = pg.Exec("UPDATE fieldpost_channels SET owner = $2 WHERE id = $1",
                          PgParams().Add(std::int64_t{id}).Add(owner));
    if (!stored.ok()) return stored.status();
    changed = std::move(channel);
    return OkStatus();
  });
  if (!status.ok()) return status;
  return changed;
}

Result<User> PgStore::DeleteUser(std::string_view name) {
  Result<User> deleted = NoUser(name);
  Status status = InTransaction([&](PgConnection& pg) -> Status {
    auto user = LockedUser(pg, name);
    if (!user.ok()) return user.status();
    auto owned = pg.Exec(
        "SELECT string_agg(id::text, ', ' ORDER BY id) FROM fieldpost_channels WHERE owner = $1",
        PgParams().Add(name));
    if (!owned.ok()) return owned.status();
    if (!owned->IsNull(0, 0)) {
      return InvalidArgument("user '" + std::string(name) + "' owns channels " +
                             std::string(owned->Text(0, 0)) +
                             ": give them to another user (channel update ID --owner NAME) or "
                             "delete them first");
    }
    auto gone = pg.Exec(
        "WITH k AS (DELETE FROM fieldpost_keys WHERE api_key = $2) "
        "DELETE FROM fieldpost_users WHERE name = $1",
        PgParams().Add(name).Add(user->api_key));
    if (!gone.ok()) return gone.status();
    deleted = std::move(user).value();
    return OkStatus();
  });
  if (!status.ok()) return status;
  return deleted;
}

Result<std::vector<Entry>> PgStore::ImportEntries(ChannelId id,
                                                  const std::vector<BulkEntry>& entries,
                                                  EntryId existing_up_to) {
  std::vector<Entry> stored;
  Status status = ChangeEntries(id, [&](PgConnection& pg) -> Status {
    auto locked = LockChannel(pg, id);
    if (!locked.ok()) return locked.status();
    if (!locked->has_value()) return NoChannel(id);
    std::vector<Timestamp> times;
    for (const BulkEntry& entry : entries) times.push_back(entry.created_at);
    auto taken = FindTakenTime(pg, id, times, existing_up_to);
    if (!taken.ok()) return taken.status();
    if (taken->has_value()) {
      return InvalidArgument("an entry of channel " + std::to_string(id) +
                             " already has the created_at " + FormatIso8601(**taken));
    }
    auto inserted = InsertEntries(pg, id, **locked, entries, false);
    if (!inserted.ok()) return inserted.status();
    stored = std::move(inserted).value();
    return OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

Result<std::size_t> PgStore::PruneChannel(ChannelId id, Timestamp before) {
  // Small parts: pruning runs beside the frontends' writes. The channel's
  // last entry (newest created_at, then highest id) and its highest id
  // stay, as on LMDB, so last values and entry ids go on.
  constexpr std::int64_t kEntriesPerPart = 2000;
  std::size_t pruned = 0;
  for (bool done = false; !done && !stopped_;) {
    Status status = InTransaction([&](PgConnection& pg) -> Status {
      auto locked = LockChannel(pg, id);
      if (!locked.ok()) return locked.status();
      if (!locked->has_value()) return NoChannel(id);
      auto deleted = pg.Exec(
          "DELETE FROM fieldpost_entries WHERE channel_id = $1 AND entry_id IN ("
          "SELECT e.entry_id FROM fieldpost_entries e WHERE e.channel_id = $1 "
          "AND e.created_at < to_timestamp($2::bigint) AND e.entry_id < $3 "
          "AND (e.created_at, e.entry_id) < (SELECT l.created_at, l.entry_id "
          "FROM fieldpost_entries l WHERE l.channel_id = $1 "
          "ORDER BY l.created_at DESC, l.entry_id DESC LIMIT 1) "
          "ORDER BY e.created_at, e.entry_id LIMIT $4)",
          PgParams()
              .Add(std::int64_t{id})
              .Add(TimeToSeconds(before))
              .Add(static_cast<std::int64_t>((*locked)->last_entry_id))
              .Add(kEntriesPerPart));
      if (!deleted.ok()) return deleted.status();
      done = deleted->affected() < kEntriesPerPart;
      if (deleted->affected() == 0) return OkStatus();
      pruned += static_cast<std::size_t>(deleted->affected());
      // A newest entry with some field may have gone.
      return AnnounceEntries(pg, id);
    });
    if (!status.ok()) {
      // Earlier parts committed.
      if (pruned > 0) EntriesChangedHere(id);
      return status;
    }
  }
  if (pruned > 0) EntriesChangedHere(id);
  return pruned;
}

Result<bool> PgStore::ClaimPrunePass(Timestamp now, std::chrono::seconds interval) {
  // As on LMDB (StoreWriter::ClaimPrunePass): a claim far in the future is
  // stale, one a little ahead is another frontend's.
  bool claimed = false;
  Status status = InTransaction([&](PgConnection& pg) -> Status {
    auto row = pg.Exec(
        "UPDATE fieldpost_counters SET value = $1 WHERE name = 'last_prune_pass' "
        "AND NOT (value <> 0 AND $1 < value + $2 AND value <= $1 + $2) RETURNING 1",
        PgParams().Add(TimeToSeconds(now)).Add(std::int64_t{interval.count()}));
    if (!row.ok()) return row.status();
    claimed = row->rows() == 1;
    return OkStatus();
  });
  if (!status.ok()) return status;
  return claimed;
}

Result<std::size_t> PgStore::PruneExpired(Timestamp now) {
  auto channels = PgSnapshot(*pool_).ListChannels();
  if (!channels.ok()) return channels.status();
  return PruneExpiredChannels(*this, *channels, default_retention_days_, now);
}

}  // namespace fieldpost
