// The route table: which handler answers which method and path, and how each
// endpoint family reports errors. Parses the query and form body once for
// the handler.
#pragma once

#include "module/api_context.h"
#include "module/request.h"
#include "module/store.h"

namespace fieldpost {

// Routes `request` and returns the handler's response; unknown paths get
// 404, known paths with another method 405, as an error object in JSON or
// XML when the path ends in .json or .xml, else as the text code.
Response Dispatch(const Request& request, Store& store, const ApiOptions& options);

}  // namespace fieldpost
