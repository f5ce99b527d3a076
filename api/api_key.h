// Where a request's API key comes from, in ThingSpeak's order.
#pragma once

#include <string>

#include "api/form_parser.h"
#include "api/request.h"

namespace fieldpost {

// The first of: a header whose name contains "thingspeakapikey"
// (X-THINGSPEAKAPIKEY, THINGSPEAKAPIKEY), then the parameters key, api_key,
// apikey. Empty if none. Not trimmed: ThingSpeak does not trim either.
std::string FindApiKey(const Request& request, const Params& params);

}  // namespace fieldpost
