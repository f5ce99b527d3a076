// fieldpost creates and upgrades its own schema: numbered migrations
// (storage/postgres/migrations/NNNN_*.sql, compiled in), each applied in
// one transaction under an advisory lock, so frontends starting together
// apply each once and none reads a half-made schema.
#pragma once

#include <string_view>
#include <vector>

#include "core/status.h"

namespace fieldpost {

class PgConnection;

struct Migration {
  std::string_view name;  // its file name, NNNN_what.sql
  std::string_view sql;
};

// Every migration, in order; number i + 1 is migrations[i].
const std::vector<Migration>& Migrations();

// Brings the database's schema to the newest version. InvalidArgument if
// the database holds a newer schema than this fieldpost knows.
Status MigrateSchema(PgConnection& connection);

}  // namespace fieldpost
