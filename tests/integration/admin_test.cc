// The admin commands as a sysadmin runs them by habit: with a typo in
// --data, or as root on the service's data directory.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>

#include "tests/integration/cli.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(admin)

// A mistyped command says which word is wrong and what was meant.
BOOST_AUTO_TEST_CASE(a_mistyped_command_is_named_with_what_was_meant) {
  std::string output;
  BOOST_TEST(RunCommand({FIELDPOST_BINARY, "chanel", "list"}, output) != 0);
  BOOST_TEST(output.find("fieldpost: 'chanel' is not a command; did you mean 'channel'?") !=
                 std::string::npos,
             output);
  BOOST_TEST(RunCommand({FIELDPOST_BINARY, "channel", "lst"}, output) != 0);
  BOOST_TEST(output.find("fieldpost channel: 'lst' is not a command; did you mean 'list'?") !=
                 std::string::npos,
             output);
  BOOST_TEST(RunCommand({FIELDPOST_BINARY, "serve", "--help"}, output) == 0);
  BOOST_TEST(output.find("--threads N") != std::string::npos, output);
  BOOST_TEST(output.find("two per CPU") != std::string::npos, output);
}

BOOST_AUTO_TEST_CASE(a_missing_data_directory_is_refused_not_created) {
  TempDir dir;
  const std::string typo = dir / "typo-dir";
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{{"channel", "list"},
                                             {"channel", "create", "--name", "x"},
                                             {"channel", "show", "1"},
                                             {"channel", "update", "1", "--name", "y"},
                                             {"channel", "keys", "1", "--regenerate", "write"},
                                             {"channel", "clear", "1", "--yes"},
                                             {"channel", "delete", "1", "--yes"},
                                             {"user", "create", "alice"},
                                             {"user", "list"},
                                             {"user", "show", "alice"},
                                             {"user", "key", "alice", "--regenerate"},
                                             {"user", "delete", "alice", "--yes"},
                                             {"backup", "--to", dir / "b.mdb"}}) {
    std::vector<std::string> argv = {FIELDPOST_BINARY};
    argv.insert(argv.end(), command.begin(), command.end());
    argv.insert(argv.end(), {"--data", typo});
    std::string output;
    BOOST_TEST(RunCommand(argv, output) != 0, command[0] << " " << command[1]);
    BOOST_TEST((output.find("data directory " + typo) != std::string::npos ||
                output.find("no database in " + typo) != std::string::npos),
               output);
    BOOST_TEST(!std::filesystem::exists(typo), command[0] << " " << command[1] << " created it");
  }
}

// Run as root on a directory the service owns (the package's
// /var/lib/fieldpost), a command must leave no file the service cannot
// open: it acts as the directory's owner.
BOOST_AUTO_TEST_CASE(run_as_root_it_creates_files_the_owner_can_use) {
  if (geteuid() != 0) {
    BOOST_REQUIRE_MESSAGE(std::getenv("CI") == nullptr, "this test needs root under CI");
    BOOST_TEST_MESSAGE("not root: skipped");
    return;
  }
  const passwd* nobody = getpwnam("nobody");
  BOOST_REQUIRE(nobody != nullptr);
  TempDir dir;
  const std::string data = dir / "data";
  std::filesystem::create_directories(data);
  // The service user must reach the directory through its parents.
  chmod(dir.path().c_str(), 0755);
  BOOST_REQUIRE(chown(data.c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
  std::string output;
  BOOST_TEST(RunCommand({FIELDPOST_BINARY, "channel", "create", "--data", data, "--name", "x"},
                        output) == 0,
             output);
  BOOST_TEST(RunCommand({FIELDPOST_BINARY, "channel", "list", "--data", data}, output) == 0,
             output);
  for (const char* name : {"data.mdb", "lock.mdb"}) {
    struct stat file {};
    BOOST_REQUIRE(stat((data + "/" + name).c_str(), &file) == 0);
    BOOST_TEST(file.st_uid == nobody->pw_uid, name << " is owned by uid " << file.st_uid);
  }
}

// A channel made without --user can be managed all the same: settings,
// owner, keys, entries, and at last the channel and its user.
BOOST_AUTO_TEST_CASE(every_channel_and_user_can_be_managed_from_the_command_line) {
  TempDir dir;
  const std::string data = dir / "data";
  CreateUser(data, "alice");
  const ChannelKeys channel = CreateChannel(data, "orphan");
  const std::string id = std::to_string(channel.id);
  std::string output;
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), FIELDPOST_BINARY);
    args.insert(args.end(), {"--data", data});
    return RunCommand(args, output);
  };

  BOOST_REQUIRE_MESSAGE(run({"channel", "update", id, "--name", "garden", "--public", "--field2",
                             "wind", "--owner", "alice", "--json"}) == 0,
                        output);
  BOOST_TEST(output.find("\"name\":\"garden\"") != std::string::npos, output);
  BOOST_TEST(output.find("\"owner\":\"alice\"") != std::string::npos, output);
  BOOST_TEST(output.find("\"public\":true") != std::string::npos, output);
  BOOST_TEST(output.find("\"field2\":\"wind\"") != std::string::npos, output);
  // Checked as the channel API checks it, and nothing changes.
  BOOST_TEST(run({"channel", "update", id, "--latitude", "200"}) != 0);
  BOOST_TEST(output.find("latitude") != std::string::npos, output);

  BOOST_REQUIRE_MESSAGE(run({"channel", "keys", id, "--regenerate", "write", "--json"}) == 0,
                        output);
  BOOST_TEST(output.find(channel.write_key) == std::string::npos,
             "the old write key is still there");
  BOOST_TEST(output.find(channel.read_key) != std::string::npos, output);

  BOOST_TEST(run({"user", "delete", "alice", "--yes"}) != 0);
  BOOST_TEST(output.find("owns channels " + id) != std::string::npos, output);
  BOOST_REQUIRE_MESSAGE(run({"channel", "delete", id, "--yes"}) == 0, output);
  BOOST_TEST(ListChannels(data).empty());
  BOOST_REQUIRE_MESSAGE(run({"user", "key", "alice", "--regenerate", "--json"}) == 0, output);
  BOOST_REQUIRE_MESSAGE(run({"user", "delete", "alice", "--yes"}) == 0, output);
  BOOST_TEST(run({"user", "list", "--json"}) == 0);
  BOOST_TEST(output.find("{\"users\":[]}") != std::string::npos, output);
  // Destructive commands want --yes.
  BOOST_TEST(run({"channel", "clear", "1"}) != 0);
  BOOST_TEST(output.find("--yes is required") != std::string::npos, output);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
