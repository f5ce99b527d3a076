// A power cut in the middle of writes loses no acknowledged write. A kill -9
// (kill_test.cc) leaves the kernel's page cache, so it cannot tell a write
// answered before it reached the disk; a power cut can. serve runs with a
// library that journals every write and flush of data.mdb
// (tests/support/write_journal_preload.cc) and is killed while 16 clients
// write; then data directories are built as the disk could hold them
// (tests/support/write_journal.h): every write a finished flush covered,
// and of the rest none, or a random half. Each must open and hold every
// acknowledged write under its entry id. The same library can make flushes
// fail, as a failing disk does.
#include <signal.h>
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/integration/write_load.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"
#include "tests/support/write_journal.h"

extern char** environ;

namespace fieldpost::testing {
namespace {

// This process's environment, with serve's writes journaled to `journal`.
std::vector<std::string> JournaledEnvironment(const std::string& journal) {
  std::vector<std::string> environment;
  std::string asan_options = "ASAN_OPTIONS=";
  for (char** variable = environ; *variable != nullptr; ++variable) {
    const std::string entry = *variable;
    if (entry.starts_with("ASAN_OPTIONS=")) {
      asan_options = entry + ":";
    } else if (!entry.starts_with("LD_PRELOAD=")) {
      environment.push_back(entry);
    }
  }
  environment.push_back(std::string("LD_PRELOAD=") + FIELDPOST_WRITE_JOURNAL_LIBRARY);
  environment.push_back("FIELDPOST_WRITE_JOURNAL=" + journal);
  // The journal library comes before AddressSanitizer's runtime in a
  // sanitized build, which the runtime would otherwise refuse.
  environment.push_back(asan_options + "verify_asan_link_order=0");
  return environment;
}

// A directory holding `image` as its data.mdb.
void MakeDataDirectory(const std::string& dir, const std::string& image) {
  std::filesystem::create_directories(dir);
  std::filesystem::rename(image, dir + "/data.mdb");
}

BOOST_AUTO_TEST_SUITE(power_cut)

BOOST_AUTO_TEST_CASE(loses_no_acknowledged_write) {
  // A cut between flushes leaves nothing to lose, so the run is repeated
  // (a few times at most) until one cut falls where writes were waiting
  // for a flush: the moment the test is about.
  bool cut_between_write_and_flush = false;
  for (int run = 1; run <= 5 && !cut_between_write_and_flush; ++run) {
    TempDir dir;
    const ChannelKeys channel = CreateChannel(dir / "data", "cut", {"--public"});
    // What is on disk before serve starts: the admin command's commit is
    // flushed before it returns.
    std::filesystem::copy_file(dir / "data/data.mdb", dir / "base.mdb");
    std::vector<Write> acknowledged;
    {
      ServeProcess server(dir, {}, JournaledEnvironment(dir / "journal"));
      acknowledged = WriteUntilStruck(server.port(), channel.write_key,
                                      [&] { server.process().Signal(SIGKILL); });
      const auto status = server.process().Wait(std::chrono::seconds(10));
      BOOST_REQUIRE_MESSAGE(status.has_value(), "the killed server did not end");
      BOOST_REQUIRE_MESSAGE((WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL),
                            "serve ended before the cut: " << server.log());
    }
    BOOST_REQUIRE_MESSAGE(!acknowledged.empty(), "no write was acknowledged before the cut");
    const std::vector<JournalWrite> writes = ReadWriteJournal(dir / "journal");
    std::size_t unflushed = 0;
    for (const JournalWrite& write : writes) unflushed += write.durable ? 0 : 1;
    BOOST_TEST_MESSAGE("run " << run << ": " << acknowledged.size() << " acknowledged, "
                              << writes.size() << " writes journaled, " << unflushed
                              << " not yet flushed at the cut");
    cut_between_write_and_flush = unflushed > 0;

    // The harshest image: no write after the last flush reached the disk.
    BuildPowerCutImage(
        dir / "base.mdb", writes, [](std::size_t) { return false; }, dir / "image");
    MakeDataDirectory(dir / "none-kept", dir / "image");
    RequireEveryWriteStored(dir / "none-kept", channel.id, acknowledged);
    // The disk writes back dirty pages in any order: some reached it.
    for (unsigned seed = 1; seed <= 3; ++seed) {
      std::mt19937 random(seed);
      BuildPowerCutImage(
          dir / "base.mdb", writes, [&](std::size_t) { return random() % 2 == 0; }, dir / "image");
      const std::string image_dir = dir / ("half-kept-" + std::to_string(seed));
      MakeDataDirectory(image_dir, dir / "image");
      RequireEveryWriteStored(image_dir, channel.id, acknowledged);
    }
  }
  BOOST_TEST(cut_between_write_and_flush,
             "no cut fell while writes waited for a flush: the test proved nothing");
}

// A disk that fails a flush: the writes it would have made durable are
// answered 503 saying they may or may not be stored, a write whose own
// commit cannot flush is refused, and serve goes on; once the disk
// recovers, writes are stored again after the one whose flush failed.
BOOST_AUTO_TEST_CASE(a_failed_flush_is_answered_and_serve_goes_on) {
  TempDir dir;
  const ChannelKeys channel = CreateChannel(dir / "data", "failing", {"--public"});
  // No background pruning pass, whose commit would take a flush.
  WriteFile(dir / "fieldpost.conf", "storage.prune_interval_s = 0\n");
  std::vector<std::string> environment = JournaledEnvironment(dir / "journal");
  environment.push_back("FIELDPOST_FAIL_FLUSHES=" + (dir / "fail"));
  ServeProcess server(dir, {"--config", dir / "fieldpost.conf"}, environment);
  const auto write = [&](const std::string& value) {
    return Get(server.port(), "/update?api_key=" + channel.write_key + "&field1=" + value);
  };
  BOOST_REQUIRE_EQUAL(write("10").body, "1");

  // The disk takes one more flush, then fails: the next write's commit
  // flushes its pages, and the flush of its meta page fails.
  WriteFile(dir / "fail", "1\n");
  const HttpReply unsure = write("20");
  BOOST_TEST(unsure.status == 503, unsure.raw);
  BOOST_TEST(unsure.body == "0");
  BOOST_TEST(
      unsure.Header("X-Fieldpost-Error").find("may or may not be stored") != std::string::npos,
      unsure.raw);
  // A commit that cannot flush its own pages stores nothing.
  const HttpReply refused = write("30");
  BOOST_TEST(refused.status == 500, refused.raw);
  BOOST_TEST(refused.body == "0");
  const HttpReply read =
      Get(server.port(), "/channels/" + std::to_string(channel.id) + "/fields/1/last.txt");
  BOOST_TEST(read.status == 200, "reads go on: " << read.raw);

  std::filesystem::remove(dir / "fail");
  // Entry 2 was committed; only its flush failed.
  BOOST_TEST(write("40").body == "3");
  BOOST_TEST(server.log().find("flushing committed writes to disk failed") != std::string::npos,
             server.log());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
