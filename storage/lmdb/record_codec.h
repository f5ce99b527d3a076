// Encoding of the values stored in LMDB (see storage/lmdb/key_codec.h for the
// keys). Every record starts with a format byte so records can evolve; a
// record that does not decode is reported as corrupt, never trusted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

// Entry record: u8 format, varint created_at seconds, varint presence mask
// (bits 0-7 field1..8, 8 latitude, 9 longitude, 10 elevation, 11 status),
// then each present value as a length-prefixed string in bit order.
std::string EncodeEntry(Timestamp created_at, const EntryData& data);
inline std::string EncodeEntry(const Entry& entry) {
  return EncodeEntry(entry.created_at, entry.data);
}
// Fills created_at and data; the ids come from the key.
Status DecodeEntry(std::string_view record, Entry& entry);

// Channel record: u8 format, u8 flags (bit 0 public), varint created_at,
// strings name, description, field1..8 names, write key, read key, owner,
// station, then latitude, longitude, elevation, metadata, tags, url and a
// varint minimum write interval and a varint retention in days (absent in
// records written before they existed: decoded as empty and 0). The id
// comes from the key.
std::string EncodeChannel(const Channel& channel);
Status DecodeChannel(std::string_view record, Channel& channel);
// Who may read the channel, viewing `record` (access.id is the caller's).
Status DecodeChannelAccess(std::string_view record, ChannelAccess& access);
// Only the minimum write interval (0: none), which every write checks:
// passes over the rest without copying it.
Status DecodeChannelWriteInterval(std::string_view record, std::uint32_t& interval_s);

// User record: u8 format, string API key, varint created_at. The name is the key.
std::string EncodeUser(const User& user);
Status DecodeUser(std::string_view record, User& user);

// keys db value: u8 kind, then u32 channel id or the user name.
std::string EncodeKeyOwner(const KeyOwner& owner);
Status DecodeKeyOwner(std::string_view record, KeyOwner& owner);

}  // namespace fieldpost
