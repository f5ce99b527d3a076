// Conversion between CGI variables (as FastCGI parameters or a CGI
// process's environment) and the API's Request/Response. The API may be
// mounted under a prefix: the web server passes it as SCRIPT_NAME and it is
// stripped from REQUEST_URI, keeping the path raw.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "api/request.h"

namespace fieldpost {

// Reads up to `size` body bytes into `buffer`; returns how many (0 at end).
using BodyReader = std::function<std::size_t(char* buffer, std::size_t size)>;

// Builds a Request from `variables` ("NAME=value" strings, null-terminated
// array) and at most `max_body_bytes` of body. A longer body is read and
// dropped (so the web server is not cut off mid-send) and flagged.
Request RequestFromCgi(char** variables, const BodyReader& read_body, std::size_t max_body_bytes);

// The CGI response head (Status, Content-Type, Content-Length, extra
// headers, blank line). Content-Length keeps web servers from chunking.
std::string CgiResponseHead(const Response& response);

}  // namespace fieldpost
