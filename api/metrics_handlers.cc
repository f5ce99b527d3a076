#include "api/metrics_handlers.h"

#include "api/http_errors.h"
#include "api/metrics_render.h"
#include "api/router.h"

namespace fieldpost {

Response HandleMetrics(const ApiContext& context, const RouteParams& route) {
  MetricsCounters* counters = context.store.metrics();
  if (counters == nullptr) {
    // What any unknown path answers: metrics off must not show it exists.
    return ErrorResponse(NotFound("no such endpoint"), route.format, ErrorStyle::kErrorObject);
  }
  auto stats = context.store.Stats();
  if (!stats.ok()) return ErrorResponse(stats.status(), route.format, ErrorStyle::kErrorObject);
  Response response;
  response.content_type = kPrometheusType;
  response.headers.emplace_back("Cache-Control", "no-store");
  response.body = RenderMetrics(*counters, RouteLabels(), *stats);
  return response;
}

}  // namespace fieldpost
