// Handlers of the write endpoints: ThingSpeak's /update[.json|.xml] and the
// seed's path-style /update/API_key=…/mac=…/field=N/data=….
#pragma once

#include "api/api_context.h"
#include "api/request.h"

namespace fieldpost {

// Both reply once the write is committed (or at once when it is refused
// before it reaches storage).
void HandleUpdate(const ApiContext& context, const RouteParams& route, const Reply& reply);
void HandlePathUpdate(const ApiContext& context, const RouteParams& route, const Reply& reply);

}  // namespace fieldpost
