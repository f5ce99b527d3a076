#include "api/http_errors.h"

#include <string>

#include "api/content_types.h"
#include "api/json_render.h"
#include "api/page_render.h"
#include "api/xml_render.h"
#include "core/log.h"

namespace fieldpost {
namespace {

// Reasons can echo client text; keep the header a single printable line.
std::string HeaderSafe(const std::string& text) {
  std::string out = text.substr(0, 200);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F) c = '?';
  }
  return out;
}

// The "message" of ThingSpeak's error objects, which is not always the
// status line's reason phrase ("Authorization Required").
const char* ThingSpeakErrorMessage(int http_status) {
  switch (http_status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Authorization Required";
    case 404:
      return "Resource Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Request Entity Too Large";
    case 414:
      return "URI Too Long";
    case 422:
      return "Invalid Byte Sequence";
    case 429:
      return "Too Many Requests";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 507:
      return "Insufficient Storage";
    default:
      return "Internal Server Error";
  }
}

}  // namespace

std::string_view StatusLineReason(int http_status) {
  switch (http_status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 507:
      return "Insufficient Storage";
    default:
      return "";
  }
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthorized:
      return 401;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kMethodNotAllowed:
      return 405;
    case StatusCode::kPayloadTooLarge:
      return 413;
    case StatusCode::kUriTooLong:
      return 414;
    case StatusCode::kInvalidEncoding:
      return 422;
    case StatusCode::kTooManyRequests:
      return 429;
    case StatusCode::kStorageFull:
      return 507;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kNotImplemented:
      return 501;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

int PageStatusFor(StatusCode code) {
  return code == StatusCode::kUnauthorized ? 403 : HttpStatusFor(code);
}

const char* ErrorCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "error_bad_request";
    case StatusCode::kUnauthorized:
      return "error_auth_required";
    case StatusCode::kNotFound:
      return "error_resource_not_found";
    case StatusCode::kMethodNotAllowed:
      return "error_method_invalid";
    case StatusCode::kPayloadTooLarge:
      return "error_request_too_large";
    case StatusCode::kUriTooLong:
      return "error_uri_too_long";
    case StatusCode::kInvalidEncoding:
      return "error_invalid_byte_sequence";
    case StatusCode::kTooManyRequests:
      return "error_too_many_requests";
    case StatusCode::kStorageFull:
      return "error_insufficient_storage";
    case StatusCode::kUnavailable:
      return "error_service_unavailable";
    case StatusCode::kNotImplemented:
      return "error_not_implemented";
    case StatusCode::kInternal:
      return "error_internal";
  }
  return "error_internal";
}

Response InternalErrorResponse() {
  Response response;
  response.status = 500;
  response.body = "error_internal";
  return response;
}

std::string ClientReason(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInternal:
      return "internal error; the server's log says more";
    case StatusCode::kStorageFull:
      return "the server's storage is full";
    default:
      return status.message();
  }
}

Response ErrorResponse(const Status& status, Format format, ErrorStyle style) {
  const std::string reason = ClientReason(status);
  // A full store is logged by the writer, once a batch; other failures of
  // our own only here.
  if (status.code() == StatusCode::kInternal) LogError("answered 500: " + status.message());
  if (style == ErrorStyle::kPage) {
    const int http_status = PageStatusFor(status.code());
    Response page = PageResponse(
        http_status, RenderMessagePage(ThingSpeakErrorMessage(http_status), reason, std::nullopt));
    page.headers.emplace_back("X-Fieldpost-Error", HeaderSafe(reason));
    return page;
  }
  Response response;
  response.status = HttpStatusFor(status.code());
  response.headers.emplace_back("X-Fieldpost-Error", HeaderSafe(reason));
  const bool data_reply = style != ErrorStyle::kErrorObject;
  // ThingSpeak answers a bad or missing key on the data endpoints with 400,
  // not 401; the Arduino library reports 400 as "incorrect API key".
  if (data_reply && status.code() == StatusCode::kUnauthorized) response.status = 400;
  // A write inside the channel's minimum interval is HTTP 200 with body 0:
  // the Arduino library reports exactly that as "not inserted" (-401).
  if (data_reply && status.code() == StatusCode::kTooManyRequests) response.status = 200;

  // A rate-limited write is ThingSpeak's plain "0" whatever the format.
  const bool as_object = !data_reply || ((format == Format::kJson || format == Format::kXml) &&
                                         status.code() != StatusCode::kTooManyRequests);
  if (data_reply && (style == ErrorStyle::kReadReply || !as_object)) {
    response.body = style == ErrorStyle::kWriteReply ? "0" : "-1";
    return response;
  }
  const std::string code = std::to_string(response.status);
  const char* message = ThingSpeakErrorMessage(response.status);
  if (format == Format::kJson) {
    response.content_type = kJsonType;
    response.body = RenderErrorJson(code, ErrorCodeFor(status.code()), message, reason);
  } else if (format == Format::kXml) {
    response.content_type = kXmlType;
    response.body = RenderErrorXml(ErrorCodeFor(status.code()), message, reason);
  } else {
    response.body = ErrorCodeFor(status.code());
  }
  return response;
}

}  // namespace fieldpost
