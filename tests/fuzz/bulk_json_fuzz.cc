// Fuzzes the bulk_update.json body parser.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/bulk_parser.h"
#include "core/utf8.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/value_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const fieldpost::Timestamp now{std::chrono::seconds{1700000000}};
  auto request = fieldpost::ParseBulkJson(input, now);
  if (!request.ok()) return 0;
  fieldpost::fuzz::CheckBulkRequest(*request);
  return 0;
}
