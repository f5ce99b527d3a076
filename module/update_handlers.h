// Handlers of the write endpoints: ThingSpeak's /update[.json|.xml] and the
// seed's path-style /update/API_key=…/mac=…/field=N/data=….
#pragma once

#include "module/api_context.h"
#include "module/request.h"

namespace fieldpost {

Response HandleUpdate(const ApiContext& context, const RouteParams& route);
Response HandlePathUpdate(const ApiContext& context, const RouteParams& route);

}  // namespace fieldpost
