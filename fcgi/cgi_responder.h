// Plain CGI: the web server runs the program once per request, with the
// request in the environment and on stdin, the response on stdout
// (shared hosting without FastCGI).
#pragma once

#include "api/api.h"
#include "core/status.h"

namespace fieldpost {

// True when this process looks like a CGI request (REQUEST_METHOD is set).
bool IsCgiRequest();

// Answers the one request of this process.
Status AnswerCgiRequest(const Api& api);

}  // namespace fieldpost
