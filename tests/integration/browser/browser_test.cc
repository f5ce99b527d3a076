// The live channel page in a real headless Chromium, served by
// `fieldpost serve` and by nginx in front of `fieldpost fcgi` under a
// prefix. The servers and channels are made here; channel_page.mjs drives
// the browser (playwright-core from npm, Debian's /usr/bin/chromium) and
// leaves its screenshots in the build tree.
#define BOOST_TEST_MODULE fieldpost browser tests
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "tests/integration/cli.h"
#include "tests/integration/nginx_fixture.h"
#ifdef FIELDPOST_NGINX_MODULE_PATH
#include "tests/module/apache_module_fixture.h"
#include "tests/module/nginx_module_fixture.h"
#endif
#include "tests/integration/serve_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

const std::string kScriptDir = std::string(FIELDPOST_SOURCE_DIR) + "/tests/integration/browser";

struct Channels {
  ChannelKeys open;      // public, named fields
  ChannelKeys locked;    // private
  std::string user_key;  // the owner of `open`
};

std::string UtcTime(std::chrono::system_clock::time_point at) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &parts);
  return text;
}

Channels MakeChannels(const std::string& data_dir) {
  const std::string user_key = CreateUser(data_dir, "gardener");
  return {CreateChannel(data_dir, "Garden weather",
                        {"--user", "gardener", "--public", "--description",
                         "Temperature and humidity by the shed", "--field1", "Temperature",
                         "--field2", "Humidity"}),
          CreateChannel(data_dir, "Cellar sensor", {"--field1", "Temperature"}), user_key};
}

// Readings through the bulk API: one a minute for the last half hour, and
// one each 2 hours, 3 days and 10 days ago, so that every chart window
// holds a different number; and one reading on the private channel.
void PostHistory(std::uint16_t port, const std::string& prefix, const Channels& channels) {
  using std::chrono::hours;
  using std::chrono::minutes;
  const auto now = std::chrono::system_clock::now();
  std::vector<std::chrono::system_clock::time_point> times = {now - hours(240), now - hours(72),
                                                              now - hours(2)};
  for (int minute = 30; minute >= 1; --minute) times.push_back(now - minutes(minute));
  std::string updates;
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (!updates.empty()) updates += ",";
    updates += "{\"created_at\":\"" + UtcTime(times[i]) + "\",\"field1\":\"" +
               std::to_string(18 + i % 7) + ".5\",\"field2\":\"" + std::to_string(40 + i % 11) +
               "\"}";
  }
  const HttpReply bulk =
      Post(port, prefix + "/channels/" + std::to_string(channels.open.id) + "/bulk_update.json",
           "{\"write_api_key\":\"" + channels.open.write_key + "\",\"updates\":[" + updates + "]}",
           {}, "application/json");
  BOOST_REQUIRE_MESSAGE(bulk.status == 202, bulk.raw.substr(0, 300));
  const HttpReply cellar =
      Get(port, prefix + "/update?api_key=" + channels.locked.write_key + "&field1=11.25");
  BOOST_REQUIRE_MESSAGE(cellar.body == "1", cellar.raw.substr(0, 300));
}

// Runs channel_page.mjs against `base`; its output is the test's message.
void RunBrowser(const std::string& base, const std::string& name, const Channels& channels) {
  BOOST_REQUIRE_MESSAGE(access(FIELDPOST_NODE, X_OK) == 0,
                        "node is not installed (scripts/install-deps test installs it)");
  BOOST_REQUIRE_MESSAGE(access((kScriptDir + "/node_modules/playwright-core").c_str(), F_OK) == 0,
                        "playwright-core is missing: npm ci --prefix tests/integration/browser "
                        "(scripts/test runs it)");
  const std::string out = std::string(FIELDPOST_ARTIFACT_DIR) + "/" + name;
  std::string output;
  const int status = RunCommand({FIELDPOST_NODE, kScriptDir + "/channel_page.mjs", base, out,
                                 std::to_string(channels.open.id), channels.open.write_key,
                                 std::to_string(channels.locked.id), channels.locked.read_key,
                                 channels.locked.name, channels.user_key},
                                output);
  BOOST_TEST_MESSAGE(name << ": " << output);
  BOOST_TEST(status == 0, name << " browser checks failed:\n" << output);
  for (const char* shot : {"home", "channel-after-update", "channel-phone", "private-without-key",
                           "private-with-key"}) {
    struct stat info {};
    const std::string path = out + "/" + shot + ".png";
    BOOST_TEST((stat(path.c_str(), &info) == 0 && info.st_size > 1000), "no screenshot " << path);
  }
}

BOOST_AUTO_TEST_SUITE(channel_page)

BOOST_AUTO_TEST_CASE(standalone_server) {
  TempDir dir;
  ServeProcess serve(dir);
  const Channels channels = MakeChannels(dir / "data");
  PostHistory(serve.port(), "", channels);
  RunBrowser("http://127.0.0.1:" + std::to_string(serve.port()) + "/", "standalone", channels);
}

BOOST_AUTO_TEST_CASE(nginx_and_fcgi_under_a_prefix) {
  NginxFcgiFixture nginx;
  const Channels channels = MakeChannels(nginx.data_dir());
  PostHistory(nginx.port(), "/iot", channels);
  RunBrowser("http://127.0.0.1:" + std::to_string(nginx.port()) + "/iot/", "nginx", channels);
}

#ifdef FIELDPOST_NGINX_MODULE_PATH
BOOST_AUTO_TEST_CASE(nginx_module_under_a_prefix) {
  NginxModuleFixture nginx;
  const Channels channels = MakeChannels(nginx.data_dir());
  PostHistory(nginx.port(), "/iot", channels);
  RunBrowser("http://127.0.0.1:" + std::to_string(nginx.port()) + "/iot/", "nginx-module",
             channels);
}
#endif

#ifdef FIELDPOST_APACHE_MODULE_PATH
BOOST_AUTO_TEST_CASE(apache_module_under_a_prefix) {
  ApacheModuleFixture apache;
  const Channels channels = MakeChannels(apache.data_dir());
  PostHistory(apache.port(), "/iot", channels);
  RunBrowser("http://127.0.0.1:" + std::to_string(apache.port()) + "/iot/", "apache-module",
             channels);
}
#endif

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
