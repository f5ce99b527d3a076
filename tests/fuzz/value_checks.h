// The invariants of parsed input that may reach storage, shared by the
// drivers of parsers that produce entry data.
#pragma once

#include <optional>
#include <string>

#include "api/bulk_parser.h"
#include "api/form_parser.h"
#include "api/update_parser.h"
#include "core/model.h"
#include "core/utf8.h"
#include "tests/fuzz/fuzz_check.h"

namespace fieldpost::fuzz {

// At most 255 bytes of UTF-8 without control characters.
inline void CheckStorableValue(const std::optional<std::string>& value) {
  if (!value) return;
  FUZZ_CHECK(value->size() <= kMaxValueBytes);
  FUZZ_CHECK(IsValidUtf8(*value));
  for (unsigned char c : *value) FUZZ_CHECK(c >= 0x20 && c != 0x7F);
}

inline void CheckStorableData(const EntryData& data) {
  for (const auto& field : data.fields) CheckStorableValue(field);
  CheckStorableValue(data.latitude);
  CheckStorableValue(data.longitude);
  CheckStorableValue(data.elevation);
  CheckStorableValue(data.status);
}

// Decoded parameters are UTF-8, and an update parsed from them holds data
// that may be stored.
inline void CheckParamsAndUpdate(const Params& params) {
  for (const auto& [name, value] : params) FUZZ_CHECK(IsValidUtf8(name) && IsValidUtf8(value));
  auto update = ParseUpdateParams(params);
  if (!update.ok()) return;
  FUZZ_CHECK(update->data.HasAnyValue());
  CheckStorableData(update->data);
}

// A parsed bulk request is bounded and every update may be stored.
inline void CheckBulkRequest(const BulkRequest& request) {
  FUZZ_CHECK(!request.updates.empty());
  FUZZ_CHECK(request.updates.size() <= kMaxBulkUpdates);
  FUZZ_CHECK(IsValidUtf8(request.write_api_key));
  for (const BulkUpdate& update : request.updates) {
    // Absolute times may come in any order; all are from 1970 on.
    FUZZ_CHECK(update.created_at.time_since_epoch().count() >= 0);
    FUZZ_CHECK(update.data.HasAnyValue());
    CheckStorableData(update.data);
  }
}

}  // namespace fieldpost::fuzz
