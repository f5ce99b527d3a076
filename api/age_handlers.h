// How long ago a channel, or one of its fields, was last written
// (ThingSpeak's "Read Last Entry Age" and "Read Last Field Entry Age"):
// feeds/last_data_age and fields/N/last_data_age, in JSON (also without an
// extension), XML, CSV or text. Access as for the other reads.
#pragma once

#include "api/api_context.h"
#include "api/request.h"

namespace fieldpost {

// Seconds since the newest entry's created_at (0 for one in the future).
// No entry yet: ThingSpeak's "-1", as the last-value reads answer.
Response HandleLastDataAge(const ApiContext& context, const RouteParams& route);

// The same for the newest entry whose field N holds a value.
Response HandleFieldLastDataAge(const ApiContext& context, const RouteParams& route);

}  // namespace fieldpost
