// Retention on a data directory (tests/integration/retention_scenarios.h).
#include <boost/test/unit_test.hpp>

#include "tests/integration/retention_scenarios.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(retention)

BOOST_AUTO_TEST_CASE(prune_once_from_the_command_line) { RunPruneFromTheCommandLine(""); }

BOOST_AUTO_TEST_CASE(a_server_prunes_by_the_configured_default) {
  RunServerPrunesByTheConfiguredDefault("");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
