// Shared hosting: the binary uploaded as fieldpost.fcgi (or .cgi) is run by
// the web server without arguments. It then serves FastCGI on the socket it
// inherits as fd 0 (mod_fcgid), or answers one request as plain CGI, with
// its configuration from $FIELDPOST_CONFIG or fieldpost.conf next to the
// program, and its data in data/ next to the program unless configured.
#pragma once

#include <string_view>

namespace fieldpost {

// Whether `argv0` names the program as a FastCGI/CGI script.
bool IsHostedProgramName(std::string_view argv0);

// Runs the hosted responder; returns the process exit code.
int RunHosted(const char* argv0);

}  // namespace fieldpost
