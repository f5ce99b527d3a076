#include "api/page_handlers.h"

#include <string>
#include <vector>

#include "api/access_rules.h"
#include "api/api_key.h"
#include "api/channel_access.h"
#include "api/content_types.h"
#include "api/http_errors.h"
#include "api/page_render.h"
#include "api/web_assets.h"

namespace fieldpost {
namespace {

Response PageError(const Status& status) {
  return ErrorResponse(status, Format::kNone, ErrorStyle::kPage);
}

// A channel page that refuses the request: the reason is in the page and,
// as on every error reply, in X-Fieldpost-Error.
Response RefusedChannelPage(int status, std::string html, const std::string& reason) {
  Response response = PageResponse(status, std::move(html));
  response.headers.emplace_back("X-Fieldpost-Error", reason);
  // The same path answers JSON to clients that do not ask for HTML.
  response.headers.emplace_back("Vary", "Accept");
  return response;
}

// The channel's named or used fields with their newest values.
Result<ChannelOverview> Overview(StoreSnapshot& snapshot, Channel channel) {
  ChannelOverview overview;
  for (int field = 1; field <= kFieldCount; ++field) {
    if (!channel.FieldEnabled(field)) continue;
    FieldReading reading{field, channel.field_names[field - 1], std::nullopt, {}};
    if (reading.name.empty()) reading.name = "Field " + std::to_string(field);
    auto entry = snapshot.LastEntryWithField(channel.id, field);
    if (!entry.ok()) return entry.status();
    if (entry->has_value()) {
      reading.value = (*entry)->data.fields[field - 1];
      reading.at = (*entry)->created_at;
    }
    overview.fields.push_back(std::move(reading));
  }
  overview.channel = std::move(channel);
  return overview;
}

}  // namespace

Response HandleHomePage(const ApiContext& context, const RouteParams&) {
  auto snapshot = context.store.OpenSnapshot();
  if (!snapshot.ok()) return PageError(snapshot.status());
  auto channels = (*snapshot)->ListChannels();
  if (!channels.ok()) return PageError(channels.status());
  std::vector<ChannelOverview> overviews;
  for (Channel& channel : *channels) {
    if (!MayRead(channel, std::nullopt)) continue;  // listed: what anyone may read
    auto overview = Overview(**snapshot, std::move(channel));
    if (!overview.ok()) return PageError(overview.status());
    overviews.push_back(std::move(*overview));
  }
  return PageResponse(200, RenderHomePage(overviews));
}

Response HandleChannelPage(const ApiContext& context, const RouteParams& route) {
  auto readable = OpenReadable(context, route.channel);
  const Status& refusal = readable.status();
  if (refusal.code() == StatusCode::kNotFound) {
    const std::string message = "There is no channel " + std::to_string(route.channel) + " here.";
    return RefusedChannelPage(PageStatusFor(refusal.code()),
                              RenderMessagePage("Channel not found", message, PageDepth::kChannel),
                              message);
  }
  if (refusal.code() == StatusCode::kUnauthorized) {
    const bool key_given = !FindApiKey(context.request, context.params).empty();
    return RefusedChannelPage(PageStatusFor(refusal.code()), RenderPrivateChannelPage(key_given),
                              refusal.message());
  }
  if (!readable.ok()) return PageError(readable.status());
  auto overview = Overview(*readable->snapshot, std::move(readable->channel));
  if (!overview.ok()) return PageError(overview.status());
  // The script reads with the channel's read key, whichever key opened the
  // page: the owner's user key or the write key must not end up in the
  // page and in every poll's URL. A public channel's page has no key.
  const Channel& channel = overview->channel;
  Response response =
      PageResponse(200, RenderChannelPage(*overview, channel.is_public ? "" : channel.read_key));
  response.headers.emplace_back("Vary", "Accept");  // JSON for other clients here
  return response;
}

Response HandleWebAsset(const ApiContext& context, const RouteParams& route) {
  const WebAsset* asset = FindWebAsset(route.rest);
  if (asset == nullptr) return PageError(NotFound("no such file"));
  Response response;
  response.content_type = WebAssetType(*asset);
  response.body = std::string(asset->body);
  // Pages ask for NAME?v=VERSION: that URL always means these bytes.
  const std::string* version = FindParam(context.params, "v");
  const bool versioned = version != nullptr && *version == asset->version;
  response.headers.emplace_back("Cache-Control",
                                versioned ? "public, max-age=31536000, immutable" : "no-cache");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace fieldpost
