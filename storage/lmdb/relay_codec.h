// The append relay's messages (see storage/lmdb/append_relay.h), one per
// datagram of a local SOCK_SEQPACKET socket between processes of the same
// build. A request carries one single-entry append; its reply carries the
// same id and either the stored entry or the Status that refused it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

// u8 format, varint id, strings api_key and station, u8 has_created_at,
// then the entry record (record_codec) holding created_at and the data.
std::string EncodeAppendRequest(std::uint64_t id, const EntryWrite& write);
// False when `message` is not a whole, well-formed request.
bool DecodeAppendRequest(std::string_view message, std::uint64_t& id, EntryWrite& write);

// u8 format, varint id, u8 status code, string message; when the code is
// kOk, varint channel id, varint entry id and the entry record.
std::string EncodeAppendReply(std::uint64_t id, const Result<Entry>& result);
// False when `message` is not a whole, well-formed reply.
bool DecodeAppendReply(std::string_view message, std::uint64_t& id, Result<Entry>& result);

}  // namespace fieldpost
