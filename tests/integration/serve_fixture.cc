#include "tests/integration/serve_fixture.h"

#include <boost/test/unit_test.hpp>
#include <regex>

namespace fieldpost::testing {

ServeProcess::ServeProcess(const TempDir& dir)
    : log_(dir / ("serve" + std::to_string(++starts_) + ".log")),
      process_({FIELDPOST_BINARY, "serve", "--data", dir / "data", "--listen", "127.0.0.1:0"},
               dir / "serve.out", log_) {
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
