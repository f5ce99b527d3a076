#include "api/directory_handlers.h"

#include <algorithm>
#include <charconv>

#include "api/access_rules.h"
#include "api/api_key.h"
#include "api/form_parser.h"
#include "api/json_render.h"
#include "api/json_reply.h"

namespace fieldpost {
namespace {

// ThingSpeak's page size for the public directory.
constexpr std::size_t kPerPage = 15;

// page=N, 1 when absent; InvalidArgument unless a whole number from 1.
Result<std::size_t> PageNumber(const Params& params) {
  const std::string* text = FindParam(params, "page");
  if (text == nullptr || text->empty()) return std::size_t{1};
  std::size_t page = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), page);
  if (ec != std::errc() || end != text->data() + text->size() || page == 0) {
    return InvalidArgument("page must be a whole number from 1");
  }
  return page;
}

bool HasTag(const Channel& channel, std::string_view wanted) {
  const auto tags = ChannelTags(channel);
  return std::find(tags.begin(), tags.end(), wanted) != tags.end();
}

}  // namespace

Response HandlePublicChannels(const ApiContext& context, const RouteParams& route) {
  if (!AsksForJson(route)) return JsonErrorReply(NotFound("public channels are listed as JSON"));
  auto page = PageNumber(context.params);
  if (!page.ok()) return JsonErrorReply(page.status());
  const std::string* tag = FindParam(context.params, "tag");
  const std::string* username = FindParam(context.params, "username");
  auto snapshot = context.store.OpenSnapshot();
  if (!snapshot.ok()) return JsonErrorReply(snapshot.status());
  auto channels = (*snapshot)->ListChannels();
  if (!channels.ok()) return JsonErrorReply(channels.status());
  std::erase_if(*channels, [&](const Channel& channel) {
    return !channel.is_public || (tag != nullptr && !tag->empty() && !HasTag(channel, *tag)) ||
           (username != nullptr && !username->empty() && channel.owner != *username);
  });
  const std::size_t total = channels->size();
  const std::size_t first = std::min(total, (*page - 1) * kPerPage);
  const std::size_t last = std::min(total, first + kPerPage);
  const std::vector<Channel> shown(channels->begin() + first, channels->begin() + last);
  return JsonReply(RenderPublicChannelsJson(shown, *page, kPerPage, total));
}

Response HandleUserProfile(const ApiContext& context, const RouteParams& route) {
  if (!AsksForJson(route)) return JsonErrorReply(NotFound("users are shown as JSON"));
  auto snapshot = context.store.OpenSnapshot();
  if (!snapshot.ok()) return JsonErrorReply(snapshot.status());
  auto user = (*snapshot)->FindUser(route.user);
  if (!user.ok()) return JsonErrorReply(user.status());
  if (!user->has_value()) return JsonErrorReply(NotFound("no user " + std::string(route.user)));
  return JsonReply(RenderUserJson(**user));
}

Response HandleUserChannels(const ApiContext& context, const RouteParams& route) {
  if (!AsksForJson(route)) return JsonErrorReply(NotFound("a user's channels are listed as JSON"));
  auto snapshot = context.store.OpenSnapshot();
  if (!snapshot.ok()) return JsonErrorReply(snapshot.status());
  auto user = (*snapshot)->FindUser(route.user);
  if (!user.ok()) return JsonErrorReply(user.status());
  if (!user->has_value()) return JsonErrorReply(NotFound("no user " + std::string(route.user)));
  // The user's own key shows every channel of theirs; any other key, or
  // none, only the public ones (a wrong key is not an error here).
  const std::string key = FindApiKey(context.request, context.params);
  auto owner =
      key.empty() ? Result<std::optional<KeyOwner>>(std::nullopt) : (*snapshot)->FindKey(key);
  if (!owner.ok()) return JsonErrorReply(owner.status());
  const auto key_user = KeyUser(!key.empty(), *owner);
  const bool own = key_user.ok() && *key_user == (*user)->name;
  auto channels = (*snapshot)->ListChannels();
  if (!channels.ok()) return JsonErrorReply(channels.status());
  std::erase_if(*channels, [&](const Channel& channel) {
    return channel.owner != (*user)->name || (!own && !channel.is_public);
  });
  return JsonReply(RenderUserChannelsJson(*channels, own));
}

}  // namespace fieldpost
