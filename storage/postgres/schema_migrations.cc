#include "storage/postgres/schema_migrations.h"

#include <string>

#include "core/log.h"
#include "storage/postgres/pg_connection.h"

namespace fieldpost {
namespace {

// The advisory lock every fieldpost takes while it migrates: "fieldpost"
// in ASCII, not a number another program on the database likely uses.
constexpr std::int64_t kMigrationLock = 0x6669656c64706f73;

Status Rollback(PgConnection& connection, Status status) {
  if (connection.healthy()) (void)connection.Exec("ROLLBACK");
  return status;
}

// Applies migration `number` unless the schema has it; true if it did.
Result<bool> ApplyOne(PgConnection& connection, std::size_t number) {
  if (auto begin = connection.Exec("BEGIN"); !begin.ok()) return begin.status();
  PgParams lock;
  lock.Add(kMigrationLock);
  if (auto locked = connection.Exec("SELECT pg_advisory_xact_lock($1)", lock); !locked.ok()) {
    return Rollback(connection, locked.status());
  }
  auto table = connection.ExecScript(
      "CREATE TABLE IF NOT EXISTS fieldpost_schema (version integer NOT NULL);"
      "INSERT INTO fieldpost_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM fieldpost_schema)");
  if (!table.ok()) return Rollback(connection, table.status());
  auto version = connection.Exec("SELECT version FROM fieldpost_schema");
  if (!version.ok()) return Rollback(connection, version.status());
  const auto current = static_cast<std::size_t>(version->Int(0, 0));
  if (current > Migrations().size()) {
    return Rollback(connection,
                    InvalidArgument("the database has schema version " + std::to_string(current) +
                                    ", newer than this fieldpost's " +
                                    std::to_string(Migrations().size()) + ": upgrade fieldpost"));
  }
  if (current >= number) {
    if (Status s = Rollback(connection, OkStatus()); !s.ok()) return s;
    return false;
  }
  const Migration& migration = Migrations()[number - 1];
  if (auto applied = connection.ExecScript(migration.sql); !applied.ok()) {
    return Rollback(connection, Internal("schema migration " + std::string(migration.name) + ": " +
                                         applied.status().message()));
  }
  PgParams to;
  to.Add(static_cast<std::int64_t>(number));
  if (auto set = connection.Exec("UPDATE fieldpost_schema SET version = $1", to); !set.ok()) {
    return Rollback(connection, set.status());
  }
  if (auto commit = connection.Exec("COMMIT"); !commit.ok()) return commit.status();
  return true;
}

}  // namespace

Status MigrateSchema(PgConnection& connection) {
  for (std::size_t number = 1; number <= Migrations().size(); ++number) {
    auto applied = ApplyOne(connection, number);
    if (!applied.ok()) return applied.status();
    if (*applied) {
      LogInfo("database schema migrated to version " + std::to_string(number) + " (" +
              std::string(Migrations()[number - 1].name) + ")");
    }
  }
  return OkStatus();
}

}  // namespace fieldpost
