#include "module/api.h"

#include <exception>
#include <string>

#include "module/http_errors.h"
#include "module/log.h"
#include "module/router.h"

namespace fieldpost {
namespace {

// ThingSpeak (Rails) sends these on every API response.
void AddCorsHeaders(Response& response) {
  response.headers.emplace_back("Access-Control-Allow-Origin", "*");
  response.headers.emplace_back("Access-Control-Allow-Methods",
                                "GET, POST, PUT, OPTIONS, DELETE, PATCH");
  response.headers.emplace_back("Access-Control-Allow-Headers",
                                "origin, content-type, X-Requested-With");
  response.headers.emplace_back("Access-Control-Max-Age", "1800");
}

Response InternalError(std::string_view what) {
  LogError(std::string("request failed: ") + std::string(what));
  Response response;
  response.status = 500;
  response.body = "error_internal";
  return response;
}

}  // namespace

Response Api::Handle(const Request& request) const noexcept {
  try {
    Response response;
    if (request.method == "OPTIONS") {
      response.body.clear();  // a CORS preflight on any path
    } else if (request.path.empty() || request.path[0] != '/') {
      response = ErrorResponse(InvalidArgument("the request target must be a path"), Format::kNone,
                               ErrorStyle::kErrorObject);
    } else {
      response = Dispatch(request, store_, options_);
    }
    AddCorsHeaders(response);
    return response;
  } catch (const std::exception& e) {
    return InternalError(e.what());
  } catch (...) {
    return InternalError("unknown exception");
  }
}

}  // namespace fieldpost
