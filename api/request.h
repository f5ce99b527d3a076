// The transport-independent HTTP request and response that every frontend
// converts to and from. Frontends fill Request verbatim (no decoding); the
// API core does all parsing.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include "api/content_types.h"
#include "core/status.h"

namespace fieldpost {

struct Request {
  std::string method;  // upper-case, e.g. "GET"
  // The request path below the API's mount point, starting with '/', still
  // percent-encoded as received, without the query string.
  std::string path;
  std::string query;  // raw query string without the '?'
  // Header names lower-case with '-' separators ("x-thingspeakapikey").
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set by the frontend when the body exceeded the limit it was given; the
  // body is then empty and the API answers 413.
  bool body_too_large = false;
  // Set by a frontend that refuses the request for a reason only it can
  // see (the server is stopping; the target held a NUL byte, which its
  // native API cuts short): the route answers with this status in its own
  // style, and nothing runs. OK: no refusal.
  Status refusal;

  // The value of the first header named `lower_name`, or empty.
  std::string_view Header(std::string_view lower_name) const;
};

// The request target as the client sent it, reduced to its origin form:
// RFC 9112 lets a client send the absolute form ("http://host/update?..."),
// which becomes "/update?..."; "http://host" alone becomes "/". Nothing is
// decoded or normalised ("//update" and "/./update" stay as they are), so
// every frontend hands the API the same path for the same bytes.
std::string_view OriginForm(std::string_view target);

// A header whose text lives as long as the program: NUL-terminated, for
// the frontends' C APIs, with the name also in lower case (what nginx
// indexes headers by), so that no frontend need copy or convert it.
struct StaticHeader {
  const char* name;
  const char* lower_name;
  const char* value;
};

struct Response {
  int status = 200;
  // One of the constants of content_types.h: a literal, never owned (no
  // reply allocates it) and NUL-terminated (libmicrohttpd takes C strings).
  std::string_view content_type = kTextType;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type/-Length
  // Sent after `headers` and never copied by the API: the same on every
  // reply (ThingSpeak's CORS headers), so no request allocates them.
  std::span<const StaticHeader> static_headers;
};

}  // namespace fieldpost
