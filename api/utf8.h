// UTF-8 validation (RFC 3629: no overlongs, no surrogates, max U+10FFFF),
// and the ASCII character test the parsers share.
#pragma once

#include <string_view>

namespace fieldpost {

bool IsValidUtf8(std::string_view bytes);

// '0' to '9' only, whatever the locale (std::isdigit depends on it).
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace fieldpost
