// The data fieldpost stores, as the API and the storage see it: users, their
// channels, and the entries (readings) of each channel. Plain values, no I/O.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fieldpost {

inline constexpr int kFieldCount = 8;
// ThingSpeak stores values as strings of at most 255 bytes (MySQL string(255)).
inline constexpr std::size_t kMaxValueBytes = 255;

using Timestamp = std::chrono::sys_seconds;
using ChannelId = std::uint32_t;
using EntryId = std::uint64_t;

struct User {
  std::string name;
  std::string api_key;
  Timestamp created_at{};
};

// What a channel's owner can set (ThingSpeak's channel settings).
struct ChannelSettings {
  std::string name;
  std::string description;
  std::array<std::string, kFieldCount> field_names;
  bool is_public = false;
  std::string latitude;  // decimal text, empty if unset
  std::string longitude;
  std::string elevation;
  std::string metadata;
  std::string tags;  // comma-separated
  std::string url;
  // Writes sooner than this after the previous one are refused; 0 = off.
  std::uint32_t min_write_interval_s = 0;
  // Entries older than this many days are pruned (storage/retention_pruner.h);
  // 0: the server's default (the retention_days setting), off unless set.
  std::uint32_t retention_days = 0;
  static constexpr std::uint32_t kMaxRetentionDays = 36500;
};

// The channel's tags: its comma-separated `tags`, each trimmed of spaces,
// empty ones left out.
std::vector<std::string_view> ChannelTags(const ChannelSettings& settings);

struct Channel : ChannelSettings {
  ChannelId id = 0;
  std::string write_key;
  std::string read_key;
  std::string owner;    // user name; may be empty for channels made without --user
  std::string station;  // station id as first seen (e.g. a MAC); empty if none
  Timestamp created_at{};
  // Derived when read, never stored: the newest entry id (0 = no entries),
  // bit i set when field i+1 has ever held a value, and the last update.
  EntryId last_entry_id = 0;
  std::uint8_t used_fields = 0;
  Timestamp updated_at{};  // the newest entry's created_at, else created_at

  // ThingSpeak lists a field when it has a name; fieldpost also lists one
  // that was ever written, since station channels have no field names.
  bool FieldEnabled(int field) const {
    return !field_names[field - 1].empty() || (used_fields >> (field - 1) & 1) != 0;
  }
};

// What deciding who may read a channel needs (api/access_rules.h), without
// the rest of its record: `owner` views the memory of whatever holds the
// record (a store snapshot, a Channel) and is valid while that lives.
struct ChannelAccess {
  ChannelId id = 0;
  bool is_public = false;
  std::string_view owner;
};

inline ChannelAccess AccessOf(const Channel& channel) {
  return {channel.id, channel.is_public, channel.owner};
}

// What the caller asks for when creating a channel; the store assigns the id
// and the keys.
struct NewChannel : ChannelSettings {
  std::string owner;
  std::string station;
};

// The values of one reading. Every member is optional: absent is "null".
struct EntryData {
  std::array<std::optional<std::string>, kFieldCount> fields;
  std::optional<std::string> latitude;
  std::optional<std::string> longitude;
  std::optional<std::string> elevation;
  std::optional<std::string> status;

  bool HasAnyValue() const;
};

struct Entry {
  ChannelId channel_id = 0;
  EntryId entry_id = 0;  // 0 for aggregated rows, which stand for many entries
  Timestamp created_at{};
  EntryData data;
};

// Which entries of a channel a list read wants; every bound is optional
// and inclusive.
struct EntryRange {
  std::optional<Timestamp> start;
  std::optional<Timestamp> end;
  std::optional<EntryId> first_id;
  std::optional<EntryId> last_id;
};

// One entry of a bulk write, its time already resolved.
struct BulkEntry {
  Timestamp created_at{};
  EntryData data;
};

enum class KeyKind : std::uint8_t { kUser = 1, kWrite = 2, kRead = 3 };

// Whom an API key belongs to: a user (kUser) or a channel (kWrite, kRead).
struct KeyOwner {
  KeyKind kind = KeyKind::kRead;
  std::string user;          // set for kUser
  ChannelId channel_id = 0;  // set for kWrite and kRead
};

// What the caller asks for when creating a user. An empty api_key draws a
// fresh one; a given one lets stations flashed with a fixed key keep it.
struct NewUser {
  std::string name;
  std::string api_key;
};

// One write as handed to the store: the key decides the channel. With a user
// key, `station` names the station whose channel is created on first use.
struct EntryWrite {
  std::string api_key;
  std::string station;
  std::optional<Timestamp> created_at;  // absent: the time of the commit
  EntryData data;
};

// A bulk write: every entry is stored, in order, in one transaction, or
// none is.
struct BulkWrite {
  std::string api_key;  // must be the channel's write key
  ChannelId channel_id = 0;
  std::vector<BulkEntry> entries;
  // The times were counted back from the request time (delta_t, relative
  // CSV), not given by the client.
  bool times_computed = false;
};

}  // namespace fieldpost
