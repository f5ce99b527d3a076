// mod_fieldpost on PostgreSQL (FieldpostDatabase): the deployment
// scenario and the Arduino replay, under the event MPM and prefork.
#include <boost/test/unit_test.hpp>

#include "tests/integration/api_scenario.h"
#include "tests/integration/arduino_replay.h"
#include "tests/module/apache_module_fixture.h"
#include "tests/postgres/shared_postgres.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(apache_module_on_postgres)

BOOST_AUTO_TEST_CASE(passes_the_api_scenario_and_the_arduino_replay) {
  for (const char* mpm : {"event", "prefork"}) {
    BOOST_TEST_CONTEXT("mpm_" << mpm) {
      const std::string database = FreshDatabase();
      PrepareScenarioData(database);
      // The Arduino library's 1.0 sends bare LF line endings, which Apache
      // refuses unless told otherwise (docs/deploy/apache-module.md).
      ApacheModuleFixture apache(mpm, "HttpProtocolOptions Unsafe\n", database);
      RunApiScenario({apache.port(), "", database});
      RunApiScenario({apache.port(), "/iot", database});
      RunArduinoReplay(apache.port(), database);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
