// Channel management with a user API key (ThingSpeak section 4): list,
// create, view, update, clear the feed, delete. A bad or missing user key
// is 401 with an error object.
#pragma once

#include "api/api_context.h"
#include "api/request.h"

namespace fieldpost {

Response HandleListChannels(const ApiContext& context, const RouteParams& route);
Response HandleCreateChannel(const ApiContext& context, const RouteParams& route);
Response HandleViewChannel(const ApiContext& context, const RouteParams& route);
Response HandleUpdateChannel(const ApiContext& context, const RouteParams& route);
Response HandleClearChannel(const ApiContext& context, const RouteParams& route);
Response HandleDeleteChannel(const ApiContext& context, const RouteParams& route);

}  // namespace fieldpost
