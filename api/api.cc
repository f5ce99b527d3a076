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
  void Take(Reply reply) { reply_ = std::move(reply); }

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

std::optional<Response> Api::Answer(const Request& request,
                                    const std::function<Reply()>& later) const noexcept {
  // A deferred write's reply may come from the committing thread while an
  // exception here answers too: it goes through the once-guard. Everything
  // else is returned, and needs none.
  std::shared_ptr<ReplyOnce> once;
  std::optional<Response> now;
  try {
    if (request.method == "OPTIONS") {
      now.emplace();  // a CORS preflight on any path
    } else if (request.path.empty() || request.path[0] != '/') {
      now = ErrorResponse(InvalidArgument("the request target must be a path"), Format::kNone,
                          ErrorStyle::kErrorObject);
    } else {
      now = Dispatch(request, store_, options_, [&] {
        // Made before `later` gives up its reply: if making it fails, the
        // reply is still there to answer the failure.
        auto made = std::make_shared<ReplyOnce>();
        made->Take(later());
        once = made;
        return Reply([made](Response response) { (*made)(std::move(response)); });
      });
    }
  } catch (const std::exception& e) {
    now = InternalError(e.what());
  } catch (...) {
    now = InternalError("unknown exception");
  }
  if (now && once) {
    (*once)(std::move(*now));
    return std::nullopt;
  }
  if (now) now->static_headers = kCorsHeaders;
  return now;
}

void Api::Handle(const Request& request, Reply reply) const noexcept {
  std::optional<Response> now = Answer(request, [&] { return std::move(reply); });
  if (!now) return;
  try {
    reply(std::move(*now));
  } catch (const std::exception& e) {
    LogError(std::string("a reply could not be delivered: ") + e.what());
  }
}

Response Api::Handle(const Request& request) const noexcept {
  struct Waiter {
    std::mutex mutex;
    std::condition_variable ready;
    std::optional<Response> response;
  };
  try {
    std::shared_ptr<Waiter> waiter;
    std::optional<Response> now = Answer(request, [&] {
      waiter = std::make_shared<Waiter>();
      return Reply([waiter](Response response) {
        std::lock_guard lock(waiter->mutex);
        waiter->response = std::move(response);
        waiter->ready.notify_one();
      });
    });
    if (now) return std::move(*now);
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
