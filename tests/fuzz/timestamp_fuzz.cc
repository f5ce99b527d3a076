// Fuzzes date parsing; whatever parses must format and parse back unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/time_format.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto time = fieldpost::ParseTimestamp(input);
  if (!time.ok()) return 0;
  FUZZ_CHECK(time->time_since_epoch().count() >= 0);
  auto again = fieldpost::ParseTimestamp(fieldpost::FormatIso8601(*time));
  FUZZ_CHECK(again.ok() && *again == *time);
  return 0;
}
