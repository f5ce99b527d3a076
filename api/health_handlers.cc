#include "api/health_handlers.h"

#include "api/content_types.h"
#include "api/http_errors.h"
#include "api/json_render.h"
#include "core/log.h"

namespace fieldpost {

Response HandleHealth(const ApiContext& context, const RouteParams&) {
  Response response;
  response.content_type = kJsonType;
  // A monitor polls: its answer must say the state now, not a cache's.
  response.headers.emplace_back("Cache-Control", "no-store");
  auto snapshot = context.store.OpenSnapshot();
  // A read through the same path every request takes.
  Status failure = snapshot.ok() ? (*snapshot)->FindChannelRecord(1).status() : snapshot.status();
  response.status = failure.ok() ? 200 : 503;
  if (!failure.ok()) LogWarning("/health answered 503: " + failure.message());
  response.body = RenderHealthJson(failure.ok() ? "" : ClientReason(failure));
  return response;
}

}  // namespace fieldpost
