// Handlers of the read endpoints (ThingSpeak section 3): channel feeds, a
// field's feed, status updates, single entries and a field's last value, in
// JSON, XML, CSV and text. Private channels need a key of the channel or
// the owner's user key; without it the body is ThingSpeak's "-1".
#pragma once

#include "api/api_context.h"
#include "api/request.h"

namespace fieldpost {

// feeds, fields/N and status lists, with every list parameter.
Response HandleFeed(const ApiContext& context, const RouteParams& route);
Response HandleFieldFeed(const ApiContext& context, const RouteParams& route);
Response HandleStatusFeed(const ApiContext& context, const RouteParams& route);

// Single entries: feeds/last, feeds/ENTRY, fields/N/last, fields/N/ENTRY.
Response HandleLastEntry(const ApiContext& context, const RouteParams& route);
Response HandleEntry(const ApiContext& context, const RouteParams& route);
Response HandleLastFieldValue(const ApiContext& context, const RouteParams& route);
Response HandleFieldEntry(const ApiContext& context, const RouteParams& route);

}  // namespace fieldpost
