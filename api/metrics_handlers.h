// GET /metrics: Prometheus's text format, when the configuration turns
// metrics on (metrics = true); otherwise the path is unknown, as before.
// Not a ThingSpeak endpoint; it needs no key, so keep it local (docs/operations.md, "Metrics").
#pragma once

#include "api/api_context.h"
#include "api/request.h"

namespace fieldpost {

Response HandleMetrics(const ApiContext& context, const RouteParams& route);

}  // namespace fieldpost
