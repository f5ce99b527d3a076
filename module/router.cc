#include "module/router.h"

#include <array>
#include <charconv>
#include <string_view>
#include <vector>

#include "module/bulk_handlers.h"
#include "module/channel_handlers.h"
#include "module/http_errors.h"
#include "module/json_params.h"
#include "module/page_handlers.h"
#include "module/read_handlers.h"
#include "module/update_handlers.h"

namespace fieldpost {
namespace {

using Handler = Response (*)(const ApiContext&, const RouteParams&);

struct Route {
  std::string_view methods;  // space-separated
  // Segments: literals, ":channel" (a channel id), ":field" and ":entry"
  // (digits), and a final "**" taking the raw rest of the path (no
  // extension split).
  std::string_view pattern;
  Handler handler;
  ErrorStyle error_style;
  // Which requests a route answers besides its methods and path.
  enum class Audience {
    kAny,
    // Web pages: only paths without a format extension.
    kPage,
    // A page that shares its path with the API ("channels/5"): only for
    // browsers, whose Accept names text/html. Other clients (scripts, the
    // Arduino library) fall through to the API's JSON, as before the pages.
    kBrowserPage,
  } audience = Audience::kAny;
};

using Audience = Route::Audience;

bool AcceptsHtml(const Request& request) {
  return request.Header("accept").find("text/html") != std::string_view::npos;
}

// Singular "feed"/"field" are ThingSpeak aliases (the npm client uses them).
// Literal segments ("last", "entry") come before captures of the same place.
constexpr std::array kRoutes = {
    Route{"GET", "", HandleHomePage, ErrorStyle::kPage, Audience::kPage},
    Route{"GET", "channels/assets/**", HandleWebAsset, ErrorStyle::kPage},
    Route{"GET POST", "update", HandleUpdate, ErrorStyle::kWriteReply},
    Route{"GET POST", "update/**", HandlePathUpdate, ErrorStyle::kWriteReply},
    Route{"GET", "channels/:channel/fields/:field/last", HandleLastFieldValue,
          ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/field/:field/last", HandleLastFieldValue,
          ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/fields/:field/:entry", HandleFieldEntry,
          ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/field/:field/:entry", HandleFieldEntry, ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/fields/:field", HandleFieldFeed, ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/field/:field", HandleFieldFeed, ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/feeds/last", HandleLastEntry, ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/feed/last", HandleLastEntry, ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/feeds/entry/:entry", HandleEntry, ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/feed/entry/:entry", HandleEntry, ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/feeds/:entry", HandleEntry, ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/feed/:entry", HandleEntry, ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/feeds", HandleFeed, ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/feed", HandleFeed, ErrorStyle::kReadReply},
    Route{"GET", "channels/:channel/status", HandleStatusFeed, ErrorStyle::kReadReply},
    Route{"POST", "channels/:channel/bulk_update", HandleBulkUpdate, ErrorStyle::kErrorObject},
    Route{"GET", "channels", HandleListChannels, ErrorStyle::kErrorObject},
    Route{"POST", "channels", HandleCreateChannel, ErrorStyle::kErrorObject},
    Route{"GET", "channels/:channel", HandleChannelPage, ErrorStyle::kPage, Audience::kBrowserPage},
    Route{"GET", "channels/:channel", HandleViewChannel, ErrorStyle::kErrorObject},
    Route{"PUT", "channels/:channel", HandleUpdateChannel, ErrorStyle::kErrorObject},
    Route{"DELETE", "channels/:channel", HandleDeleteChannel, ErrorStyle::kErrorObject},
    Route{"DELETE", "channels/:channel/feeds", HandleClearChannel, ErrorStyle::kErrorObject},
    Route{"DELETE", "channels/:channel/feed", HandleClearChannel, ErrorStyle::kErrorObject},
};

std::vector<std::string_view> Split(std::string_view text, char separator = '/') {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

// Splits a known extension off the last path segment.
Format TakeFormat(std::string_view& segment) {
  static constexpr std::pair<std::string_view, Format> kExtensions[] = {
      {".json", Format::kJson}, {".xml", Format::kXml},   {".csv", Format::kCsv},
      {".txt", Format::kText},  {".text", Format::kText},
  };
  for (const auto& [extension, format] : kExtensions) {
    if (segment.size() > extension.size() && segment.ends_with(extension)) {
      segment.remove_suffix(extension.size());
      return format;
    }
  }
  return Format::kNone;
}

template <typename Number>
bool ParseNumber(std::string_view text, Number& out) {
  if (text.empty() || text.size() > 20) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool Match(const Route& route, const Request& request, std::string_view path, RouteParams& params) {
  const auto pattern = Split(route.pattern);
  std::vector<std::string_view> segments = Split(path);
  const bool takes_rest = pattern.back() == "**";
  if (takes_rest) {
    if (segments.size() < pattern.size()) return false;
    const std::size_t prefix = pattern.size() - 1;
    std::size_t offset = 0;
    for (std::size_t i = 0; i < prefix; ++i) offset += segments[i].size() + 1;
    params.rest = path.substr(offset);
    segments.resize(prefix);
  } else {
    if (segments.size() != pattern.size()) return false;
    params.format = TakeFormat(segments.back());
    if (route.audience != Audience::kAny && params.format != Format::kNone) return false;
    if (route.audience == Audience::kBrowserPage && !AcceptsHtml(request)) return false;
  }
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (pattern[i] == ":channel") {
      if (!ParseNumber(segments[i], params.channel) || params.channel == 0) return false;
    } else if (pattern[i] == ":field") {
      if (!ParseNumber(segments[i], params.field)) return false;
    } else if (pattern[i] == ":entry") {
      if (!ParseNumber(segments[i], params.entry)) return false;
    } else if (pattern[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

bool Allows(std::string_view methods, std::string_view method) {
  for (std::string_view allowed : Split(methods, ' ')) {
    if (allowed == method) return true;
  }
  return false;
}

bool IsFormBody(const Request& request) {
  const std::string_view type = request.Header("content-type");
  // The Arduino library and curl -d send this type; bodies without a type are
  // read as forms too, as Rack does for POST.
  return type.empty() || type.starts_with("application/x-www-form-urlencoded");
}

Result<Params> ParseParams(const Request& request, const Route& route, Format format) {
  auto params = ParseFormEncoded(request.query);
  if (!params.ok() || request.method == "GET") return params;
  // bulk_update.json bodies are the handler's to parse, whatever their type.
  if (route.handler == HandleBulkUpdate && format == Format::kJson) return params;
  // Other JSON bodies are parameters, as ThingSpeak's /update accepts them.
  const bool json = request.Header("content-type").starts_with("application/json");
  if (!json && !IsFormBody(request)) return params;
  auto body = json ? ParseJsonObjectParams(request.body) : ParseFormEncoded(request.body);
  if (!body.ok()) return body.status();
  params->insert(params->end(), body->begin(), body->end());
  return params;
}

}  // namespace

Response Dispatch(const Request& request, Store& store, const ApiOptions& options) {
  const std::string_view path = std::string_view(request.path).substr(1);
  bool path_known = false;
  Format known_format = Format::kNone;  // of the first route matching the path
  for (const Route& route : kRoutes) {
    RouteParams route_params;
    if (!Match(route, request, path, route_params)) continue;
    if (!path_known) known_format = route_params.format;
    path_known = true;
    if (!Allows(route.methods, request.method)) continue;

    const Format format = route_params.format;
    if (!request.refusal.ok()) return ErrorResponse(request.refusal, format, route.error_style);
    if (request.path.size() + request.query.size() > options.max_target_bytes) {
      return ErrorResponse(
          {StatusCode::kUriTooLong,
           "request target over " + std::to_string(options.max_target_bytes) + " bytes"},
          format, route.error_style);
    }
    // Bulk updates may carry up to 14,400 entries; other bodies are small.
    const std::size_t body_limit =
        route.handler == HandleBulkUpdate ? options.max_bulk_body_bytes : options.max_body_bytes;
    if (request.body_too_large || request.body.size() > body_limit) {
      return ErrorResponse({StatusCode::kPayloadTooLarge,
                            "request body over " + std::to_string(body_limit) + " bytes"},
                           format, route.error_style);
    }
    auto params = ParseParams(request, route, format);
    if (!params.ok()) return ErrorResponse(params.status(), format, route.error_style);
    const ApiContext context{request, *params, store, options};
    return route.handler(context, route_params);
  }
  // A client asking for .json or .xml parses the reply as such, errors
  // included; other extensions and none keep the text code.
  if (path_known) {
    return ErrorResponse({StatusCode::kMethodNotAllowed, request.method + " is not allowed here"},
                         known_format, ErrorStyle::kErrorObject);
  }
  std::string_view last_segment = path.substr(path.rfind('/') + 1);
  return ErrorResponse(NotFound("no such endpoint"), TakeFormat(last_segment),
                       ErrorStyle::kErrorObject);
}

}  // namespace fieldpost
