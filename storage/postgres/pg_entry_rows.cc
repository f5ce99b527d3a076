#include "storage/postgres/pg_entry_rows.h"

#include "storage/postgres/pg_rows.h"

namespace fieldpost {

Result<std::optional<LockedChannel>> LockChannel(PgConnection& connection, ChannelId id) {
  auto row = connection.Exec(
      "SELECT min_write_interval_s, last_entry_id, extract(epoch FROM last_write)::bigint "
      "FROM fieldpost_channels WHERE id = $1 FOR UPDATE",
      PgParams().Add(std::int64_t{id}));
  if (!row.ok()) return row.status();
  if (row->rows() == 0) return std::optional<LockedChannel>();
  LockedChannel locked;
  locked.min_write_interval_s = static_cast<std::uint32_t>(row->Int(0, 0));
  locked.last_entry_id = static_cast<EntryId>(row->Int(0, 1));
  if (!row->IsNull(0, 2)) locked.last_write = row->Int(0, 2);
  // The time once the lock is held (as fieldpost_append takes it).
  auto now =
      connection.Exec("SELECT extract(epoch FROM date_trunc('second', clock_timestamp()))::bigint");
  if (!now.ok()) return now.status();
  locked.now = now->Int(0, 0);
  return std::optional<LockedChannel>(locked);
}

Result<std::optional<Timestamp>> FindTakenTime(PgConnection& connection, ChannelId id,
                                               const std::vector<Timestamp>& times, EntryId up_to) {
  std::vector<std::string> seconds;
  seconds.reserve(times.size());
  for (Timestamp time : times) seconds.push_back(std::to_string(TimeToSeconds(time)));
  auto row = connection.Exec(
      "SELECT extract(epoch FROM e.created_at)::bigint FROM fieldpost_entries e "
      "WHERE e.channel_id = $1 AND e.entry_id <= $2 AND e.created_at = ANY "
      "(SELECT to_timestamp(t) FROM unnest($3::bigint[]) AS t) "
      "ORDER BY e.created_at LIMIT 1",
      PgParams()
          .Add(std::int64_t{id})
          .Add(static_cast<std::int64_t>(std::min<EntryId>(up_to, INT64_MAX)))
          .AddArray(seconds));
  if (!row.ok()) return row.status();
  if (row->rows() == 0) return std::optional<Timestamp>();
  return std::optional<Timestamp>(SecondsToTime(row->Int(0, 0)));
}

Result<std::vector<Entry>> InsertEntries(PgConnection& connection, ChannelId id,
                                         const LockedChannel& locked,
                                         const std::vector<BulkEntry>& entries, bool record_write) {
  std::vector<Entry> stored;
  if (entries.empty()) return stored;
  // One array per column; the n-th items make the n-th entry.
  std::vector<std::string> times;
  std::vector<std::vector<std::optional<std::string>>> columns(kFieldCount + 4);
  int used = 0;
  for (const BulkEntry& entry : entries) {
    times.push_back(std::to_string(TimeToSeconds(entry.created_at)));
    for (int field = 0; field < kFieldCount; ++field) {
      columns[field].push_back(entry.data.fields[field]);
      if (entry.data.fields[field]) used |= 1 << field;
    }
    columns[kFieldCount].push_back(entry.data.latitude);
    columns[kFieldCount + 1].push_back(entry.data.longitude);
    columns[kFieldCount + 2].push_back(entry.data.elevation);
    columns[kFieldCount + 3].push_back(entry.data.status);
    Entry& out = stored.emplace_back();
    out.channel_id = id;
    out.entry_id = locked.last_entry_id + stored.size();
    out.created_at = entry.created_at;
    out.data = entry.data;
  }
  PgParams params;
  params.Add(std::int64_t{id}).Add(static_cast<std::int64_t>(locked.last_entry_id)).AddArray(times);
  for (const auto& column : columns) params.AddArray(column);
  auto inserted = connection.Exec(
      "INSERT INTO fieldpost_entries SELECT $1, $2 + n, to_timestamp(t), f1, f2, f3, f4, f5, f6, "
      "f7, f8, lat, lon, elev, status FROM unnest($3::bigint[], $4::text[], $5::text[], "
      "$6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], "
      "$13::text[], $14::text[], $15::text[]) WITH ORDINALITY "
      "AS r(t, f1, f2, f3, f4, f5, f6, f7, f8, lat, lon, elev, status, n)",
      params);
  if (!inserted.ok()) return inserted.status();
  auto updated = connection.Exec(
      "UPDATE fieldpost_channels SET last_entry_id = $2, used_fields = used_fields | $3, "
      "last_write = CASE WHEN $4 THEN to_timestamp($5::bigint) ELSE last_write END "
      "WHERE id = $1",
      PgParams()
          .Add(std::int64_t{id})
          .Add(static_cast<std::int64_t>(stored.back().entry_id))
          .Add(std::int64_t{used})
          .Add(record_write ? "true" : "false")
          .Add(locked.now));
  if (!updated.ok()) return updated.status();
  return stored;
}

}  // namespace fieldpost
