// Turns the two update forms into validated entry data: ThingSpeak's
// /update parameters, and the seed's path-style
// /update/API_key=KEY/mac=STATION/field=N/data=VALUE. Pure, fuzzed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/form_parser.h"
#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

struct ParsedUpdate {
  std::optional<Timestamp> created_at;
  EntryData data;
};

// Reads field1..field8, lat|latitude, long|longitude, elevation, status and
// created_at (in the zone timezone= or offset= names, UTC by default);
// other names are ignored (clients send headers=false, field9,
// ...). InvalidArgument if no data value is present or a value is invalid,
// or if created_at is given with a timezone= that names no zone.
Result<ParsedUpdate> ParseUpdateParams(const Params& params);

struct PathUpdate {
  std::string api_key;
  std::string station;  // empty when the path has no mac= segment
  int field = 0;        // 1..8
  std::string value;
};

// Parses the part of the path after "/update/" (still percent-encoded).
// Segment names are case-insensitive and may come in any order; api_key,
// field and data are required, mac is optional.
Result<PathUpdate> ParsePathUpdate(std::string_view segments);

// Validates one value as stored: strips one trailing line break (ThingSpeak
// does, and Arduino library 1.x appends one), then requires at most 255
// bytes and no control characters. `name` is used in the error message.
Status CleanValue(std::string_view name, std::string& value);

// CleanValue, then a plain decimal ([+-]digits[.digits]) within
// [-limit, limit]: the rule for latitude (90) and longitude (180).
Status CleanCoordinate(std::string_view name, std::string& value, double limit);

}  // namespace fieldpost
