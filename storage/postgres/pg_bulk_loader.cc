#include "storage/postgres/pg_bulk_loader.h"

#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/schema_migrations.h"

namespace fieldpost {

Result<std::unique_ptr<PgBulkLoader>> PgBulkLoader::Open(const std::string& uri) {
  auto connection = PgConnection::Connect(uri, {});
  if (!connection.ok()) return connection.status();
  if (Status s = MigrateSchema(**connection); !s.ok()) return s;
  std::unique_ptr<PgBulkLoader> loader(new PgBulkLoader(std::move(connection).value()));
  PgConnection& pg = *loader->connection_;
  if (auto begin = pg.Exec("BEGIN"); !begin.ok()) return begin.status();
  // No frontend may write while the store comes in, nor another migrate.
  auto locked = pg.ExecScript(
      "LOCK TABLE fieldpost_users, fieldpost_channels, fieldpost_keys, fieldpost_stations, "
      "fieldpost_entries, fieldpost_counters IN EXCLUSIVE MODE");
  if (!locked.ok()) return locked.status();
  auto held = pg.Exec(
      "SELECT (SELECT count(*) FROM fieldpost_users) + (SELECT count(*) FROM fieldpost_channels) "
      "+ (SELECT count(*) FROM (SELECT 1 FROM fieldpost_entries LIMIT 1) AS e)");
  if (!held.ok()) return held.status();
  if (held->Int(0, 0) != 0) {
    return InvalidArgument(
        "the database holds users, channels or entries already: migrate fills an empty one "
        "(createdb a new database, or drop this one's fieldpost_* tables)");
  }
  return loader;
}

PgBulkLoader::PgBulkLoader(std::unique_ptr<PgConnection> connection)
    : connection_(std::move(connection)) {}

PgBulkLoader::~PgBulkLoader() = default;  // an open transaction rolls back

Status PgBulkLoader::AddUser(const User& user) {
  return connection_
      ->Exec(
          "WITH u AS (INSERT INTO fieldpost_users VALUES ($1, $2, to_timestamp($3::bigint))) "
          "INSERT INTO fieldpost_keys VALUES ($2, 1, $1, 0)",
          PgParams().Add(user.name).Add(user.api_key).Add(TimeToSeconds(user.created_at)))
      .status();
}

Status PgBulkLoader::AddChannel(const Channel& channel) {
  PgParams params;
  params.Add(std::int64_t{channel.id});
  AddSettings(params, channel);
  params.Add(channel.write_key)
      .Add(channel.read_key)
      .Add(channel.owner)
      .Add(channel.station)
      .Add(TimeToSeconds(channel.created_at))
      .Add(static_cast<std::int64_t>(channel.last_entry_id))
      .Add(std::int64_t{channel.used_fields});
  auto inserted = connection_->Exec(
      "INSERT INTO fieldpost_channels VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
      "$13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, to_timestamp($25::bigint), "
      "$26, $27, NULL)",
      params);
  if (!inserted.ok()) return inserted.status();
  auto keys = connection_->Exec(
      "INSERT INTO fieldpost_keys VALUES ($1, 2, '', $3), ($2, 3, '', $3)",
      PgParams().Add(channel.write_key).Add(channel.read_key).Add(std::int64_t{channel.id}));
  if (!keys.ok()) return keys.status();
  if (channel.station.empty()) return OkStatus();
  return connection_
      ->Exec("INSERT INTO fieldpost_stations VALUES ($1, $2, $3)",
             PgParams().Add(channel.owner).Add(channel.station).Add(std::int64_t{channel.id}))
      .status();
}

Status PgBulkLoader::AddEntries(const std::vector<Entry>& entries) {
  if (entries.empty()) return OkStatus();
  std::vector<std::string> channels, ids, times;
  std::vector<std::vector<std::optional<std::string>>> columns(kFieldCount + 4);
  for (const Entry& entry : entries) {
    channels.push_back(std::to_string(entry.channel_id));
    ids.push_back(std::to_string(entry.entry_id));
    times.push_back(std::to_string(TimeToSeconds(entry.created_at)));
    for (int field = 0; field < kFieldCount; ++field) {
      columns[field].push_back(entry.data.fields[field]);
    }
    columns[kFieldCount].push_back(entry.data.latitude);
    columns[kFieldCount + 1].push_back(entry.data.longitude);
    columns[kFieldCount + 2].push_back(entry.data.elevation);
    columns[kFieldCount + 3].push_back(entry.data.status);
  }
  PgParams params;
  params.AddArray(channels).AddArray(ids).AddArray(times);
  for (const auto& column : columns) params.AddArray(column);
  return connection_
      ->Exec(
          "INSERT INTO fieldpost_entries SELECT c, i, to_timestamp(t), f1, f2, f3, f4, f5, f6, "
          "f7, f8, lat, lon, elev, status FROM unnest($1::integer[], $2::bigint[], $3::bigint[], "
          "$4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], "
          "$11::text[], $12::text[], $13::text[], $14::text[], $15::text[]) "
          "AS r(c, i, t, f1, f2, f3, f4, f5, f6, f7, f8, lat, lon, elev, status)",
          params)
      .status();
}

Status PgBulkLoader::SetNextChannelId(ChannelId next) {
  return connection_
      ->Exec("UPDATE fieldpost_counters SET value = $1 WHERE name = 'next_channel_id'",
             PgParams().Add(std::int64_t{next}))
      .status();
}

Status PgBulkLoader::Commit() { return connection_->Exec("COMMIT").status(); }

}  // namespace fieldpost
