// Fuzzes query/form decoding and the /update parameter parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/form_parser.h"
#include "api/update_parser.h"
#include "core/utf8.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/value_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto params = fieldpost::ParseFormEncoded(input);
  if (!params.ok()) return 0;
  fieldpost::fuzz::CheckParamsAndUpdate(*params);
  return 0;
}
