// Fuzzes the list-read parameters (and with them time zones and dates):
// whatever parses must describe a bounded query.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/feed_query.h"
#include "api/form_parser.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto params = fieldpost::ParseFormEncoded(input);
  if (!params.ok()) return 0;
  const fieldpost::Timestamp now{std::chrono::seconds(1'700'000'000)};
  auto query = fieldpost::ParseFeedQuery(*params, now, 100, 8000);
  if (!query.ok()) return 0;
  FUZZ_CHECK(query->results <= 8000);
  FUZZ_CHECK(query->start.has_value() == query->end.has_value());
  for (char c : query->callback) FUZZ_CHECK(c != '(' && c != ')' && c != '<' && c != ';');
  // Rendering a time in the chosen zone must not throw or crash.
  FUZZ_CHECK(!query->zone.FormatIso(now).empty());
  FUZZ_CHECK(!query->zone.FormatCsv(now).empty());
  return 0;
}
