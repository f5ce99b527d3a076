// UTF-8 validation (RFC 3629: no overlongs, no surrogates, max U+10FFFF).
#pragma once

#include <string_view>

namespace fieldpost {

bool IsValidUtf8(std::string_view bytes);

}  // namespace fieldpost
