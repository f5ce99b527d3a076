// Writes of several entries at once inside a caller's transaction, for
// bulk updates and imports: the channel row is locked first (ids are
// gapless), then every entry goes in with one INSERT.
#pragma once

#include <optional>
#include <vector>

#include "core/model.h"
#include "storage/postgres/pg_connection.h"

namespace fieldpost {

// The channel's row, locked until the transaction ends: its write interval,
// last entry id and last write. Empty for an unknown channel.
struct LockedChannel {
  std::uint32_t min_write_interval_s = 0;
  EntryId last_entry_id = 0;
  std::optional<std::int64_t> last_write;  // seconds
  std::int64_t now = 0;                    // once locked, seconds
};
Result<std::optional<LockedChannel>> LockChannel(PgConnection& connection, ChannelId id);

// Whether an entry of the channel, up to entry id `up_to`, has one of
// `times`; the first such time.
Result<std::optional<Timestamp>> FindTakenTime(PgConnection& connection, ChannelId id,
                                               const std::vector<Timestamp>& times, EntryId up_to);

// Stores `entries` with ids after `locked.last_entry_id`, and advances the
// channel's last entry id and used fields (and its last write when
// `record_write`). Returns them as stored.
Result<std::vector<Entry>> InsertEntries(PgConnection& connection, ChannelId id,
                                         const LockedChannel& locked,
                                         const std::vector<BulkEntry>& entries, bool record_write);

}  // namespace fieldpost
