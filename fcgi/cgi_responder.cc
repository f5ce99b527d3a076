#include "fcgi/cgi_responder.h"

#include <cstdio>
#include <cstdlib>

#include "fcgi/cgi_exchange.h"

extern char** environ;

namespace fieldpost {

bool IsCgiRequest() { return std::getenv("REQUEST_METHOD") != nullptr; }

Status AnswerCgiRequest(const Api& api) {
  const Request request = RequestFromCgi(
      environ, [](char* buffer, std::size_t size) { return std::fread(buffer, 1, size, stdin); },
      api.options().frontend_body_limit());
  const Response response = api.Handle(request);
  const std::string head = CgiResponseHead(response);
  std::fwrite(head.data(), 1, head.size(), stdout);
  std::fwrite(response.body.data(), 1, response.body.size(), stdout);
  if (std::fflush(stdout) != 0) return Internal("cannot write the CGI response");
  return OkStatus();
}

}  // namespace fieldpost
