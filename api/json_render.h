// Compact JSON renderings of the API's objects, byte-compatible with
// ThingSpeak: values as strings ("field1":"87"), ids as integers, null for
// absent values, no spaces (the Arduino library searches for "field1":").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/feed_document.h"
#include "api/time_zone.h"
#include "core/model.h"

namespace fieldpost {

// The object /update.json answers with: every field, null when absent.
std::string RenderUpdateJson(const Entry& entry);

// One entry: created_at, entry_id (unless aggregated) and `columns`.
std::string RenderEntryJson(const Entry& entry, const Columns& columns, const TimeZone& zone);

// {"channel":{...},"feeds":[...]}.
std::string RenderFeedJson(const FeedDocument& document);
// Its "channel" member alone, for a writer that streams the entries.
std::string RenderChannelObjectJson(const FeedDocument& document);

// A channel as the channel-management API shows it. `owner_view` adds the
// metadata and the API keys (only for the owner's user key).
std::string RenderChannelJson(const Channel& channel, bool owner_view);

// [channel,...] in owner view (GET /channels.json).
std::string RenderChannelListJson(const std::vector<Channel>& channels);

// {"status":"404","error":{"error_code":...,"message":...,"details":...}}.
std::string RenderErrorJson(std::string_view status, std::string_view error_code,
                            std::string_view message, std::string_view details);

// GET /channels/public.json: {"pagination":{"current_page":…,"per_page":…,
// "total_entries":…},"channels":[…]}, the channels as anyone may see them.
std::string RenderPublicChannelsJson(const std::vector<Channel>& page, std::size_t current_page,
                                     std::size_t per_page, std::size_t total);

// GET /users/NAME.json: {"login":…,"created_at":…}; never the API key.
std::string RenderUserJson(const User& user);

// GET /users/NAME/channels.json: {"channels":[…]}; `owner_view` as for
// RenderChannelJson.
std::string RenderUserChannelsJson(const std::vector<Channel>& channels, bool owner_view);

// feeds/last_data_age.json: {"last_data_age":"12","last_data_age_units":"s"}.
std::string RenderDataAgeJson(std::int64_t seconds);

// GET /health: {"status":"ok"}, or {"status":"unavailable","reason":...}.
std::string RenderHealthJson(std::string_view failure_reason);

}  // namespace fieldpost
