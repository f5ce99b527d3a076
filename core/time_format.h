// Timestamps in and out: the date forms ThingSpeak clients send and the
// ISO 8601 form the API renders. Pure functions, fuzzed.
#pragma once

#include <string>
#include <string_view>

#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

// Parses "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS", with optional
// fractional seconds (dropped) and an optional zone: "Z", " UTC", "+hh",
// "+hhmm" or "+hh:mm" (or '-'). Without a zone the time is UTC. Years
// 1970..9999 only. InvalidArgument otherwise.
Result<Timestamp> ParseTimestamp(std::string_view text);

// "2014-02-26T21:27:21Z".
std::string FormatIso8601(Timestamp time);

}  // namespace fieldpost
