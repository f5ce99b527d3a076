// The zone a read renders its timestamps in and reads its date parameters
// in: ThingSpeak's `timezone` (IANA name) and `offset` (hours) request
// parameters. Named zones come from the system's compiled zone files
// (/usr/share/zoneinfo/NAME, parsed by api/tzif.h); apart from reading
// each once per process, everything here is pure.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "api/form_parser.h"
#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

class Tzif;

// A small value, cheap to copy; default-constructed it is UTC. Const members
// are safe to call from many threads at once.
class TimeZone {
 public:
  TimeZone() = default;

  // `timezone` (a case-sensitive IANA name such as "America/New_York") wins
  // over `offset` (hours east of UTC from -12 to 14, fractions allowed:
  // "5.5", "-3.5", "+1"; rounded to whole minutes; a fixed offset, no DST).
  // An empty parameter counts as absent; spaces, which is what an unencoded
  // '+' decodes to, are read as '+' in `timezone` and ignored around
  // `offset`. An `offset` that is not such a number, or neither parameter:
  // UTC, as ThingSpeak does. The UTC aliases (UTC, Etc/UTC, Zulu, ...) and a
  // zero offset are UTC; other zones are not, even while their offset is
  // zero. InvalidArgument for a non-empty `timezone` that names no zone.
  static Result<TimeZone> FromParams(const Params& params);

  // "2014-02-26T21:27:21Z" in UTC, else "2014-02-26T16:27:21-05:00".
  std::string FormatIso(Timestamp time) const;

  // "2014-02-26 21:27:21 UTC" in UTC, else "2014-02-26 16:27:21 -0500".
  std::string FormatCsv(Timestamp time) const;

  // Reads whatever ParseTimestamp reads ("YYYY-MM-DD HH:NN:SS", ISO 8601).
  // Text that carries its own zone ("Z", " UTC", "+hh:mm", ...) keeps it;
  // text without one is local time in this zone. A local time that a DST
  // change skips or repeats is read with the UTC offset in force just before
  // the change: in New York 2024-03-10 02:30 (skipped) is 07:30Z, i.e.
  // 03:30 EDT, and 2024-11-03 01:30 (repeated) is 05:30Z, the earlier of
  // the two (this is also what Rails' Time.zone.parse does). InvalidArgument
  // for malformed text and for times before 1970-01-01T00:00:00Z.
  Result<Timestamp> ParseLocal(std::string_view text) const;

  bool is_utc() const { return zone_ == nullptr && offset_.count() == 0; }

 private:
  std::chrono::seconds OffsetAt(Timestamp time) const;

  const Tzif* zone_ = nullptr;  // owned by the process-wide zone cache; null: offset_
  std::chrono::seconds offset_{0};
};

}  // namespace fieldpost
