// Parses the two bulk-update bodies into validated entries: the JSON body of
// POST /channels/ID/bulk_update.json and the form parameters of
// POST /channels/ID/bulk_update.csv. Every value is checked the way /update
// checks it (CleanValue, coordinate ranges). A request is all or nothing: any
// invalid update fails the whole parse. Pure functions, fuzzed (tests/fuzz).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "api/form_parser.h"
#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

// ThingSpeak's limit for paid accounts; more is kPayloadTooLarge.
inline constexpr std::size_t kMaxBulkUpdates = 14400;

// One update with its time resolved: exactly what the store takes.
using BulkUpdate = BulkEntry;

struct BulkRequest {
  std::string write_api_key;        // empty when the body names no key
  std::vector<BulkUpdate> updates;  // in request order, never empty
  bool times_computed = false;      // anchored at `now` from delta_t / relative times
};

// Parses {"write_api_key":"KEY","updates":[{...},...]} (the key may also be
// named "api_key"). Each update carries either created_at (a date
// ParseTimestamp accepts, or epoch seconds as a number or digit string) or
// delta_t (non-negative integer seconds since the previous update), the
// same one in every update. With delta_t the last update gets `now` and
// earlier ones are counted back from it. field1..field8, latitude,
// longitude, elevation and status may be strings, numbers (kept as their
// source text, "21.50" stays "21.50"), booleans or null (absent); other
// members are ignored. Each update needs at least one value.
// Errors: InvalidArgument naming the problem and the update index
// ("updates[3].field2 ..."); kPayloadTooLarge for more than
// kMaxBulkUpdates updates; kInvalidEncoding for bytes that are not UTF-8.
Result<BulkRequest> ParseBulkJson(std::string_view body, Timestamp now);

// Reads write_api_key (or api_key), time_format (absolute, the default, or
// relative) and updates: entries separated by '|', each
// "T,field1,...,field8,latitude,longitude,elevation,status" with empty or
// omitted trailing positions meaning absent. T is a date or epoch seconds
// (absolute) or seconds since the previous entry (relative, anchored like
// delta_t above). One trailing '|' is tolerated. Same checks and errors as
// ParseBulkJson.
Result<BulkRequest> ParseBulkCsv(const Params& params, Timestamp now);

}  // namespace fieldpost
