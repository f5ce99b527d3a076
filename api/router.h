// The route table: which handler answers which method and path, how each
// endpoint family reports errors, and how much body each takes. Splits the
// path once and parses the query and form body once for the handler.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string_view>

#include "api/api_context.h"
#include "api/request.h"
#include "core/store.h"

namespace fieldpost {

// Makes the reply a deferred handler answers through; called only for one.
using DeferredReply = std::function<Reply()>;

// Routes `request` and returns the handler's response; unknown paths get
// 404, known paths with another method 405, as an error object in JSON or
// XML when the path ends in .json or .xml, else as the text code.
// A deferred handler (a write) returns nothing and replies through
// `deferred()` once its commit returns, from the committing thread; it
// copies what it needs, so `request` may go once Dispatch returns. Reads
// never build a reply callback: most requests are answered at once.
// When the store keeps metrics, each request is counted under its route and
// status.
std::optional<Response> Dispatch(const Request& request, Store& store, const ApiOptions& options,
                                 const DeferredReply& deferred);

// The body limit of the route that takes `request` (its method and path),
// or the general one when none does: what a frontend may answer 413 to
// from the Content-Length alone, before any of the body is read.
std::size_t BodyLimitFor(const Request& request, const ApiOptions& options);

// Whether the route that takes `request` is a write handed to
// Store::SubmitAppend without a read of the store before (/update): a
// frontend whose store's reads block (a database) may still run it on its
// event loop, as the commit answers it from the committing thread.
bool IsDeferredWrite(const Request& request);

// The routes as /metrics names them ("/channels/:channel/feeds"), in the
// router's order, then "none" for requests no route took.
std::span<const std::string_view> RouteLabels();

}  // namespace fieldpost
