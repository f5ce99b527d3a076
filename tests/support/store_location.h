// Where a test's data lives, as one string: a data directory, or a
// PostgreSQL URI (postgresql://...). The helpers that run fieldpost pass
// it as --data or --database accordingly, so one scenario runs on both.
#pragma once

#include <string>
#include <vector>

namespace fieldpost::testing {

inline bool IsDatabaseUri(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

// {"--data", DIR} or {"--database", URI}.
inline std::vector<std::string> StoreFlags(const std::string& location) {
  return {IsDatabaseUri(location) ? "--database" : "--data", location};
}

}  // namespace fieldpost::testing
