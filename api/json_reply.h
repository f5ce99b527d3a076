// The replies of the JSON-only endpoints (the channel API and the public
// directory): one place that says how they answer and what they refuse.
#pragma once

#include <string>

#include "api/api_context.h"
#include "api/request.h"
#include "core/status.h"

namespace fieldpost {

// A 200 with `body` as application/json.
Response JsonReply(std::string body);
// ThingSpeak's error object for `status`, as JSON.
Response JsonErrorReply(const Status& status);
// Whether the path asks for JSON: no extension, or .json.
bool AsksForJson(const RouteParams& route);

}  // namespace fieldpost
