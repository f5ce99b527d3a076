// GET /health, for load balancers and monitoring: whether this process's
// store answers. Not a ThingSpeak endpoint; it needs no key.
#pragma once

#include "api/api_context.h"
#include "api/request.h"

namespace fieldpost {

// 200 {"status":"ok"} when a snapshot opens and reads; 503
// {"status":"unavailable","reason":...} when it does not.
Response HandleHealth(const ApiContext& context, const RouteParams& route);

}  // namespace fieldpost
