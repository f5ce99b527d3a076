// The columns fieldpost selects and how a row becomes a model value: one
// place for the SQL select lists and their decoding, so every statement
// that reads a channel or an entry reads it the same way.
#pragma once

#include "core/model.h"
#include "storage/postgres/pg_connection.h"

namespace fieldpost {

// The select lists, for tables aliased c (fieldpost_channels) and e
// (fieldpost_entries); times as whole seconds since 1970.
#define FIELDPOST_PG_CHANNEL_COLUMNS                                                          \
  "c.id, c.name, c.description, c.field1_name, c.field2_name, c.field3_name, c.field4_name, " \
  "c.field5_name, c.field6_name, c.field7_name, c.field8_name, c.is_public, c.latitude, "     \
  "c.longitude, c.elevation, c.metadata, c.tags, c.url, c.min_write_interval_s, "             \
  "c.retention_days, c.write_key, c.read_key, c.owner, c.station, "                           \
  "extract(epoch FROM c.created_at)::bigint"
// After the channel's columns: the derived ones (ChannelDerived).
#define FIELDPOST_PG_CHANNEL_DERIVED                                                       \
  "c.last_entry_id, c.used_fields, (SELECT extract(epoch FROM max(d.created_at))::bigint " \
  "FROM fieldpost_entries d WHERE d.channel_id = c.id)"
#define FIELDPOST_PG_ENTRY_COLUMNS                                                           \
  "e.channel_id, e.entry_id, extract(epoch FROM e.created_at)::bigint, e.field1, e.field2, " \
  "e.field3, e.field4, e.field5, e.field6, e.field7, e.field8, e.latitude, e.longitude, "    \
  "e.elevation, e.status"

inline constexpr int kPgChannelColumns = 25;
inline constexpr int kPgEntryColumns = 15;

// The channel in row `row` from column `first` on (FIELDPOST_PG_CHANNEL_COLUMNS).
Channel ChannelFromRow(const PgResult& result, int row, int first = 0);
// Adds the derived columns that follow at `first`.
void ChannelDerivedFromRow(const PgResult& result, int row, int first, Channel& channel);
Entry EntryFromRow(const PgResult& result, int row, int first = 0);
// Adds the settings as parameters, in the columns' order (name through
// retention_days: 19 of them).
void AddSettings(PgParams& params, const ChannelSettings& settings);

inline Timestamp SecondsToTime(std::int64_t seconds) {
  return Timestamp(std::chrono::seconds(seconds));
}
inline std::int64_t TimeToSeconds(Timestamp time) { return time.time_since_epoch().count(); }

}  // namespace fieldpost
