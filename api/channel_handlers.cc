#include "api/channel_handlers.h"

#include "api/access_rules.h"
#include "api/api_key.h"
#include "api/channel_settings_parser.h"
#include "api/content_types.h"
#include "api/json_render.h"
#include "api/json_reply.h"

namespace fieldpost {
namespace {

// The key the request carries, looked up; empty when it names nothing.
Result<std::optional<KeyOwner>> RequestKey(const ApiContext& context, StoreSnapshot& snapshot) {
  const std::string key = FindApiKey(context.request, context.params);
  if (key.empty()) return std::optional<KeyOwner>();
  return snapshot.FindKey(key);
}

// The user whose API key the request carries; Unauthorized (401) otherwise.
Result<std::string> RequestUser(const ApiContext& context, StoreSnapshot& snapshot) {
  const std::string key = FindApiKey(context.request, context.params);
  if (key.empty()) return KeyUser(false, std::nullopt);
  auto owner = snapshot.FindKey(key);
  if (!owner.ok()) return owner.status();
  return KeyUser(true, *owner);
}

// The channel if it exists and belongs to the request's user.
Result<Channel> OwnedChannel(const ApiContext& context, ChannelId id) {
  auto snapshot = context.store.OpenSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  auto channel = (*snapshot)->FindChannel(id);
  if (!channel.ok()) return channel.status();
  if (!channel->has_value()) return NotFound("channel " + std::to_string(id) + " not found");
  auto user = RequestUser(context, **snapshot);
  if (!user.ok()) return user.status();
  if ((*channel)->owner != *user) return Unauthorized("the channel belongs to another user");
  return std::move(**channel);
}

}  // namespace

Response HandleListChannels(const ApiContext& context, const RouteParams& route) {
  if (!AsksForJson(route)) return JsonErrorReply(NotFound("channels are listed as JSON"));
  auto snapshot = context.store.OpenSnapshot();
  if (!snapshot.ok()) return JsonErrorReply(snapshot.status());
  auto user = RequestUser(context, **snapshot);
  if (!user.ok()) return JsonErrorReply(user.status());
  auto channels = (*snapshot)->ListChannels();
  if (!channels.ok()) return JsonErrorReply(channels.status());
  std::erase_if(*channels, [&](const Channel& channel) { return channel.owner != *user; });
  return JsonReply(RenderChannelListJson(*channels));
}

Response HandleCreateChannel(const ApiContext& context, const RouteParams& route) {
  if (!AsksForJson(route)) return JsonErrorReply(NotFound("channels are created as JSON"));
  std::string user;
  {
    auto snapshot = context.store.OpenSnapshot();
    if (!snapshot.ok()) return JsonErrorReply(snapshot.status());
    auto found = RequestUser(context, **snapshot);
    if (!found.ok()) return JsonErrorReply(found.status());
    user = *found;
  }  // no snapshot may be held while writing
  NewChannel request;
  if (Status s = ApplyChannelSettings(context.params, request); !s.ok()) return JsonErrorReply(s);
  request.owner = user;
  auto channel = context.store.CreateChannel(request);
  if (!channel.ok()) return JsonErrorReply(channel.status());
  return JsonReply(RenderChannelJson(*channel, true));
}

Response HandleViewChannel(const ApiContext& context, const RouteParams& route) {
  if (!AsksForJson(route)) return JsonErrorReply(NotFound("channels are shown as JSON"));
  auto snapshot = context.store.OpenSnapshot();
  if (!snapshot.ok()) return JsonErrorReply(snapshot.status());
  auto channel = (*snapshot)->FindChannel(route.channel);
  if (!channel.ok()) return JsonErrorReply(channel.status());
  if (!channel->has_value()) return JsonErrorReply(NotFound("channel not found"));
  auto key = RequestKey(context, **snapshot);
  if (!key.ok()) return JsonErrorReply(key.status());
  if (!MayView(**channel, *key)) return JsonErrorReply(Unauthorized("the channel is private"));
  Response response = JsonReply(RenderChannelJson(**channel, IsOwner(**channel, *key)));
  // Without an extension, browsers get the channel's page instead.
  if (route.format == Format::kNone) response.headers.emplace_back("Vary", "Accept");
  return response;
}

Response HandleUpdateChannel(const ApiContext& context, const RouteParams& route) {
  if (!AsksForJson(route)) return JsonErrorReply(NotFound("channels are updated as JSON"));
  auto channel = OwnedChannel(context, route.channel);
  if (!channel.ok()) return JsonErrorReply(channel.status());
  // Applied to the settings as stored when the write commits, so two
  // updates of different settings both take effect.
  auto updated = context.store.UpdateChannel(route.channel, [&](ChannelSettings& settings) {
    return ApplyChannelSettings(context.params, settings);
  });
  if (!updated.ok()) return JsonErrorReply(updated.status());
  return JsonReply(RenderChannelJson(*updated, true));
}

Response HandleClearChannel(const ApiContext& context, const RouteParams& route) {
  if (route.format == Format::kCsv || route.format == Format::kText) {
    return JsonErrorReply(NotFound("a feed is cleared as JSON or XML"));
  }
  auto channel = OwnedChannel(context, route.channel);
  if (!channel.ok()) return JsonErrorReply(channel.status());
  if (Status s = context.store.ClearChannel(route.channel); !s.ok()) return JsonErrorReply(s);
  // ThingSpeak answers an empty list: [] or Rails' empty XML array.
  if (route.format == Format::kXml) {
    Response response;
    response.content_type = kXmlType;
    response.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<nil-classes type=\"array\"/>";
    return response;
  }
  return JsonReply("[]");
}

Response HandleDeleteChannel(const ApiContext& context, const RouteParams& route) {
  if (!AsksForJson(route)) return JsonErrorReply(NotFound("channels are deleted as JSON"));
  auto channel = OwnedChannel(context, route.channel);
  if (!channel.ok()) return JsonErrorReply(channel.status());
  auto deleted = context.store.DeleteChannel(route.channel);
  if (!deleted.ok()) return JsonErrorReply(deleted.status());
  return JsonReply(RenderChannelJson(*deleted, true));
}

}  // namespace fieldpost
