#include "api/health_handlers.h"

#include "api/content_types.h"
#include "api/json_render.h"

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
  response.body = RenderHealthJson(failure.ok() ? "" : failure.message());
  return response;
}

}  // namespace fieldpost
