// Handlers of the read endpoints: a field's last value, the last entry, and
// the feed of a channel. Private channels need a key of the channel or the
// owner's user key; without it the body is ThingSpeak's "-1".
#pragma once

#include "module/api_context.h"
#include "module/request.h"

namespace fieldpost {

Response HandleLastFieldValue(const ApiContext& context, const RouteParams& route);
Response HandleLastEntry(const ApiContext& context, const RouteParams& route);
Response HandleFeeds(const ApiContext& context, const RouteParams& route);

}  // namespace fieldpost
