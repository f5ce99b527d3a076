// Fuzzes the bulk_update.json body parser.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "module/bulk_parser.h"
#include "module/utf8.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/value_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const fieldpost::Timestamp now{std::chrono::seconds{1700000000}};
  auto request = fieldpost::ParseBulkJson(input, now);
  if (!request.ok()) {
    FUZZ_CHECK(request.status().code() != fieldpost::StatusCode::kOk);
    return 0;
  }
  FUZZ_CHECK(!request->updates.empty());
  FUZZ_CHECK(request->updates.size() <= fieldpost::kMaxBulkUpdates);
  FUZZ_CHECK(fieldpost::IsValidUtf8(request->write_api_key));
  for (const fieldpost::BulkUpdate& update : request->updates) {
    // Absolute times may come in any order; all are from 1970 on.
    FUZZ_CHECK(update.created_at.time_since_epoch().count() >= 0);
    FUZZ_CHECK(update.data.HasAnyValue());
    fieldpost::fuzz::CheckStorableData(update.data);
  }
  return 0;
}
