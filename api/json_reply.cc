#include "api/json_reply.h"

#include <utility>

#include "api/content_types.h"
#include "api/http_errors.h"

namespace fieldpost {

Response JsonReply(std::string body) {
  Response response;
  response.content_type = kJsonType;
  response.body = std::move(body);
  return response;
}

Response JsonErrorReply(const Status& status) {
  return ErrorResponse(status, Format::kJson, ErrorStyle::kErrorObject);
}

bool AsksForJson(const RouteParams& route) {
  return route.format == Format::kNone || route.format == Format::kJson;
}

}  // namespace fieldpost
