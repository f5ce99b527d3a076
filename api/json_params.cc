#include "api/json_params.h"

#include <string>

#include "api/rapidjson_document.h"
#include "core/utf8.h"

namespace fieldpost {

Result<Params> ParseJsonObjectParams(std::string_view body) {
  if (!IsValidUtf8(body)) return InvalidEncoding("body is not valid UTF-8");
  // RapidJSON stops at a NUL byte and would ignore what follows.
  if (body.find('\0') != std::string_view::npos) return InvalidArgument("body contains NUL");
  rapidjson::Document document;
  document.Parse<rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag>(
      body.data(), body.size());
  if (document.HasParseError()) {
    return InvalidArgument(std::string("invalid JSON: ") +
                           rapidjson::GetParseError_En(document.GetParseError()) + " at byte " +
                           std::to_string(document.GetErrorOffset()));
  }
  if (!document.IsObject()) return InvalidArgument("the JSON body must be an object");
  Params params;
  // By index: C++20 finds RapidJSON 1.1.0's iterator comparison ambiguous.
  for (rapidjson::SizeType i = 0; i < document.MemberCount(); ++i) {
    const auto& member = *(document.MemberBegin() + i);
    std::string name(member.name.GetString(), member.name.GetStringLength());
    const rapidjson::Value& value = member.value;
    if (value.IsNull()) continue;
    if (value.IsString()) {
      // Numbers arrive here too, as their source text.
      params.emplace_back(std::move(name), std::string(value.GetString(), value.GetStringLength()));
    } else if (value.IsBool()) {
      params.emplace_back(std::move(name), value.GetBool() ? "true" : "false");
    } else {
      return InvalidArgument("JSON member " + QuoteBytes(name) + " must be a plain value");
    }
  }
  for (const auto& [name, value] : params) {
    // RapidJSON 1.1.0 passes escaped lone surrogates ("\udc00") through.
    if (!IsValidUtf8(name) || !IsValidUtf8(value)) {
      return InvalidEncoding("JSON string is not valid UTF-8");
    }
  }
  return params;
}

}  // namespace fieldpost
