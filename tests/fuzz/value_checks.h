// The invariant every value that may reach storage must hold, for the
// drivers of parsers that produce entry data.
#pragma once

#include <optional>
#include <string>

#include "module/model.h"
#include "module/utf8.h"
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

}  // namespace fieldpost::fuzz
