// Fuzzes the seed's path-style update: /update/API_key=…/mac=…/field=N/data=….
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/update_parser.h"
#include "core/utf8.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto update = fieldpost::ParsePathUpdate(input);
  if (!update.ok()) return 0;
  FUZZ_CHECK(update->field >= 1 && update->field <= fieldpost::kFieldCount);
  FUZZ_CHECK(update->value.size() <= fieldpost::kMaxValueBytes);
  FUZZ_CHECK(fieldpost::IsValidUtf8(update->value));
  FUZZ_CHECK(update->station.size() <= 64);
  return 0;
}
