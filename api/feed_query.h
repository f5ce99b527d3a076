// The query parameters of ThingSpeak's list reads (feeds, fields/N, status;
// spec section 3.2) turned into one value: which entries, in which window,
// how to filter, aggregate and render them. Pure: the caller passes `now`.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "api/form_parser.h"
#include "api/time_zone.h"
#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

enum class Aggregation { kNone, kTimescale, kSum, kAverage, kMedian };

struct FeedQuery {
  // At most this many entries, the newest by created_at; never above the
  // caller's max_results.
  std::size_t results = 100;
  bool results_given = false;
  // Inclusive window in UTC; both absent when there is no time window, both
  // present otherwise.
  std::optional<Timestamp> start, end;
  std::optional<EntryId> start_entry_id, end_entry_id;  // inclusive
  bool status = false, location = false, metadata = false;
  std::optional<double> min, max;
  std::optional<int> round;  // decimals, 0..kMaxRoundDecimals
  Aggregation aggregation = Aggregation::kNone;
  int bucket_minutes = 0;  // set with aggregation: 10, 15, 20, 30, 60, 240, 720 or 1440
  std::string callback;    // empty: no JSONP
  std::string prepend, append;
  TimeZone zone;
};

inline constexpr int kMaxRoundDecimals = 30;

// Reads the list parameters; other names are ignored, and so is a parameter
// given with an empty value (Rails' `present?`). Where a name repeats the
// first value counts.
//
//  results=N         the newest N, capped at max_results. It lifts the
//                    default 24-hour window and the 30-day cap; an explicit
//                    days/minutes/start/end window still applies (Rails'
//                    get_date_range does the same).
//  days=N, minutes=N window now-N days / now-N minutes ... end (or now).
//                    Precedence for the window's start: start, then days,
//                    then minutes.
//  start=, end=      dates in the request zone (TimeZone::ParseLocal);
//                    start alone ends now; end alone starts 30 days before
//                    end, or at the epoch when results is given.
//  30-day cap        unless results, start or days is given, a window longer
//                    than 30 days becomes the 30 days before its end
//                    (applies to minutes= and end=).
//  default           none of results, days, minutes, start, end,
//                    start_entry_id, end_entry_id: the window now-24h ... now
//                    and `default_results` entries. Any of days, minutes,
//                    start, end or an entry-id bound without results:
//                    max_results entries (Rails' calculate_limit).
//  start_entry_id, end_entry_id  inclusive entry-id bounds.
//  status, location, metadata    "true" in any letter case enables.
//  min, max          decimal numbers ("-5", "2.5", "1,5", "1e3").
//  round             integer 0..kMaxRoundDecimals; negative is rejected.
//  timescale, sum, average, median  exactly one of "10", "15", "20", "30",
//                    "60", "240", "720", "1440" or "daily" (= 1440); any
//                    other value is ignored. When several are valid the
//                    first of timescale, sum, average, median wins (Rails'
//                    calculate_feeds order).
//  callback          a JavaScript identifier path [A-Za-z_$][A-Za-z0-9_$.]*.
//  prepend, append   any text.
//  timezone, offset  TimeZone::FromParams (an unknown timezone is refused).
//
// Counts (results, days, minutes, entry ids) are unsigned decimal digits;
// values too large saturate. InvalidArgument, naming the parameter, for a
// malformed number, date, round or callback.
Result<FeedQuery> ParseFeedQuery(const Params& params, Timestamp now, std::size_t default_results,
                                 std::size_t max_results);

// Only what a read of one entry takes (feeds/last, fields/N/last, an entry
// by id): timezone/offset, round, status, location, callback, prepend and
// append, as above; list parameters are not read, so they cannot fail it.
Result<FeedQuery> ParseEntryQuery(const Params& params);

}  // namespace fieldpost
