// The one mapping from Status to an HTTP response. ThingSpeak clients expect
// different failure bodies per endpoint family, so callers pick a style.
#pragma once

#include <string>
#include <string_view>

#include "api/api_context.h"
#include "api/request.h"
#include "core/status.h"

namespace fieldpost {

enum class ErrorStyle {
  kWriteReply,   // /update: body "0" (the Arduino library reads 0 as failure)
  kReadReply,    // data reads: body "-1" when the client may not read
  kErrorObject,  // section 5 error objects: text code, JSON or XML object
  kPage,         // web pages: an HTML page saying what went wrong
};

// The reason phrase of a status line ("OK" for 200, RFC 9110's wording), or
// empty for a status it does not know. Frontends that write the status line
// themselves (CGI's "Status:" header) use it.
std::string_view StatusLineReason(int http_status);

// The HTTP status for `code` when reported as an error object.
int HttpStatusFor(StatusCode code);

// The HTTP status of a web page reporting `code`: as HttpStatusFor, but 403
// for kUnauthorized, since a browser is not asked to authenticate (the page
// itself asks for the key).
int PageStatusFor(StatusCode code);

// The ThingSpeak error code string ("error_bad_request") for `code`.
const char* ErrorCodeFor(StatusCode code);

// What a client is told of `status`: its message, but for failures of the
// server's own (kInternal, kStorageFull), whose detail (file paths, errno
// texts) belongs in the log, not in a reply to whoever asked.
std::string ClientReason(const Status& status);

// The reply to a failure of fieldpost's own (an exception, no memory):
// 500 with ThingSpeak's text code error_internal. The caller logs why.
Response InternalErrorResponse();

// Renders `status` (not OK) in `style` and `format`. Every error response
// carries the client's reason (ClientReason) in an X-Fieldpost-Error
// header, whatever the body; the detail of an internal error is logged.
Response ErrorResponse(const Status& status, Format format, ErrorStyle style);

}  // namespace fieldpost
