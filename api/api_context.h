// What every handler receives: the request, its decoded parameters, the
// store, the options, and what the router read from the path.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string_view>

#include "api/form_parser.h"
#include "api/request.h"
#include "core/model.h"
#include "core/store.h"

namespace fieldpost {

// Every default lives here and only here; app/ overrides from flags.
struct ApiOptions {
  std::size_t max_body_bytes = 64 * 1024;     // larger bodies: 413
  std::size_t max_bulk_body_bytes = 4 << 20;  // the same for bulk updates
  std::size_t max_target_bytes = 8 * 1024;    // longer path+query: 414
  std::size_t default_results = 100;          // feeds without results=
  std::size_t max_results = 8000;             // ThingSpeak's cap on results=

  // What the body limits may be set to, by the config file or a web
  // server's directive.
  static constexpr std::size_t kMinBodyLimit = 1024;
  static constexpr std::size_t kMaxBodyLimit = std::size_t{64} << 20;
  static constexpr std::size_t kMaxBulkBodyLimit = std::size_t{256} << 20;

  // The most body a frontend needs to read for any route.
  std::size_t frontend_body_limit() const { return std::max(max_body_bytes, max_bulk_body_bytes); }
};

// The response format a path asks for by its extension.
enum class Format { kNone, kText, kJson, kXml, kCsv };

// What the router captured from the path.
struct RouteParams {
  Format format = Format::kNone;
  ChannelId channel = 0;
  int field = 0;  // as written; handlers check the range
  EntryId entry = 0;
  std::string_view rest;  // the raw remainder matched by "**"
  std::string_view user;  // ":user", as written in the path
};

// Where a response goes: called exactly once, either before the call that
// was given it returns or later from another thread (a write is answered
// when its commit returns). Must not throw.
using Reply = std::function<void(Response)>;

struct ApiContext {
  const Request& request;
  const Params& params;  // query parameters followed by form-body parameters
  Store& store;
  const ApiOptions& options;
};

}  // namespace fieldpost
