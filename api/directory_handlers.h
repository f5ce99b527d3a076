// What anyone may look up without a channel's key (ThingSpeak's public
// directory, which the npm thingspeakclient and the Python thingspeak
// package call): the public channels, a user's profile and a user's
// channels. JSON only.
#pragma once

#include "api/api_context.h"
#include "api/request.h"

namespace fieldpost {

// GET /channels/public.json[?page=N][&tag=T][&username=U]: the public
// channels, 15 a page in id order, with ThingSpeak's pagination object.
Response HandlePublicChannels(const ApiContext& context, const RouteParams& route);

// GET /users/NAME.json: the user's name and creation time; 404 if none.
Response HandleUserProfile(const ApiContext& context, const RouteParams& route);

// GET /users/NAME/channels.json: the user's public channels; with that
// user's own API key, all of them as their owner sees them.
Response HandleUserChannels(const ApiContext& context, const RouteParams& route);

}  // namespace fieldpost
