// Fuzzes the bulk_update.csv form: form decoding, then the bulk parser.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/bulk_parser.h"
#include "api/form_parser.h"
#include "core/utf8.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/value_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const fieldpost::Timestamp now{std::chrono::seconds{1700000000}};
  auto params = fieldpost::ParseFormEncoded(input);
  if (!params.ok()) return 0;
  auto request = fieldpost::ParseBulkCsv(*params, now);
  if (!request.ok()) return 0;
  fieldpost::fuzz::CheckBulkRequest(*request);
  const std::string* format = fieldpost::FindParam(*params, "time_format");
  if (format != nullptr && *format == "relative") {
    // Counted back from now: the last entry is now, each earlier one no later.
    FUZZ_CHECK(request->updates.back().created_at == now);
    for (std::size_t i = 1; i < request->updates.size(); ++i) {
      FUZZ_CHECK(request->updates[i - 1].created_at <= request->updates[i].created_at);
    }
  }
  return 0;
}
