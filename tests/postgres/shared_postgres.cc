#include "tests/postgres/shared_postgres.h"

#include <boost/test/unit_test.hpp>
#include <memory>

#include "tests/support/http_client.h"

namespace fieldpost::testing {

PostgresServer& SharedPostgres() {
  static std::unique_ptr<PostgresServer> server = std::make_unique<PostgresServer>();
  return *server;
}

std::string FreshDatabase() {
  static int databases = 0;
  return SharedPostgres().CreateDatabase("fieldpost_" + std::to_string(++databases));
}

std::string OkBody(std::uint16_t port, const std::string& target) {
  HttpReply reply = Get(port, target);
  BOOST_REQUIRE_MESSAGE(reply.status == 200, reply.raw);
  return reply.body;
}

}  // namespace fieldpost::testing
