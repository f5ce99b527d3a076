// Checks on the `database` setting, a libpq connection URI, made before
// any connection: what the configuration and the logs need without libpq.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace fieldpost {

// InvalidArgument unless `uri` is a postgresql:// or postgres:// URI (libpq
// parses the rest, multi-host lists and parameters included).
Status CheckDatabaseUri(std::string_view uri);

// The URI with any password replaced by "***" (the user:password@ part
// and a password= parameter), for logs, errors and check-config.
std::string UriWithoutPassword(std::string_view uri);

}  // namespace fieldpost
