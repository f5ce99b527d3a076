#include "api/age_handlers.h"

#include <algorithm>
#include <chrono>

#include "api/channel_access.h"
#include "api/content_types.h"
#include "api/csv_render.h"
#include "api/http_errors.h"
#include "api/json_render.h"
#include "api/xml_render.h"

namespace fieldpost {
namespace {

Response Body(const char* content_type, std::string body) {
  Response response;
  response.content_type = content_type;
  response.body = std::move(body);
  return response;
}

Response Render(std::int64_t seconds, Format format) {
  switch (format) {
    case Format::kXml:
      return Body(kXmlType, RenderDataAgeXml(seconds));
    case Format::kCsv:
      return Body(kCsvType, RenderDataAgeCsv(seconds));
    case Format::kText:
      // Not documented by ThingSpeak: the bare number, as a script wants it.
      return Body(kTextType, std::to_string(seconds));
    case Format::kJson:
    case Format::kNone:
      break;
  }
  return Body(kJsonType, RenderDataAgeJson(seconds));
}

// Of the field route.field when `of_field`, else of any entry.
Response DataAge(const ApiContext& context, const RouteParams& route, bool of_field) {
  const Format format = route.format;
  const int field = route.field;
  if (of_field && (field < 1 || field > kFieldCount)) {
    return ErrorResponse(InvalidArgument("field must be 1 to 8"), format, ErrorStyle::kErrorObject);
  }
  auto readable = OpenReadableData(context, route.channel);
  if (!readable.ok()) {
    // No access is ThingSpeak's "-1"; an unknown channel its error object.
    const ErrorStyle style = readable.status().code() == StatusCode::kUnauthorized
                                 ? ErrorStyle::kReadReply
                                 : ErrorStyle::kErrorObject;
    return ErrorResponse(readable.status(), format, style);
  }
  StoreSnapshot& snapshot = **readable;
  auto entry = of_field ? snapshot.LastEntryWithField(route.channel, field)
                        : snapshot.LastEntry(route.channel);
  if (!entry.ok()) return ErrorResponse(entry.status(), format, ErrorStyle::kErrorObject);
  if (!entry->has_value()) return Body(kTextType, "-1");
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::int64_t age = std::max<std::int64_t>(0, (now - (*entry)->created_at).count());
  return Render(age, format);
}

}  // namespace

Response HandleLastDataAge(const ApiContext& context, const RouteParams& route) {
  return DataAge(context, route, false);
}

Response HandleFieldLastDataAge(const ApiContext& context, const RouteParams& route) {
  return DataAge(context, route, true);
}

}  // namespace fieldpost
