// Running the servers from a resolved configuration: shared by the
// subcommands and by the no-argument hosted mode (fieldpost.fcgi).
#pragma once

#include "app/server_config.h"

namespace fieldpost {

// Each returns the process exit code.
int RunStandaloneServer(const ServerConfig& config);
// The FastCGI responder; when fd 0 is not a socket and the environment
// holds a CGI request, answers that one request as plain CGI instead.
int RunFastCgiResponder(const ServerConfig& config);

}  // namespace fieldpost
