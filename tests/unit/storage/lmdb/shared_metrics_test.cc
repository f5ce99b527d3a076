#include "storage/lmdb/shared_metrics.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <functional>
#include <string>

#include "tests/support/temp_dir.h"

namespace fieldpost {
namespace {

// Runs `body` in a child process (which may die of a signal without
// taking the test runner down) and returns its exit code, or 128 + the
// signal that ended it.
int InChild(const std::function<int()>& body) {
  const pid_t child = fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) _exit(body());
  int status = 0;
  BOOST_REQUIRE(waitpid(child, &status, 0) == child);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

const char* const kFile = "metrics-000000000000002a";  // layout 42

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

// Someone runs `truncate -s 0 metrics-*` under running servers: each goes
// on, counting alone, instead of dying of SIGBUS at its next request.
BOOST_AUTO_TEST_CASE(a_file_truncated_while_mapped_leaves_the_process_counting_alone) {
  testing::TempDir dir;
  const int exit_code = InChild([&] {
    auto metrics = SharedMetrics::Open(dir.path(), 42);
    if (!metrics.ok()) return 1;
    RecordRequest((*metrics)->counters(), 0, 200);
    if (!(*metrics)->shared()) return 2;
    if (truncate((dir / kFile).c_str(), 0) != 0) return 3;
    RecordRequest((*metrics)->counters(), 0, 200);
    RecordBatch((*metrics)->counters(), 3, std::chrono::microseconds(10), true);
    const bool counted_alone = (*metrics)->counters().requests[0][0].load() == 1u &&
                               (*metrics)->counters().batch_operations.load() == 3u;
    return counted_alone && !(*metrics)->shared() ? 0 : 4;
  });
  BOOST_TEST(exit_code == 0);
  // The next process does not map the short file, and says why.
  auto next = SharedMetrics::Open(dir.path(), 42);
  BOOST_REQUIRE(!next.ok());
  BOOST_TEST(
      next.status().message().find("is not a whole fieldpost metrics file") != std::string::npos,
      next.status().message());
}

// A file the counters did not make is never read as counters.
BOOST_AUTO_TEST_CASE(a_short_empty_or_garbage_file_is_not_used) {
  testing::TempDir model;
  BOOST_REQUIRE(SharedMetrics::Open(model.path(), 42).ok());
  const auto whole = std::filesystem::file_size(model / kFile);
  std::string garbage(whole, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>(i * 7919 + 13);
  for (const std::string& content :
       {std::string(), std::string(100, '\0'), std::string(whole, '\0'), garbage, garbage + "x"}) {
    testing::TempDir dir;
    testing::WriteFile(dir / kFile, content);
    auto opened = SharedMetrics::Open(dir.path(), 42);
    BOOST_TEST(!opened.ok(), content.size() << " bytes used");
    if (!opened.ok()) {
      BOOST_TEST(opened.status().message().find("delete it while no server runs") !=
                 std::string::npos);
    }
    BOOST_TEST(testing::ReadFile(dir / kFile) == content);  // left for the operator
  }
}

// Written whole before anyone maps it: a full disk cannot fail a later
// write into the mapping, and every server user can add to it.
BOOST_AUTO_TEST_CASE(the_file_is_created_whole_and_shared_with_the_group) {
  testing::TempDir dir;
  BOOST_REQUIRE(SharedMetrics::Open(dir.path(), 42).ok());
  struct stat info {};
  BOOST_REQUIRE(stat((dir / kFile).c_str(), &info) == 0);
  BOOST_TEST((info.st_mode & 0777) == 0660u);
  const int fd = open((dir / kFile).c_str(), O_RDONLY);
  BOOST_REQUIRE(fd >= 0);
  BOOST_TEST(lseek(fd, 0, SEEK_HOLE) == info.st_size);  // no hole before its end
  close(fd);
  // No room for it: an error, no file, no leftover.
  std::filesystem::create_directories(dir / "full");
  const int exit_code = InChild([&] {
    signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) return 1;
    auto opened = SharedMetrics::Open((dir / "full").c_str(), 42);
    return !opened.ok() && opened.status().message().find("cannot write") != std::string::npos ? 0
                                                                                               : 2;
  });
  BOOST_TEST(exit_code == 0);
  BOOST_TEST(std::filesystem::is_empty(dir / "full"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
