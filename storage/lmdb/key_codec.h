// The byte layout of fieldpost's LMDB databases. This header is the
// reference; bump kFormatVersion whenever any of it changes.
//
// Integers in keys are big-endian so that byte order is numeric order and a
// cursor walks a channel's entries by id or time.
//
//   db          key                                         value
//   meta        "format_version"                            u32 format version
//               "next_channel_id"                           u32 next channel id (from 1)
//               "last_prune_pass"                           u64 when a server last claimed the
//                                                           background pruning pass (s)
//               "last_write" u32 channel id                 u64 time of the last write (s),
//                                                           kept only for channels with a
//                                                           minimum write interval
//   users       user name                                   user record
//   keys        API key (16 chars)                          u8 KeyKind, then u32 channel id
//                                                           (write/read) or the user name (user)
//   channels    u32 channel id                              channel record
//   stations    owner name, 0x00, lower-cased station id    u32 channel id
//   entries     u32 channel id, u64 entry id                entry record
//   by_time     u32 channel id, u64 created_at (s), u64 id  empty
//   field_last  u32 channel id, u8 field (1..8)             u64 entry id of the field's last
//                                                           value in time order (created_at,
//                                                           then entry id)
//
// Records (storage/lmdb/record_codec.h) start with a format byte and use LEB128
// varints and varint-length-prefixed strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/model.h"

namespace fieldpost {

// 2: field_last names the last value in time order (storage/lmdb/format_upgrade.h).
inline constexpr std::uint32_t kFormatVersion = 2;
inline constexpr std::string_view kFormatVersionKey = "format_version";
inline constexpr std::string_view kNextChannelIdKey = "next_channel_id";
inline constexpr std::string_view kLastPrunePassKey = "last_prune_pass";

std::string EncodeU32(std::uint32_t value);
std::string EncodeU64(std::uint64_t value);
// Precondition: bytes.size() >= 4 (resp. 8); reads the leading bytes.
std::uint32_t DecodeU32(std::string_view bytes);
std::uint64_t DecodeU64(std::string_view bytes);

std::string ChannelKey(ChannelId channel);
std::string EntryKey(ChannelId channel, EntryId entry);
std::string ByTimeKey(ChannelId channel, Timestamp created_at, EntryId entry);
std::string FieldLastKey(ChannelId channel, int field);
std::string StationKey(std::string_view owner, std::string_view station);
std::string LastWriteKey(ChannelId channel);

// The channel id at the front of an entries, by_time or field_last key.
ChannelId KeyChannel(std::string_view key);
// The entry id at the end of an entries or by_time key.
EntryId KeyEntry(std::string_view key);
// The created_at of a by_time key.
Timestamp KeyTime(std::string_view by_time_key);

}  // namespace fieldpost
