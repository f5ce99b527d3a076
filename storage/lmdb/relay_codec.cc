#include "storage/lmdb/relay_codec.h"

#include <utility>

#include "storage/lmdb/byte_codec.h"
#include "storage/lmdb/record_codec.h"

namespace fieldpost {
namespace {

constexpr char kRequestFormat = 'A';
constexpr char kReplyFormat = 'R';

}  // namespace

std::string EncodeAppendRequest(std::uint64_t id, const EntryWrite& write) {
  ByteWriter out(kRequestFormat);
  out.Varint(id);
  out.String(write.api_key);
  out.String(write.station);
  out.Byte(write.created_at.has_value() ? 1 : 0);
  out.String(EncodeEntry(write.created_at.value_or(Timestamp{}), write.data));
  return out.Take();
}

bool DecodeAppendRequest(std::string_view message, std::uint64_t& id, EntryWrite& write) {
  ByteReader in(message);
  if (in.Byte() != kRequestFormat) return false;
  id = in.Varint();
  write.api_key = in.String();
  write.station = in.String();
  const std::uint8_t has_created_at = in.Byte();
  const std::string record = in.String();
  if (!in.ok() || !in.at_end() || has_created_at > 1) return false;
  Entry entry;
  if (!DecodeEntry(record, entry).ok()) return false;
  write.created_at.reset();
  if (has_created_at == 1) write.created_at = entry.created_at;
  write.data = std::move(entry.data);
  return true;
}

std::string EncodeAppendReply(std::uint64_t id, const Result<Entry>& result) {
  ByteWriter out(kReplyFormat);
  out.Varint(id);
  const Status& status = result.ok() ? OkStatus() : result.status();
  out.Byte(static_cast<std::uint8_t>(status.code()));
  out.String(status.message());
  if (result.ok()) {
    out.Varint(result->channel_id);
    out.Varint(result->entry_id);
    out.String(EncodeEntry(*result));
  }
  return out.Take();
}

bool DecodeAppendReply(std::string_view message, std::uint64_t& id, Result<Entry>& result) {
  ByteReader in(message);
  if (in.Byte() != kReplyFormat) return false;
  id = in.Varint();
  const std::uint8_t code = in.Byte();
  std::string text = in.String();
  if (!in.ok() || code > static_cast<std::uint8_t>(StatusCode::kInternal)) return false;
  if (static_cast<StatusCode>(code) != StatusCode::kOk) {
    if (!in.at_end()) return false;
    result = Status(static_cast<StatusCode>(code), std::move(text));
    return true;
  }
  Entry entry;
  const std::uint64_t channel_id = in.Varint();
  entry.entry_id = in.Varint();
  const std::string record = in.String();
  if (!in.ok() || !in.at_end() || channel_id > UINT32_MAX) return false;
  if (!DecodeEntry(record, entry).ok()) return false;
  entry.channel_id = static_cast<ChannelId>(channel_id);
  result = std::move(entry);
  return true;
}

}  // namespace fieldpost
