// The HTML of fieldpost's web pages: the list of public channels at the
// mount point's root and each channel's live page. Pages are rendered with
// their data, so they read well without script; api/web/fieldpost.js
// then keeps them current and draws the charts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/request.h"
#include "core/model.h"

namespace fieldpost {

// A field as a page shows it: its name and its newest non-null value.
struct FieldReading {
  int field = 0;     // 1..8
  std::string name;  // the field's name, or "Field N" when it has none
  std::optional<std::string> value;
  Timestamp at{};  // when `value` arrived
};

// A channel and the readings of its named or used fields.
struct ChannelOverview {
  Channel channel;
  std::vector<FieldReading> fields;
};

// Where a page sits below the mount point: the page's own URLs are relative,
// so the same HTML works at "/" and under any prefix ("/iot/").
enum class PageDepth {
  kRoot,     // "/": channels are at channels/ID
  kChannel,  // "/channels/ID": siblings are at ID, the root at ../
};

// "/": every channel in `channels` (the caller passes the public ones).
std::string RenderHomePage(const std::vector<ChannelOverview>& channels);

// "/channels/ID" for a reader who may see it. The script reads the API with
// `api_key`: the channel's read key, or empty for a public channel.
std::string RenderChannelPage(const ChannelOverview& overview, std::string_view api_key);

// "/channels/ID" of a private channel without a key that opens it: says so,
// offers a field for the read key, and shows nothing of the channel.
std::string RenderPrivateChannelPage(bool key_was_given);

// A titled message, such as "Channel not found". With `depth` the page uses
// the style sheet; without, it is plain HTML (the caller's depth is unknown).
std::string RenderMessagePage(std::string_view title, std::string_view message,
                              std::optional<PageDepth> depth);

// `html` as a response with the headers every page carries: a content
// security policy that allows only this site, no referrer (private pages
// hold their key in the URL), and no caching (pages show live data).
Response PageResponse(int status, std::string html);

}  // namespace fieldpost
