#include "storage/lmdb/record_codec.h"

#include <array>
#include <cstdint>
#include <utility>

#include "storage/lmdb/byte_codec.h"
#include "storage/lmdb/key_codec.h"

namespace fieldpost {
namespace {

constexpr char kRecordFormat = 1;

Status Corrupt(const char* what) { return Internal(std::string("corrupt ") + what + " record"); }

Status Finish(const ByteReader& in, const char* what) {
  return in.ok() && in.at_end() ? OkStatus() : Corrupt(what);
}

// Slot `bit` of the presence mask; const-ness follows `data`.
template <typename Data>
auto OptionalSlot(Data& data, int bit) -> decltype(&data.status) {
  if (bit < kFieldCount) return &data.fields[bit];
  switch (bit) {
    case 8:
      return &data.latitude;
    case 9:
      return &data.longitude;
    case 10:
      return &data.elevation;
    case 11:
      return &data.status;
  }
  return nullptr;
}

constexpr int kSlotCount = 12;

// Channel settings stored after the original fields, in this order.
template <typename ChannelType>
auto ExtraSettings(ChannelType& channel) {
  return std::array{&channel.latitude, &channel.longitude, &channel.elevation,
                    &channel.metadata, &channel.tags,      &channel.url};
}

}  // namespace

std::string EncodeEntry(Timestamp created_at, const EntryData& data) {
  ByteWriter out(kRecordFormat);
  out.Varint(static_cast<std::uint64_t>(created_at.time_since_epoch().count()));
  std::uint64_t mask = 0;
  for (int bit = 0; bit < kSlotCount; ++bit) {
    if (OptionalSlot(data, bit)->has_value()) mask |= std::uint64_t{1} << bit;
  }
  out.Varint(mask);
  for (int bit = 0; bit < kSlotCount; ++bit) {
    if (const auto& value = *OptionalSlot(data, bit)) out.String(*value);
  }
  return out.Take();
}

Status DecodeEntry(std::string_view record, Entry& entry) {
  ByteReader in(record);
  if (in.Byte() != kRecordFormat) return Corrupt("entry");
  entry.created_at = Timestamp(std::chrono::seconds(in.Varint()));
  const std::uint64_t mask = in.Varint();
  if (mask >> kSlotCount != 0) return Corrupt("entry");
  for (int bit = 0; bit < kSlotCount; ++bit) {
    if (mask >> bit & 1) *OptionalSlot(entry.data, bit) = in.String();
  }
  return Finish(in, "entry");
}

std::string EncodeChannel(const Channel& channel) {
  ByteWriter out(kRecordFormat);
  out.Byte(channel.is_public ? 1 : 0);
  out.Varint(static_cast<std::uint64_t>(channel.created_at.time_since_epoch().count()));
  out.String(channel.name);
  out.String(channel.description);
  for (const std::string& name : channel.field_names) out.String(name);
  out.String(channel.write_key);
  out.String(channel.read_key);
  out.String(channel.owner);
  out.String(channel.station);
  for (const std::string* extra : ExtraSettings(channel)) out.String(*extra);
  out.Varint(channel.min_write_interval_s);
  out.Varint(channel.retention_days);
  return out.Take();
}

Status DecodeChannel(std::string_view record, Channel& channel) {
  ByteReader in(record);
  if (in.Byte() != kRecordFormat) return Corrupt("channel");
  channel.is_public = (in.Byte() & 1) != 0;
  channel.created_at = Timestamp(std::chrono::seconds(in.Varint()));
  channel.name = in.String();
  channel.description = in.String();
  for (std::string& name : channel.field_names) name = in.String();
  channel.write_key = in.String();
  channel.read_key = in.String();
  channel.owner = in.String();
  channel.station = in.String();
  for (std::string* extra : ExtraSettings(channel)) {
    if (in.at_end()) break;  // a record written before these settings existed
    *extra = in.String();
  }
  if (!in.at_end()) channel.min_write_interval_s = static_cast<std::uint32_t>(in.Varint());
  if (!in.at_end()) channel.retention_days = static_cast<std::uint32_t>(in.Varint());
  return Finish(in, "channel");
}

namespace {

// The layout of DecodeChannel, copying nothing: the public flag, a view of
// the owner and the write interval, for the decoders that need no more.
Status ScanChannel(std::string_view record, ChannelAccess& access, std::uint32_t& interval_s) {
  constexpr int kStringsBeforeOwner = 2 + kFieldCount + 2;
  constexpr int kExtras = std::tuple_size_v<decltype(ExtraSettings(std::declval<Channel&>()))>;
  ByteReader in(record);
  if (in.Byte() != kRecordFormat) return Corrupt("channel");
  access.is_public = (in.Byte() & 1) != 0;
  in.Varint();
  for (int i = 0; i < kStringsBeforeOwner; ++i) in.SkipString();
  access.owner = in.View();
  in.SkipString();  // station
  for (int i = 0; i < kExtras && !in.at_end(); ++i) in.SkipString();
  interval_s = in.at_end() ? 0 : static_cast<std::uint32_t>(in.Varint());
  if (!in.at_end()) in.Varint();  // retention_days
  return Finish(in, "channel");
}

}  // namespace

Status DecodeChannelAccess(std::string_view record, ChannelAccess& access) {
  std::uint32_t interval_s = 0;
  return ScanChannel(record, access, interval_s);
}

Status DecodeChannelWriteInterval(std::string_view record, std::uint32_t& interval_s) {
  ChannelAccess access;
  return ScanChannel(record, access, interval_s);
}

std::string EncodeUser(const User& user) {
  ByteWriter out(kRecordFormat);
  out.String(user.api_key);
  out.Varint(static_cast<std::uint64_t>(user.created_at.time_since_epoch().count()));
  return out.Take();
}

Status DecodeUser(std::string_view record, User& user) {
  ByteReader in(record);
  if (in.Byte() != kRecordFormat) return Corrupt("user");
  user.api_key = in.String();
  user.created_at = Timestamp(std::chrono::seconds(in.Varint()));
  return Finish(in, "user");
}

std::string EncodeKeyOwner(const KeyOwner& owner) {
  std::string out(1, static_cast<char>(owner.kind));
  if (owner.kind == KeyKind::kUser) return out + owner.user;
  return out + EncodeU32(owner.channel_id);
}

Status DecodeKeyOwner(std::string_view record, KeyOwner& owner) {
  if (record.empty()) return Corrupt("key");
  owner.kind = static_cast<KeyKind>(record[0]);
  record.remove_prefix(1);
  switch (owner.kind) {
    case KeyKind::kUser:
      owner.user = std::string(record);
      return OkStatus();
    case KeyKind::kWrite:
    case KeyKind::kRead:
      if (record.size() != 4) return Corrupt("key");
      owner.channel_id = DecodeU32(record);
      return OkStatus();
  }
  return Corrupt("key");
}

}  // namespace fieldpost
