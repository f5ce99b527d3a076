// The Content-Type of each response format, in one place.
#pragma once

namespace fieldpost {

inline constexpr const char* kTextType = "text/plain; charset=utf-8";
inline constexpr const char* kJsonType = "application/json; charset=utf-8";
inline constexpr const char* kXmlType = "application/xml; charset=utf-8";
inline constexpr const char* kCsvType = "text/csv; charset=utf-8";
// JSONP; RFC 9239 and Rails both use text/javascript.
inline constexpr const char* kJavaScriptType = "text/javascript; charset=utf-8";
inline constexpr const char* kHtmlType = "text/html; charset=utf-8";
inline constexpr const char* kCssType = "text/css; charset=utf-8";

}  // namespace fieldpost
