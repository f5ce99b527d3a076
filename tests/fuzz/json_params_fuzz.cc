// Fuzzes JSON object bodies read as /update parameters.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/json_params.h"
#include "api/update_parser.h"
#include "core/utf8.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/value_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto params = fieldpost::ParseJsonObjectParams(input);
  if (!params.ok()) return 0;
  fieldpost::fuzz::CheckParamsAndUpdate(*params);
  return 0;
}
