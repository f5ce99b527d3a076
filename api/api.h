// The API core's entry point for frontends: one Request in, one Response out.
// Adds the headers every API response carries (CORS) and answers OPTIONS
// preflights. Knows nothing of the transport.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "api/api_context.h"
#include "api/request.h"
#include "core/store.h"

namespace fieldpost {

class Api {
 public:
  // `store` must outlive the Api.
  Api(Store& store, ApiOptions options) : store_(store), options_(options) {}

  const ApiOptions& options() const { return options_; }
  // Whether a body of `length` bytes is over the limit of the route
  // `request` goes to (api/router.h BodyLimitFor), which a frontend may
  // answer from the Content-Length alone. Routes are looked up only for a
  // length over the smaller limit.
  bool BodyTooLarge(const Request& request, std::uint64_t length) const;

  // Thread-safe. `reply` gets the response exactly once: before Handle
  // returns, or, for a write, from the committing thread once its commit
  // returns, so a frontend that can park a connection (libmicrohttpd's
  // suspend) holds no thread while a write waits. `request` may go when
  // Handle returns. Never throws: an escaping exception is logged and
  // becomes a 500, so frontends may call this from C callbacks.
  void Handle(const Request& request, Reply reply) const noexcept;

  // The same, returning the response when it is ready before this returns
  // (every read, every refusal before a write's handler): a frontend then
  // makes no reply callback for it. For a deferred write, `later()` is
  // called once for the reply the commit answers through, and this returns
  // nothing (it never does without having called `later`).
  std::optional<Response> Answer(const Request& request,
                                 const std::function<Reply()>& later) const noexcept;

  // The same, waiting for the response: for a frontend that has a thread
  // to spare for each request (CGI, one request per process).
  Response Handle(const Request& request) const noexcept;

 private:
  Store& store_;
  ApiOptions options_;
};

}  // namespace fieldpost
