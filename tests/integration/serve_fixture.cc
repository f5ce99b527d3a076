#include "tests/integration/serve_fixture.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <regex>

namespace fieldpost::testing {

namespace {

std::vector<std::string> ServeArgv(const TempDir& dir, const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {FIELDPOST_BINARY, "serve", "--listen", "127.0.0.1:0"};
  // --database in `extra` replaces the directory.
  if (std::find(extra.begin(), extra.end(), "--database") == extra.end()) {
    argv.insert(argv.end(), {"--data", dir / "data"});
  }
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

}  // namespace

ServeProcess::ServeProcess(const TempDir& dir, const std::vector<std::string>& extra,
                           std::optional<std::vector<std::string>> environment)
    : log_(dir / ("serve" + std::to_string(++starts_) + ".log")),
      process_(ServeArgv(dir, extra), dir / "serve.out", log_, std::move(environment)) {
  const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)/");
  std::smatch match;
  const bool ready = WaitFor(
      [&] {
        const std::string text = ReadFile(log_);
        if (!std::regex_search(text, match, listening)) return false;
        port_ = static_cast<std::uint16_t>(std::stoi(match[1]));
        return true;
      },
      std::chrono::seconds(20));
  BOOST_REQUIRE_MESSAGE(ready, "serve did not start: " << ReadFile(log_));
}

}  // namespace fieldpost::testing
