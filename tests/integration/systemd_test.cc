// The shipped systemd units: they pass `systemd-analyze verify`, and the
// responder serves through nginx when systemd's socket-activation protocol
// hands it the socket.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "tests/integration/api_scenario.h"
#include "tests/integration/nginx_fixture.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

const std::string kUnits = std::string(FIELDPOST_SOURCE_DIR) + "/packaging/systemd/";

BOOST_AUTO_TEST_SUITE(systemd)

BOOST_AUTO_TEST_CASE(units_pass_systemd_analyze_verify) {
  BOOST_REQUIRE_MESSAGE(access("/usr/bin/systemd-analyze", X_OK) == 0,
                        "systemd-analyze is not installed");
  TempDir dir;
  std::vector<std::string> argv = {"/usr/bin/systemd-analyze", "verify", "--man=no"};
  for (const char* unit : {"fieldpost-fcgi.socket", "fieldpost-fcgi.service", "fieldpost.service",
                           "fieldpost-backup.service", "fieldpost-backup.timer"}) {
    // The units name the installed binary; point them at the built one.
    std::string text = ReadFile(kUnits + unit);
    BOOST_REQUIRE(!text.empty());
    for (std::size_t at = text.find("/usr/bin/fieldpost"); at != std::string::npos;
         at = text.find("/usr/bin/fieldpost", at)) {
      text.replace(at, 18, FIELDPOST_BINARY);
    }
    WriteFile(dir / unit, text);
    argv.push_back(dir / unit);
  }
  std::string output;
  const int code = RunCommand(argv, output);
  BOOST_TEST(code == 0, output);
  BOOST_TEST(output.empty(), output);
}

BOOST_AUTO_TEST_CASE(socket_activated_responder_serves_through_nginx) {
  BOOST_REQUIRE_MESSAGE(access("/usr/bin/systemd-socket-activate", X_OK) == 0,
                        "systemd-socket-activate is not installed");
  NginxFcgiFixture nginx({"/usr/bin/systemd-socket-activate", "-l", "{socket}"});
  PrepareScenarioData(nginx.data_dir());
  RunApiScenario({nginx.port(), "", nginx.data_dir()});
  BOOST_TEST(nginx.ResponderLog(0).find("inherited fd 3") != std::string::npos,
             nginx.ResponderLog(0));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
