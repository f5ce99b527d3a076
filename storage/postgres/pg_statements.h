// The statements every connection prepares, by name. Reads use an index
// each: keys and channels by primary key, entries by (channel, entry id)
// or (channel, created_at, entry id), newest first.
#pragma once

#include <vector>

#include "storage/postgres/pg_connection.h"

namespace fieldpost::pg {

inline constexpr const char* kFindKey = "find_key";
inline constexpr const char* kFindUser = "find_user";
inline constexpr const char* kListUsers = "list_users";
inline constexpr const char* kFindChannel = "find_channel";
inline constexpr const char* kFindChannelRecord = "find_channel_record";
inline constexpr const char* kListChannels = "list_channels";
inline constexpr const char* kLastEntry = "last_entry";
inline constexpr const char* kAnnounceEntries = "announce_entries";
inline constexpr const char* kLastEntryWithField = "last_entry_with_field";
inline constexpr const char* kFindEntry = "find_entry";
inline constexpr const char* kListByTime = "list_by_time";
inline constexpr const char* kListById = "list_by_id";
inline constexpr const char* kAppend = "append";
inline constexpr const char* kLockChannels = "lock_channels";

const std::vector<PgConnection::Statement>& Statements();

}  // namespace fieldpost::pg
