// The Arduino library's requests and reply parsing (arduino_replay.h)
// against both frontends.
#include <boost/test/unit_test.hpp>

#include "tests/integration/arduino_replay.h"
#include "tests/integration/nginx_fixture.h"
#include "tests/integration/serve_fixture.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(arduino_conformance)

BOOST_AUTO_TEST_CASE(standalone_server) {
  TempDir dir;
  ServeProcess server(dir);
  RunArduinoReplay(server.port(), dir / "data");
}

BOOST_AUTO_TEST_CASE(nginx_and_fcgi) {
  NginxFcgiFixture nginx;
  RunArduinoReplay(nginx.port(), nginx.data_dir());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
