// One PostgreSQL server for the tests of this executable that do not stop
// or kill it; each test takes a fresh database of its own. And what those
// tests share besides.
#pragma once

#include <cstdint>
#include <string>

#include "tests/support/postgres_server.h"

namespace fieldpost::testing {

// Started on first use, stopped when the executable ends.
PostgresServer& SharedPostgres();

// The URI of a new, empty database on the shared server.
std::string FreshDatabase();

// The body of GET `target`, which must answer 200 (else the test stops).
std::string OkBody(std::uint16_t port, const std::string& target);

}  // namespace fieldpost::testing
