#include "storage/lmdb/key_codec.h"

#include <algorithm>
#include <cctype>

namespace fieldpost {
namespace {

template <typename Int>
void AppendBigEndian(std::string& out, Int value) {
  for (int shift = (sizeof(Int) - 1) * 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

template <typename Int>
Int ReadBigEndian(std::string_view bytes) {
  Int value = 0;
  for (std::size_t i = 0; i < sizeof(Int); ++i) {
    value = static_cast<Int>(value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

}  // namespace

std::string EncodeU32(std::uint32_t value) {
  std::string out;
  AppendBigEndian(out, value);
  return out;
}

std::string EncodeU64(std::uint64_t value) {
  std::string out;
  AppendBigEndian(out, value);
  return out;
}

std::uint32_t DecodeU32(std::string_view bytes) { return ReadBigEndian<std::uint32_t>(bytes); }
std::uint64_t DecodeU64(std::string_view bytes) { return ReadBigEndian<std::uint64_t>(bytes); }

std::string ChannelKey(ChannelId channel) { return EncodeU32(channel); }

std::string EntryKey(ChannelId channel, EntryId entry) {
  std::string out = EncodeU32(channel);
  AppendBigEndian(out, entry);
  return out;
}

std::string ByTimeKey(ChannelId channel, Timestamp created_at, EntryId entry) {
  std::string out = EncodeU32(channel);
  AppendBigEndian(out, static_cast<std::uint64_t>(created_at.time_since_epoch().count()));
  AppendBigEndian(out, entry);
  return out;
}

std::string FieldLastKey(ChannelId channel, int field) {
  std::string out = EncodeU32(channel);
  out.push_back(static_cast<char>(field));
  return out;
}

std::string StationKey(std::string_view owner, std::string_view station) {
  std::string out(owner);
  out.push_back('\0');
  // Station ids are MAC-like tokens that stations spell in either case.
  std::transform(station.begin(), station.end(), std::back_inserter(out),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string LastWriteKey(ChannelId channel) { return "last_write" + EncodeU32(channel); }

ChannelId KeyChannel(std::string_view key) { return DecodeU32(key); }

EntryId KeyEntry(std::string_view key) { return DecodeU64(key.substr(key.size() - 8)); }

Timestamp KeyTime(std::string_view by_time_key) {
  return Timestamp(std::chrono::seconds(DecodeU64(by_time_key.substr(4))));
}

}  // namespace fieldpost
