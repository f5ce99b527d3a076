// The retention scenarios, run on a data directory (integration tests) and
// on a PostgreSQL database (postgres tests). `location` empty: a data
// directory of the scenario's own; else a database URI.
#pragma once

#include <string>

namespace fieldpost::testing {

// `channel prune --before`, `--expired`, a channel's retention_days, and
// what is refused.
void RunPruneFromTheCommandLine(const std::string& location);

// fieldpost.conf's retention_days: the default for channels without their
// own, applied by a running server; the channel API's PUT sets a channel's
// own.
void RunServerPrunesByTheConfiguredDefault(const std::string& location);

}  // namespace fieldpost::testing
