// Parsing of application/x-www-form-urlencoded text: query strings and form
// bodies. Pure functions, fuzzed (tests/fuzz).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace fieldpost {

// Name/value pairs in the order they appeared; names may repeat.
using Params = std::vector<std::pair<std::string, std::string>>;

// Decodes %XX escapes (and '+' as space when `plus_is_space`). A '%' not
// followed by two hex digits is InvalidArgument; decoded bytes that are not
// valid UTF-8 are InvalidEncoding.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Splits `text` on '&' into name=value pairs and decodes both. Empty pieces
// are skipped; a piece without '=' is a name with an empty value.
Result<Params> ParseFormEncoded(std::string_view text);

// The value of the first pair named `name`, or nullptr.
const std::string* FindParam(const Params& params, std::string_view name);

}  // namespace fieldpost
