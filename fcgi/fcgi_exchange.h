// Conversion between a libfcgi request and the module's Request/Response.
// The API may be mounted under a prefix: the web server passes it as
// SCRIPT_NAME and we strip it from REQUEST_URI, keeping the path raw.
#pragma once

#include <fcgiapp.h>

#include <cstddef>

#include "module/request.h"

namespace fieldpost {

// Reads the CGI parameters and at most `max_body_bytes` of body.
Request ReadFcgiRequest(FCGX_Request& native, std::size_t max_body_bytes);

// Writes the CGI response head (Status, Content-Type, Content-Length, extra
// headers) and the body. Content-Length keeps the web server from chunking.
void WriteFcgiResponse(FCGX_Request& native, const Response& response);

}  // namespace fieldpost
