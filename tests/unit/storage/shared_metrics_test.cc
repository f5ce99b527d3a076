#include "storage/shared_metrics.h"

#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "tests/support/temp_dir.h"

namespace fieldpost {
namespace {

BOOST_AUTO_TEST_SUITE(shared_metrics)

// What one process adds, another sees: the counters of every server on a
// directory add up.
BOOST_AUTO_TEST_CASE(processes_on_one_directory_add_to_the_same_counters) {
  testing::TempDir dir;
  auto mine = SharedMetrics::Open(dir.path(), 42);
  BOOST_REQUIRE(mine.ok());
  RecordRequest((*mine)->counters(), 0, 200);
  const pid_t child = fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    auto theirs = SharedMetrics::Open(dir.path(), 42);
    if (!theirs.ok()) _exit(1);
    for (int i = 0; i < 1000; ++i) RecordRequest((*theirs)->counters(), 0, 200);
    _exit(0);
  }
  for (int i = 0; i < 1000; ++i) RecordRequest((*mine)->counters(), 0, 200);
  int status = 0;
  BOOST_REQUIRE(waitpid(child, &status, 0) == child);
  BOOST_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  BOOST_TEST((*mine)->counters().requests[0][0].load() == 2001u);

  // Another layout (another build's routes) keeps counters of its own.
  auto other = SharedMetrics::Open(dir.path(), 43);
  BOOST_REQUIRE(other.ok());
  BOOST_TEST((*other)->counters().requests[0][0].load() == 0u);
  BOOST_TEST(std::filesystem::exists(dir / "metrics-000000000000002b"));
}

BOOST_AUTO_TEST_CASE(a_directory_it_cannot_write_is_an_error) {
  auto opened = SharedMetrics::Open("/nonexistent/fieldpost", 1);
  BOOST_TEST(!opened.ok());
  BOOST_TEST(opened.status().message().find("/nonexistent/fieldpost/metrics-") !=
             std::string::npos);
  BOOST_TEST(SharedMetrics::Private()->counters().batches.load() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
