// ThingSpeak also takes /update parameters as a JSON object body
// (Content-Type: application/json). Pure, fuzzed.
#pragma once

#include <string_view>

#include "api/form_parser.h"
#include "core/status.h"

namespace fieldpost {

// Reads {"api_key":"K","field1":21.5,...} as parameters in member order:
// strings as they are, numbers as written ("21.50" stays "21.50"), true and
// false as text; null members are left out. InvalidArgument unless the body
// is a flat JSON object; InvalidEncoding for bytes that are not UTF-8.
Result<Params> ParseJsonObjectParams(std::string_view body);

}  // namespace fieldpost
