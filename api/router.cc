#include "api/router.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/age_handlers.h"
#include "api/bulk_handlers.h"
#include "api/channel_handlers.h"
#include "api/directory_handlers.h"
#include "api/health_handlers.h"
#include "api/http_errors.h"
#include "api/json_params.h"
#include "api/metrics_handlers.h"
#include "api/page_handlers.h"
#include "api/read_handlers.h"
#include "api/update_handlers.h"
#include "core/metrics.h"

namespace fieldpost {
namespace {

// Methods as bits, so a route names several and a request tests them with
// one AND.
enum MethodBits : std::uint8_t { kGet = 1, kPost = 2, kPut = 4, kDelete = 8 };

std::uint8_t MethodBit(std::string_view method) {
  if (method == "GET") return kGet;
  if (method == "POST") return kPost;
  if (method == "PUT") return kPut;
  if (method == "DELETE") return kDelete;
  return 0;  // any other method: 405 on a known path
}

// A path pattern split into its segments once, at compile time. Segments
// are literals, ":channel" (a channel id), ":field" and ":entry" (digits),
// and a final "**" taking the raw rest of the path (no extension split).
struct Pattern {
  static constexpr std::size_t kMaxSegments = 6;
  std::array<std::string_view, kMaxSegments> segments{};
  std::size_t count = 0;
  bool takes_rest = false;

  consteval Pattern(const char* chars) {
    std::string_view text(chars);
    while (true) {
      const std::size_t at = text.find('/');
      segments[count++] = text.substr(0, at);
      if (at == std::string_view::npos) break;
      text.remove_prefix(at + 1);
    }
    takes_rest = segments[count - 1] == "**";
    if (takes_rest) --count;
  }
};

using Handler = Response (*)(const ApiContext&, const RouteParams&);
// A handler that answers later, from another thread (a write answered once
// its commit returns), through the Reply it is given.
using DeferredHandler = void (*)(const ApiContext&, const RouteParams&, const Reply&);

struct Route {
  std::uint8_t methods;
  Pattern pattern;
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
  DeferredHandler deferred = nullptr;  // instead of `handler`
  // The largest body the route takes.
  std::size_t ApiOptions::*body_limit = &ApiOptions::max_body_bytes;
  // A JSON body is the handler's to parse (bulk_update.json), not parameters.
  bool handler_parses_json_body = false;
};

using Audience = Route::Audience;

constexpr Route Deferred(std::uint8_t methods, Pattern pattern, DeferredHandler handler,
                         ErrorStyle style) {
  Route route{methods, pattern, nullptr, style};
  route.deferred = handler;
  return route;
}

// Bulk updates may carry up to 14,400 entries; other bodies are small.
constexpr Route Bulk(Route route) {
  route.body_limit = &ApiOptions::max_bulk_body_bytes;
  route.handler_parses_json_body = true;
  return route;
}

// Singular "feed"/"field" are ThingSpeak aliases (the npm client uses them).
// Literal segments ("last", "entry") come before captures of the same place.
constexpr std::array kRoutes = {
    Route{kGet, "", HandleHomePage, ErrorStyle::kPage, Audience::kPage},
    Route{kGet, "channels/assets/**", HandleWebAsset, ErrorStyle::kPage},
    Route{kGet, "health", HandleHealth, ErrorStyle::kErrorObject},
    Route{kGet, "metrics", HandleMetrics, ErrorStyle::kErrorObject},
    Deferred(kGet | kPost, "update", HandleUpdate, ErrorStyle::kWriteReply),
    Deferred(kGet | kPost, "update/**", HandlePathUpdate, ErrorStyle::kWriteReply),
    Route{kGet, "channels/:channel/fields/:field/last", HandleLastFieldValue,
          ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/field/:field/last", HandleLastFieldValue,
          ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/fields/:field/:entry", HandleFieldEntry, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/field/:field/:entry", HandleFieldEntry, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/fields/:field", HandleFieldFeed, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/field/:field", HandleFieldFeed, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/fields/:field/last_data_age", HandleFieldLastDataAge,
          ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/field/:field/last_data_age", HandleFieldLastDataAge,
          ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/feeds/last_data_age", HandleLastDataAge, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/feed/last_data_age", HandleLastDataAge, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/feeds/last", HandleLastEntry, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/feed/last", HandleLastEntry, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/feeds/entry/:entry", HandleEntry, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/feed/entry/:entry", HandleEntry, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/feeds/:entry", HandleEntry, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/feed/:entry", HandleEntry, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/feeds", HandleFeed, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/feed", HandleFeed, ErrorStyle::kReadReply},
    Route{kGet, "channels/:channel/status", HandleStatusFeed, ErrorStyle::kReadReply},
    Bulk(Route{kPost, "channels/:channel/bulk_update", HandleBulkUpdate, ErrorStyle::kErrorObject}),
    Route{kGet, "channels/public", HandlePublicChannels, ErrorStyle::kErrorObject},
    Route{kGet, "users/:user", HandleUserProfile, ErrorStyle::kErrorObject},
    Route{kGet, "users/:user/channels", HandleUserChannels, ErrorStyle::kErrorObject},
    Route{kGet, "channels", HandleListChannels, ErrorStyle::kErrorObject},
    Route{kPost, "channels", HandleCreateChannel, ErrorStyle::kErrorObject},
    Route{kGet, "channels/:channel", HandleChannelPage, ErrorStyle::kPage, Audience::kBrowserPage},
    Route{kGet, "channels/:channel", HandleViewChannel, ErrorStyle::kErrorObject},
    Route{kPut, "channels/:channel", HandleUpdateChannel, ErrorStyle::kErrorObject},
    Route{kDelete, "channels/:channel", HandleDeleteChannel, ErrorStyle::kErrorObject},
    Route{kDelete, "channels/:channel/feeds", HandleClearChannel, ErrorStyle::kErrorObject},
    Route{kDelete, "channels/:channel/feed", HandleClearChannel, ErrorStyle::kErrorObject},
};

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

// The request path split once, for every route to match against: its
// first segments, and its last one without the format extension.
struct PathSegments {
  std::string_view path;
  std::array<std::string_view, Pattern::kMaxSegments> segments{};
  std::size_t count = 0;  // segments in the path, even beyond kMaxSegments
  std::string_view last_without_extension;
  Format format = Format::kNone;

  explicit PathSegments(std::string_view whole) : path(whole) {
    std::string_view text = whole;
    while (true) {
      const std::size_t at = text.find('/');
      if (count < segments.size()) segments[count] = text.substr(0, at);
      ++count;
      if (at == std::string_view::npos) break;
      text.remove_prefix(at + 1);
    }
    last_without_extension = text;
    format = TakeFormat(last_without_extension);
  }

  // The raw path after the first `prefix` segments and their slashes.
  std::string_view RestAfter(std::size_t prefix) const {
    std::size_t offset = 0;
    for (std::size_t i = 0; i < prefix; ++i) offset += segments[i].size() + 1;
    return path.substr(offset);
  }
};

template <typename Number>
bool ParseNumber(std::string_view text, Number& out) {
  if (text.empty() || text.size() > 20) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool AcceptsHtml(const Request& request) {
  return request.Header("accept").find("text/html") != std::string_view::npos;
}

bool Match(const Route& route, const Request& request, const PathSegments& path,
           RouteParams& params) {
  const Pattern& pattern = route.pattern;
  if (pattern.takes_rest) {
    // "a/**" needs "a/" and takes whatever follows, even nothing.
    if (path.count <= pattern.count) return false;
    params.rest = path.RestAfter(pattern.count);
  } else {
    if (path.count != pattern.count) return false;
    params.format = path.format;
    if (route.audience != Audience::kAny && params.format != Format::kNone) return false;
    if (route.audience == Audience::kBrowserPage && !AcceptsHtml(request)) return false;
  }
  for (std::size_t i = 0; i < pattern.count; ++i) {
    const bool last = !pattern.takes_rest && i + 1 == pattern.count;
    const std::string_view segment = last ? path.last_without_extension : path.segments[i];
    const std::string_view part = pattern.segments[i];
    if (!part.starts_with(':')) {  // most parts are words
      if (part != segment) return false;
    } else if (part == ":channel") {
      if (!ParseNumber(segment, params.channel) || params.channel == 0) return false;
    } else if (part == ":field") {
      if (!ParseNumber(segment, params.field)) return false;
    } else if (part == ":entry") {
      if (!ParseNumber(segment, params.entry)) return false;
    } else if (part == ":user") {
      if (segment.empty()) return false;
      params.user = segment;
    } else {
      return false;  // a placeholder the router does not know
    }
  }
  return true;
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
  if (route.handler_parses_json_body && format == Format::kJson) return params;
  // Other JSON bodies are parameters, as ThingSpeak's /update accepts them.
  const bool json = request.Header("content-type").starts_with("application/json");
  if (!json && !IsFormBody(request)) return params;
  auto body = json ? ParseJsonObjectParams(request.body) : ParseFormEncoded(request.body);
  if (!body.ok()) return body.status();
  params->insert(params->end(), body->begin(), body->end());
  return params;
}

// What stops a request before its handler runs, in the route's style.
Status Precheck(const Request& request, const Route& route, const ApiOptions& options) {
  if (!request.refusal.ok()) return request.refusal;
  if (request.path.size() + request.query.size() > options.max_target_bytes) {
    return {StatusCode::kUriTooLong,
            "request target over " + std::to_string(options.max_target_bytes) + " bytes"};
  }
  const std::size_t body_limit = options.*route.body_limit;
  if (request.body_too_large || request.body.size() > body_limit) {
    return {StatusCode::kPayloadTooLarge,
            "request body over " + std::to_string(body_limit) + " bytes"};
  }
  return OkStatus();
}

static_assert(kRoutes.size() < MetricsCounters::kRouteSlots, "a slot for each route and none");

// `response`, counted under `route` when metrics are on.
Response Counted(MetricsCounters* metrics, std::size_t route, Response response) {
  if (metrics != nullptr) RecordRequest(*metrics, route, response.status);
  return response;
}

}  // namespace

std::span<const std::string_view> RouteLabels() {
  static const auto labels = [] {
    static std::array<std::string, kRoutes.size() + 1> texts;
    std::array<std::string_view, kRoutes.size() + 1> views;
    for (std::size_t i = 0; i < kRoutes.size(); ++i) {
      const Pattern& pattern = kRoutes[i].pattern;
      for (std::size_t s = 0; s < pattern.count; ++s)
        texts[i] += "/" + std::string(pattern.segments[s]);
      if (pattern.takes_rest) texts[i] += "/**";
      if (texts[i].empty()) texts[i] = "/";
      views[i] = texts[i];
    }
    texts.back() = "none";  // no route took the request (404, 405)
    views.back() = texts.back();
    return views;
  }();
  return labels;
}

std::size_t BodyLimitFor(const Request& request, const ApiOptions& options) {
  if (request.path.empty()) return options.max_body_bytes;
  const PathSegments path(std::string_view(request.path).substr(1));
  const std::uint8_t method = MethodBit(request.method);
  for (const Route& route : kRoutes) {
    RouteParams route_params;
    if (Match(route, request, path, route_params) && (route.methods & method) != 0) {
      return options.*route.body_limit;
    }
  }
  return options.max_body_bytes;
}

bool IsDeferredWrite(const Request& request) {
  if (request.path.empty()) return false;
  const PathSegments path(std::string_view(request.path).substr(1));
  const std::uint8_t method = MethodBit(request.method);
  // The first route taking the request is the one Dispatch runs.
  for (const Route& route : kRoutes) {
    RouteParams route_params;
    if (Match(route, request, path, route_params) && (route.methods & method) != 0) {
      return route.deferred != nullptr;
    }
  }
  return false;
}

std::optional<Response> Dispatch(const Request& request, Store& store, const ApiOptions& options,
                                 const DeferredReply& deferred) {
  MetricsCounters* const metrics = store.metrics();
  const PathSegments path(std::string_view(request.path).substr(1));
  const std::uint8_t method = MethodBit(request.method);
  bool path_known = false;
  Format known_format = Format::kNone;  // of the first route matching the path
  for (std::size_t index = 0; index < kRoutes.size(); ++index) {
    const Route& route = kRoutes[index];
    RouteParams route_params;
    if (!Match(route, request, path, route_params)) continue;
    if (!path_known) known_format = route_params.format;
    path_known = true;
    if ((route.methods & method) == 0) continue;

    const Format format = route_params.format;
    if (Status s = Precheck(request, route, options); !s.ok()) {
      return Counted(metrics, index, ErrorResponse(s, format, route.error_style));
    }
    auto params = ParseParams(request, route, format);
    if (!params.ok()) {
      return Counted(metrics, index, ErrorResponse(params.status(), format, route.error_style));
    }
    const ApiContext context{request, *params, store, options};
    if (route.deferred == nullptr) {
      return Counted(metrics, index, route.handler(context, route_params));
    }
    Reply reply = deferred();
    if (metrics == nullptr) {
      route.deferred(context, route_params, reply);
      return std::nullopt;
    }
    // Answered later, from the committing thread: counted then.
    route.deferred(context, route_params, [metrics, index, reply](Response response) {
      reply(Counted(metrics, index, std::move(response)));
    });
    return std::nullopt;
  }
  // A client asking for .json or .xml parses the reply as such, errors
  // included; other extensions and none keep the text code.
  if (path_known) {
    return Counted(
        metrics, kRoutes.size(),
        ErrorResponse({StatusCode::kMethodNotAllowed, request.method + " is not allowed here"},
                      known_format, ErrorStyle::kErrorObject));
  }
  return Counted(
      metrics, kRoutes.size(),
      ErrorResponse(NotFound("no such endpoint"), path.format, ErrorStyle::kErrorObject));
}

}  // namespace fieldpost
