#include "storage/postgres/pg_statements.h"

#include "storage/postgres/pg_rows.h"

namespace fieldpost::pg {

const std::vector<PgConnection::Statement>& Statements() {
  // Optional bounds are COALESCEd to the widest, not `$n IS NULL OR ...`,
  // so that a generic plan still bounds the index scan.
  static const std::vector<PgConnection::Statement> statements = {
      {kFindKey, "SELECT kind, user_name, channel_id FROM fieldpost_keys WHERE api_key = $1"},
      {kFindUser,
       "SELECT name, api_key, extract(epoch FROM created_at)::bigint FROM fieldpost_users "
       "WHERE name = $1"},
      // Byte order, as LMDB lists them.
      {kListUsers,
       "SELECT name, api_key, extract(epoch FROM created_at)::bigint FROM fieldpost_users "
       "ORDER BY name COLLATE \"C\""},
      {kFindChannel, "SELECT " FIELDPOST_PG_CHANNEL_COLUMNS ", " FIELDPOST_PG_CHANNEL_DERIVED
                     " FROM fieldpost_channels c WHERE c.id = $1"},
      {kFindChannelRecord,
       "SELECT " FIELDPOST_PG_CHANNEL_COLUMNS " FROM fieldpost_channels c WHERE c.id = $1"},
      {kListChannels, "SELECT " FIELDPOST_PG_CHANNEL_COLUMNS ", " FIELDPOST_PG_CHANNEL_DERIVED
                      " FROM fieldpost_channels c ORDER BY c.id"},
      {kLastEntry,
       "SELECT " FIELDPOST_PG_ENTRY_COLUMNS " FROM fieldpost_entries e WHERE e.channel_id = $1 "
       "ORDER BY e.created_at DESC, e.entry_id DESC LIMIT 1"},
      {kLastEntryWithField,
       "SELECT " FIELDPOST_PG_ENTRY_COLUMNS
       " FROM fieldpost_entries e WHERE e.channel_id = $1 AND (CASE $2::integer "
       "WHEN 1 THEN e.field1 WHEN 2 THEN e.field2 WHEN 3 THEN e.field3 WHEN 4 THEN e.field4 "
       "WHEN 5 THEN e.field5 WHEN 6 THEN e.field6 WHEN 7 THEN e.field7 WHEN 8 THEN e.field8 "
       "END) IS NOT NULL ORDER BY e.created_at DESC, e.entry_id DESC LIMIT 1"},
      {kFindEntry, "SELECT " FIELDPOST_PG_ENTRY_COLUMNS
                   " FROM fieldpost_entries e WHERE e.channel_id = $1 AND e.entry_id = $2"},
      {kListByTime,
       "SELECT " FIELDPOST_PG_ENTRY_COLUMNS " FROM fieldpost_entries e WHERE e.channel_id = $1 "
       "AND e.created_at >= COALESCE(to_timestamp($2::bigint), '-infinity') "
       "AND e.created_at <= COALESCE(to_timestamp($3::bigint), 'infinity') "
       "AND e.entry_id >= COALESCE($4::bigint, 0) "
       "AND e.entry_id <= COALESCE($5::bigint, 9223372036854775807) "
       "ORDER BY e.created_at DESC, e.entry_id DESC LIMIT $6"},
      {kListById,
       "SELECT " FIELDPOST_PG_ENTRY_COLUMNS " FROM fieldpost_entries e WHERE e.channel_id = $1 "
       "AND e.entry_id >= COALESCE($2::bigint, 0) "
       "AND e.entry_id <= COALESCE($3::bigint, 9223372036854775807) "
       "ORDER BY e.entry_id DESC LIMIT $4"},
      {kAppend,
       "SELECT code, message, channel_id, entry_id, created_at FROM fieldpost_append("
       "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"},
      {kLockChannels, "SELECT fieldpost_lock_channels($1::text[], $2::text[])"},
      {kAnnounceEntries, "SELECT fieldpost_announce_entries($1::integer[])"},
  };
  return statements;
}

}  // namespace fieldpost::pg
