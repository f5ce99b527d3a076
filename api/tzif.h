// One time zone as compiled into a TZif file (RFC 8536), the format of the
// files under /usr/share/zoneinfo: the UTC offset in force at any instant,
// and the offset that reads a local time as UTC. Parsing is pure (bytes in,
// no I/O, never crashes on any input) and fuzzed; finding and reading the
// file is api/time_zone.cc's business.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace fieldpost {

// Immutable once parsed: const members are safe to call from many threads at
// once. Offsets are seconds east of UTC, always within (-25 h, 26 h).
class Tzif {
 public:
  // Parses a whole TZif file: version 1 (32-bit data), or version 2 and later
  // (the 64-bit data block, and the footer's POSIX TZ string, such as
  // "EST5EDT,M3.2.0,M11.1.0", that gives the rules after the last
  // transition; zic leaves out transitions the footer implies). Leap-second
  // records are skipped, not applied: only the "right/" zones have them.
  // InvalidArgument for truncated or inconsistent data, offsets outside
  // (-25 h, 26 h), and a footer that is not a POSIX TZ string with RFC 8536's
  // extensions.
  static Result<Tzif> Parse(std::string_view bytes);

  // The offset in force at `time`: before the first transition, local time
  // type 0; from the last one on, the footer's rules (or, without a footer,
  // the last transition's offset). The footer's rules are applied to the
  // years 1..9999; before and after them the nearest of those years' offsets
  // holds.
  std::chrono::seconds OffsetAt(std::chrono::sys_seconds time) const;

  // The offset that reads `time` as UTC (UTC = time - offset): the offset of
  // the earliest instant that is `time` here. A local time that a change
  // skips (a gap) or repeats (an overlap) is read with the offset in force
  // just before the change.
  std::chrono::seconds LocalOffset(std::chrono::local_seconds time) const;

 private:
  // When a footer rule's change happens: a day of the year and a time of day
  // in the local time in force before the change.
  struct Rule {
    enum Kind { kJulian1, kJulian0, kMonthWeekDay };
    Kind kind = kMonthWeekDay;
    int day = 0;  // Jn: 1..365 (Feb 29 not counted); n: 0..365; Mm.w.d: d, 0 (Sunday)..6
    int month = 0, week = 0;   // Mm.w.d: 1..12, 1..5 (5: the last)
    std::int32_t time = 7200;  // seconds from local midnight, within +-167 h
  };
  struct Footer {
    std::int32_t std_offset = 0, dst_offset = 0;
    std::optional<Rule> start, end;  // both present when the zone has DST
  };
  // A stretch of time [begin, end) with one offset; the ends of time are the
  // int64 limits.
  struct Period {
    std::int64_t begin, end;
    std::int32_t offset;
  };
  friend class TzifParser;

  Period PeriodAt(std::int64_t time) const;
  Period FooterPeriodAt(std::int64_t time) const;
  // The instant `rule`'s change happens in `year`.
  static std::int64_t ChangeAt(const Rule& rule, int year, std::int32_t offset_before);

  std::vector<std::int64_t> times_;    // transitions, strictly increasing
  std::vector<std::int32_t> offsets_;  // offsets_[i] holds from times_[i]
  std::int32_t initial_offset_ = 0;    // local time type 0
  std::optional<Footer> footer_;
};

}  // namespace fieldpost
