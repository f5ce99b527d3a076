// Fuzzes TZif parsing; a zone that parses must answer every lookup, at any
// instant, with an offset under 26 h, and read each local time it produces
// back as the same instant or an earlier one with that local time.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "api/tzif.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

constexpr std::int64_t kMaxOffset = 26 * 3600;

bool IsOffset(std::chrono::seconds offset) {
  return offset.count() > -kMaxOffset && offset.count() < kMaxOffset;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto zone = fieldpost::Tzif::Parse(input);
  if (!zone.ok()) {
    FUZZ_CHECK(!zone.status().message().empty());
    return 0;
  }
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  // Fixed instants, plus the input's own 32- and 64-bit words: where a file
  // holds its transition times, those are the instants that matter.
  std::vector<std::int64_t> times = {kMin,
                                     -(std::int64_t{1} << 40),
                                     -1,
                                     0,
                                     1710054000,  // 2024-03-10T07:00:00Z
                                     std::int64_t{1} << 31,
                                     253402300800,  // 10000-01-01
                                     std::int64_t{1} << 40,
                                     kMax};
  for (std::size_t at = 0; at + 8 <= size && times.size() < 200; at += 4) {
    std::uint64_t word = 0;
    for (std::size_t i = 0; i < 8; ++i) word = word << 8 | data[at + i];
    times.push_back(static_cast<std::int64_t>(word));
    times.push_back(static_cast<std::int32_t>(word >> 32));
  }
  for (std::int64_t base : times) {
    for (std::int64_t delta : {-1, 0, 1}) {
      if ((base == kMin && delta < 0) || (base == kMax && delta > 0)) continue;
      const std::int64_t time = base + delta;
      const std::chrono::seconds offset =
          zone->OffsetAt(std::chrono::sys_seconds{std::chrono::seconds{time}});
      FUZZ_CHECK(IsOffset(offset));
      const std::chrono::seconds local_offset =
          zone->LocalOffset(std::chrono::local_seconds{std::chrono::seconds{time}});
      FUZZ_CHECK(IsOffset(local_offset));
      // Round trip, away from the ends of the range where it would overflow.
      constexpr std::int64_t kLimit = std::int64_t{1} << 61;
      if (time < -kLimit || time > kLimit) continue;
      const std::chrono::seconds local{time + offset.count()};
      const std::chrono::seconds back = zone->LocalOffset(std::chrono::local_seconds{local});
      const std::chrono::sys_seconds read{local - back};
      FUZZ_CHECK(read.time_since_epoch().count() <= time);
      FUZZ_CHECK(zone->OffsetAt(read) == back);
    }
  }
  return 0;
}
