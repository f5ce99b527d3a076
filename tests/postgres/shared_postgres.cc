#include "tests/postgres/shared_postgres.h"

#include <memory>

namespace fieldpost::testing {

PostgresServer& SharedPostgres() {
  static std::unique_ptr<PostgresServer> server = std::make_unique<PostgresServer>();
  return *server;
}

std::string FreshDatabase() {
  static int databases = 0;
  return SharedPostgres().CreateDatabase("fieldpost_" + std::to_string(++databases));
}

}  // namespace fieldpost::testing
