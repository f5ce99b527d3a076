// One PostgreSQL server for the tests of this executable that do not stop
// or kill it; each test takes a fresh database of its own.
#pragma once

#include <string>

#include "tests/support/postgres_server.h"

namespace fieldpost::testing {

// Started on first use, stopped when the executable ends.
PostgresServer& SharedPostgres();

// The URI of a new, empty database on the shared server.
std::string FreshDatabase();

}  // namespace fieldpost::testing
