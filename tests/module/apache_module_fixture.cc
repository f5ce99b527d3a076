#include "tests/module/apache_module_fixture.h"

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/store_location.h"

namespace fieldpost::testing {

ApacheModuleFixture::ApacheModuleFixture(const std::string& mpm, const std::string& extra,
                                         const std::string& data_dir)
    : data_dir_(data_dir.empty() ? dir_ / "data" : data_dir) {
  const bool database = IsDatabaseUri(data_dir_);
  if (!database) std::filesystem::create_directories(data_dir_);
  if (geteuid() == 0 && !database) {
    // Apache's children run as www-data: the data directory is theirs,
    // as docs/deploy/apache-module.md says to make it.
    std::string output;
    BOOST_REQUIRE_MESSAGE(RunCommand({"/usr/bin/chown", "-R", "www-data:", data_dir_}, output) == 0,
                          output);
  }
  apache_ = std::make_unique<ApacheServer>(
      dir_, std::vector<std::string>{"mpm_" + mpm, "authz_core", "mime"},
      "LoadModule fieldpost_module " + std::string(FIELDPOST_APACHE_MODULE_PATH) +
          (database ? "\nFieldpostDatabase " : "\nFieldpostData ") + data_dir_ +
          "\n<Location />\n  SetHandler fieldpost\n  Require all granted\n</Location>\n"
          "<Location /iot>\n  SetHandler fieldpost\n  Require all granted\n</Location>\n" +
          extra);
}

}  // namespace fieldpost::testing
