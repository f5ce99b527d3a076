// UTF-8 validation (RFC 3629: no overlongs, no surrogates, max U+10FFFF),
// quoting of untrusted bytes for messages, and the ASCII tests the parsers
// and frontends share.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fieldpost {

bool IsValidUtf8(std::string_view bytes);

// `bytes` in single quotes, safe to put in a one-line message: valid UTF-8
// characters as they are; ' and \ escaped with a backslash; \n, \r, \t;
// other control bytes, C1 controls, U+2028/U+2029 and each byte of an
// invalid sequence as \xNN. After `max_chars` characters the rest is cut
// to "...", never inside one.
std::string QuoteBytes(std::string_view bytes, std::size_t max_chars = 40);

// '0' to '9' only, whatever the locale (std::isdigit depends on it).
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Whether `a` and `b` are equal but for the case of ASCII letters, whatever
// the locale: what HTTP's tokens and schemes ("Chunked", "HTTP://") need.
bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b);

}  // namespace fieldpost
