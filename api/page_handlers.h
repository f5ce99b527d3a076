// Handlers of the web pages: "/" lists the public channels, "/channels/ID"
// (no extension, as on ThingSpeak, asked for by a browser) is a channel's
// live page, and
// "/channels/assets/NAME" serves the pages' embedded script, styles and
// charting library. Pages read the same API as any client, with the same
// access rules: a private channel's page needs one of its keys.
#pragma once

#include "api/api_context.h"
#include "api/request.h"

namespace fieldpost {

Response HandleHomePage(const ApiContext& context, const RouteParams& route);
Response HandleChannelPage(const ApiContext& context, const RouteParams& route);
Response HandleWebAsset(const ApiContext& context, const RouteParams& route);

}  // namespace fieldpost
