// The admin commands as a sysadmin runs them by habit: with a typo in
// --data, or as root on the service's data directory.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(admin)

BOOST_AUTO_TEST_CASE(a_missing_data_directory_is_refused_not_created) {
  TempDir dir;
  const std::string typo = dir / "typo-dir";
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"channel", "list"},
        std::vector<std::string>{"channel", "create", "--name", "x"},
        std::vector<std::string>{"user", "create", "alice"}}) {
    std::vector<std::string> argv = {FIELDPOST_BINARY};
    argv.insert(argv.end(), command.begin(), command.end());
    argv.insert(argv.end(), {"--data", typo});
    std::string output;
    BOOST_TEST(RunCommand(argv, output) != 0, command[0] << " " << command[1]);
    BOOST_TEST(output.find("data directory " + typo) != std::string::npos, output);
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

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
