#include "api/page_render.h"

#include "api/content_types.h"
#include "api/web_assets.h"
#include "api/xml_render.h"
#include "core/time_format.h"

namespace fieldpost {
namespace {

// Text into HTML text or a double-quoted attribute: the five XML escapes
// (&apos; included) are HTML5 character references too.
std::string Escape(std::string_view text) { return XmlEscape(text); }

// The URL of an embedded asset relative to a page at `depth`; its version
// makes the URL change whenever the file does.
std::string AssetUrl(PageDepth depth, std::string_view name) {
  const WebAsset* asset = FindWebAsset(name);
  std::string url = depth == PageDepth::kRoot ? "channels/assets/" : "assets/";
  url += name;
  if (asset != nullptr) url += "?v=" + std::string(asset->version);
  return url;
}

// <time> showing `at` in UTC; the script turns it into "5 s ago" with the
// reader's local time as its title.
std::string TimeElement(Timestamp at, std::string_view id = {}) {
  const std::string iso = FormatIso8601(at);
  std::string shown = iso;
  shown[10] = ' ';
  shown.back() = ' ';
  shown += "UTC";
  std::string id_attribute = id.empty() ? "" : " id=\"" + std::string(id) + "\"";
  return "<time" + id_attribute + " datetime=\"" + iso + "\" data-ago>" + shown + "</time>";
}

std::string Head(std::string_view title, std::optional<PageDepth> depth, bool charts) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      // No icon: saves the browser a request for /favicon.ico, which is
      // the web site's, not fieldpost's.
      "<link rel=\"icon\" href=\"data:,\">\n"
      "<title>" +
      Escape(title) + " · fieldpost</title>\n";
  if (depth) {
    if (charts)
      html += "<link rel=\"stylesheet\" href=\"" + AssetUrl(*depth, "dygraph.css") + "\">\n";
    html += "<link rel=\"stylesheet\" href=\"" + AssetUrl(*depth, "fieldpost.css") + "\">\n";
    if (charts) html += "<script defer src=\"" + AssetUrl(*depth, "dygraph.js") + "\"></script>\n";
    html += "<script defer src=\"" + AssetUrl(*depth, "fieldpost.js") + "\"></script>\n";
  }
  html += "</head>\n<body>\n";
  return html;
}

std::string Header(PageDepth depth) {
  const char* home = depth == PageDepth::kRoot ? "./" : "../";
  return std::string("<header class=\"site\"><a href=\"") + home +
         "\">fieldpost</a> <span>live channels</span></header>\n";
}

constexpr std::string_view kFoot = "</body>\n</html>\n";

// The channel's name, or "Channel ID" for one made without a name.
std::string DisplayName(const Channel& channel) {
  return channel.name.empty() ? "Channel " + std::to_string(channel.id) : channel.name;
}

std::string Description(const Channel& channel) {
  if (channel.description.empty()) return "";
  return "<p class=\"description\">" + Escape(channel.description) + "</p>\n";
}

std::string LastUpdate(const Channel& channel) {
  if (channel.last_entry_id == 0) return "<p class=\"updated\">No readings yet.</p>\n";
  return "<p class=\"updated\">Last update: " + TimeElement(channel.updated_at) + "</p>\n";
}

std::string ChannelCard(const ChannelOverview& overview) {
  const Channel& channel = overview.channel;
  const std::string id = std::to_string(channel.id);
  std::string html = "<li class=\"card\" data-channel=\"" + id + "\">\n<h2><a href=\"channels/" +
                     id + "\">" + Escape(DisplayName(channel)) + "</a></h2>\n" +
                     Description(channel) + LastUpdate(channel);
  if (!overview.fields.empty()) {
    html += "<dl class=\"readings\">\n";
    for (const FieldReading& reading : overview.fields) {
      html += "<div><dt>" + Escape(reading.name) + "</dt><dd>" +
              (reading.value ? Escape(*reading.value) : "no value yet") + "</dd></div>\n";
    }
    html += "</dl>\n";
  }
  return html + "</li>\n";
}

std::string FieldSection(const FieldReading& reading) {
  const std::string id = "field" + std::to_string(reading.field);
  const std::string name = Escape(reading.name);
  std::string html = "<section class=\"field\" id=\"" + id + "\" data-field=\"" +
                     std::to_string(reading.field) + "\" aria-labelledby=\"" + id + "-name\">\n";
  html += "<h2 id=\"" + id + "-name\">" + name + "</h2>\n<p class=\"reading\">";
  html += "<span class=\"value\" id=\"" + id + "-value\">" +
          (reading.value ? Escape(*reading.value) : "no value yet") + "</span>";
  html += " <span class=\"when\">" + (reading.value ? TimeElement(reading.at, id + "-time") : "") +
          "</span></p>\n";
  // A labelled group rather than an image: the range selector's handles
  // inside it stay reachable.
  html += "<div class=\"chart\" id=\"" + id + "-chart\" role=\"group\" aria-label=\"Chart of " +
          name + "\"></div>\n<p class=\"chart-note\" id=\"" + id + "-note\"></p>\n</section>\n";
  return html;
}

constexpr std::string_view kWindowControls =
    "<div class=\"controls\">\n<fieldset class=\"window\">\n<legend>Chart window</legend>\n"
    "<label><input type=\"radio\" name=\"window\" value=\"hour\"> Last hour</label>\n"
    "<label><input type=\"radio\" name=\"window\" value=\"day\" checked> Last day</label>\n"
    "<label><input type=\"radio\" name=\"window\" value=\"week\"> Last week</label>\n"
    "<label><input type=\"radio\" name=\"window\" value=\"all\"> All</label>\n"
    "</fieldset>\n<button type=\"button\" id=\"reset-zoom\">Reset zoom</button>\n</div>\n"
    "<p class=\"hint\">Drag across a chart, or move the handles below it, to zoom in; "
    "double-click or press Reset zoom to see the whole window again.</p>\n";

}  // namespace

std::string RenderHomePage(const std::vector<ChannelOverview>& channels) {
  std::string html = Head("Channels", PageDepth::kRoot, false) + Header(PageDepth::kRoot) +
                     "<main id=\"home\">\n<h1>Public channels</h1>\n";
  if (channels.empty()) {
    html += "<p>There are no public channels yet.</p>\n";
  } else {
    html += "<ul class=\"cards\">\n";
    for (const ChannelOverview& overview : channels) html += ChannelCard(overview);
    html += "</ul>\n";
  }
  return html + "</main>\n" + std::string(kFoot);
}

std::string RenderChannelPage(const ChannelOverview& overview, std::string_view api_key) {
  const Channel& channel = overview.channel;
  const std::string id = std::to_string(channel.id);
  const std::string title = DisplayName(channel);
  std::string html = Head(title, PageDepth::kChannel, true) + Header(PageDepth::kChannel);
  html += "<main id=\"channel\" data-channel=\"" + id + "\" data-api-key=\"" + Escape(api_key) +
          "\" data-last-entry=\"" + std::to_string(channel.last_entry_id) + "\">\n";
  html += "<h1>" + Escape(title) + "</h1>\n" + Description(channel) + LastUpdate(channel);
  if (overview.fields.empty()) {
    html += "<p>This channel has no fields yet; they appear with its first reading.</p>\n";
  } else {
    html += kWindowControls;
  }
  // The status line announces only changes of the connection; the time of
  // the newest reading is beside it, outside the live region, so a station
  // sending every second does not make a screen reader speak every second.
  html +=
      "<p class=\"live\"><span id=\"live\" role=\"status\">Live updates start once the page "
      "has loaded.</span> <span id=\"last-change\"></span></p>\n<noscript><p>Charts and live "
      "updates need JavaScript; the values below are "
      "those of when the page was loaded.</p></noscript>\n";
  for (const FieldReading& reading : overview.fields) html += FieldSection(reading);
  // The API's own CSV, at most its 8,000 rows; relative, like every link
  // here, so it keeps the mount prefix. The key the page was opened with
  // opens it too.
  std::string csv = id + "/feeds.csv?results=8000";
  if (!api_key.empty()) csv += "&api_key=" + std::string(api_key);
  html += "<p class=\"download\"><a href=\"" + Escape(csv) +
          "\" download>Download CSV</a> (the newest 8,000 readings)</p>\n";
  return html + "</main>\n" + std::string(kFoot);
}

std::string RenderPrivateChannelPage(bool key_was_given) {
  std::string html = Head("Private channel", PageDepth::kChannel, false) +
                     Header(PageDepth::kChannel) +
                     "<main id=\"private\">\n<h1>This channel is private</h1>\n"
                     "<p>Its readings are shown only with one of its API keys.</p>\n";
  if (key_was_given) {
    html += "<p class=\"error\" role=\"alert\">That key does not open this channel.</p>\n";
  }
  html +=
      "<form method=\"get\">\n<label for=\"api_key\">Read API key</label>\n"
      "<input id=\"api_key\" name=\"api_key\" autocomplete=\"off\" spellcheck=\"false\" "
      "required>\n<button type=\"submit\">Open</button>\n</form>\n</main>\n";
  return html + std::string(kFoot);
}

std::string RenderMessagePage(std::string_view title, std::string_view message,
                              std::optional<PageDepth> depth) {
  std::string html = Head(title, depth, false);
  if (depth) html += Header(*depth);
  html += "<main>\n<h1>" + Escape(title) + "</h1>\n<p>" + Escape(message) + "</p>\n</main>\n";
  return html + std::string(kFoot);
}

Response PageResponse(int status, std::string html) {
  Response response;
  response.status = status;
  response.content_type = kHtmlType;
  response.body = std::move(html);
  // The pages load only their own files and read only this site's API:
  // nothing reaches another site, and injected markup could not either.
  // Inline styles are allowed: dygraphs positions its legend and range
  // selector with style attributes.
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      "img-src 'self' data:; "
      "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace fieldpost
