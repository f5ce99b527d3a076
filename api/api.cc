#include "api/api.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/http_errors.h"
#include "api/router.h"
#include "core/log.h"

namespace fieldpost {
namespace {

// ThingSpeak (Rails) sends these on every API response.
constexpr StaticHeader kCorsHeaders[] = {
    {"Access-Control-Allow-Origin", "access-control-allow-origin", "*"},
    {"Access-Control-Allow-Methods", "access-control-allow-methods",
     "GET, POST, PUT, OPTIONS, DELETE, PATCH"},
    {"Access-Control-Allow-Headers", "access-control-allow-headers",
     "origin, content-type, X-Requested-With"},
    {"Access-Control-Max-Age", "access-control-max-age", "1800"},
};

Response InternalError(std::string_view what) {
  LogError(std::string("request failed: ") + std::string(what));
  return InternalErrorResponse();
}

// Hands `reply` its response once, whoever gives it: the handler, or the
// catch below when a handler throws before it replied.
class ReplyOnce {
 public:
  explicit ReplyOnce(Reply reply) : reply_(std::move(reply)) {}

  void operator()(Response response) {
    if (given_.exchange(true)) return;
    response.static_headers = kCorsHeaders;
    try {
      reply_(std::move(response));
    } catch (const std::exception& e) {
      // Replies are written not to throw; this one is lost, and says so.
      LogError(std::string("a reply could not be delivered: ") + e.what());
    }
  }

 private:
  Reply reply_;
  std::atomic<bool> given_{false};
};

}  // namespace

bool Api::BodyTooLarge(const Request& request, std::uint64_t length) const {
  return length > std::min(options_.max_body_bytes, options_.max_bulk_body_bytes) &&
         length > BodyLimitFor(request, options_);
}

void Api::Handle(const Request& request, Reply reply) const noexcept {
  std::shared_ptr<ReplyOnce> once;
  try {
    once = std::make_shared<ReplyOnce>(std::move(reply));
    const Reply give = [once](Response response) { (*once)(std::move(response)); };
    if (request.method == "OPTIONS") return give(Response{});  // a CORS preflight on any path
    if (request.path.empty() || request.path[0] != '/') {
      return give(ErrorResponse(InvalidArgument("the request target must be a path"), Format::kNone,
                                ErrorStyle::kErrorObject));
    }
    Dispatch(request, store_, options_, give);
  } catch (const std::exception& e) {
    once ? (*once)(InternalError(e.what())) : reply(InternalError(e.what()));
  } catch (...) {
    once ? (*once)(InternalError("unknown exception")) : reply(InternalError("unknown exception"));
  }
}

Response Api::Handle(const Request& request) const noexcept {
  struct Waiter {
    std::mutex mutex;
    std::condition_variable ready;
    std::optional<Response> response;
  };
  try {
    auto waiter = std::make_shared<Waiter>();
    Handle(request, [waiter](Response response) {
      std::lock_guard lock(waiter->mutex);
      waiter->response = std::move(response);
      waiter->ready.notify_one();
    });
    std::unique_lock lock(waiter->mutex);
    waiter->ready.wait(lock, [&] { return waiter->response.has_value(); });
    return std::move(*waiter->response);
  } catch (const std::exception& e) {
    return InternalError(e.what());
  } catch (...) {
    return InternalError("unknown exception");
  }
}

}  // namespace fieldpost
