// The rest of the ThingSpeak channel API over real HTTP, through both
// frontends: channel management with the user key (PUT and DELETE
// included), bulk updates, XML and CSV reads, CORS preflight.
#include <boost/test/unit_test.hpp>

#include "tests/integration/channel_api_scenario.h"
#include "tests/integration/nginx_fixture.h"
#include "tests/integration/serve_fixture.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(channel_api)

BOOST_AUTO_TEST_CASE(standalone_server) {
  TempDir dir;
  ServeProcess server(dir);
  RunChannelApi(server.port(), dir / "data");
}

BOOST_AUTO_TEST_CASE(nginx_and_fcgi) {
  NginxFcgiFixture nginx;
  RunChannelApi(nginx.port(), nginx.data_dir());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
