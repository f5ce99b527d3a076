#include "app/server_config.h"

#define BOOST_TEST_MODULE fieldpost app unit tests
#include <boost/test/unit_test.hpp>

#include "tests/support/temp_dir.h"

namespace fieldpost {
namespace {

using testing::TempDir;
using testing::WriteFile;

Status LoadText(const TempDir& dir, const std::string& text, ServerConfig& config) {
  WriteFile(dir / "fieldpost.conf", text);
  return LoadConfigFile(dir / "fieldpost.conf", config);
}

BOOST_AUTO_TEST_SUITE(server_config)

BOOST_AUTO_TEST_CASE(the_shipped_sample_lists_every_setting_with_its_default) {
  ServerConfig loaded;
  loaded.httpd.threads = 1;  // so the sample must set it back
  const Status status =
      LoadConfigFile(std::string(FIELDPOST_SOURCE_DIR) + "/conf/fieldpost.conf", loaded);
  BOOST_REQUIRE_MESSAGE(status.ok(), status.message());
  BOOST_TEST(ShowConfig(loaded) == ShowConfig(ServerConfig{}));
  const std::string sample =
      testing::ReadFile(std::string(FIELDPOST_SOURCE_DIR) + "/conf/fieldpost.conf");
  for (const Setting& setting : Settings()) {
    BOOST_TEST(sample.find("\n" + std::string(setting.key) + " =") != std::string::npos,
               setting.key);
  }
}

BOOST_AUTO_TEST_CASE(values_are_parsed_and_checked) {
  TempDir dir;
  ServerConfig config;
  BOOST_REQUIRE(LoadText(dir,
                         "# comment\n\n  data = /var/lib/fieldpost  \nserve.listen=127.0.0.1:9\n"
                         "fcgi.socket_mode = 0600\r\nstorage.initial_map_mib = 2\n",
                         config)
                    .ok());
  BOOST_TEST(config.storage.data_dir == "/var/lib/fieldpost");
  BOOST_TEST(config.httpd.listen == "127.0.0.1:9");
  BOOST_TEST(config.fcgi.socket_mode == 0600u);
  BOOST_TEST(config.storage.initial_map_bytes == 2u << 20);
}

BOOST_AUTO_TEST_CASE(errors_name_the_file_and_line) {
  TempDir dir;
  const std::string file = dir / "fieldpost.conf";
  const std::pair<std::string, std::string> cases[] = {
      {"data = x\nbogus = 1\n", file + ":2: unknown key 'bogus'"},
      {"data = x\ndata = y\n", file + ":2: 'data' is set twice"},
      {"\n\nserve.threads = 1025\n", file + ":3: serve.threads: expected a number from 0 to 1024"},
      {"fcgi.socket_mode = 9\n", file + ":1: fcgi.socket_mode: expected a number"},
      {"max_body = big\n", file + ":1: max_body: expected a number"},
      {"just words\n", file + ":1: expected key = value"},
  };
  for (const auto& [text, expected] : cases) {
    ServerConfig config;
    const Status status = LoadText(dir, text, config);
    BOOST_TEST(!status.ok(), text);
    BOOST_TEST(status.message().starts_with(expected), status.message());
  }
  ServerConfig config;
  BOOST_TEST(!LoadConfigFile(dir / "missing.conf", config).ok());
}

// Each key is valid alone; only together are they contradictory, and the
// message must say which keys to change.
BOOST_AUTO_TEST_CASE(max_map_below_initial_map_is_refused) {
  BOOST_TEST(ValidateConfig(ServerConfig{}).ok());
  TempDir dir;
  ServerConfig config;
  BOOST_REQUIRE(
      LoadText(dir, "storage.initial_map_mib = 64\nstorage.max_map_mib = 32\n", config).ok());
  const Status status = ValidateConfig(config);
  BOOST_TEST(!status.ok());
  BOOST_TEST(status.message().find("storage.max_map_mib") != std::string::npos, status.message());
  BOOST_TEST(status.message().find("storage.initial_map_mib") != std::string::npos,
             status.message());
}

BOOST_AUTO_TEST_CASE(data_or_database_but_not_both) {
  TempDir dir;
  ServerConfig config;
  BOOST_REQUIRE(LoadText(dir, "database = postgresql://fp:secret@db1,db2/fp\n", config).ok());
  BOOST_TEST(config.storage.uses_database());
  // The password is not shown back.
  const std::string shown = ShowConfig(config);
  BOOST_TEST(shown.find("secret") == std::string::npos);
  BOOST_TEST(shown.find("database = postgresql://fp:***@db1,db2/fp\n") != std::string::npos);
  BOOST_TEST(shown.find("\ndata =") == std::string::npos);

  ServerConfig both;
  const Status refused = LoadText(dir, "data = /srv/fp\ndatabase = postgresql://h/fp\n", both);
  BOOST_TEST(!refused.ok());
  BOOST_TEST(refused.message().find("not both") != std::string::npos, refused.message());

  ServerConfig empty;
  BOOST_REQUIRE(LoadText(dir, "data = /srv/fp\ndatabase =\n", empty).ok());
  BOOST_TEST(!empty.storage.uses_database());

  ServerConfig not_uri;
  const Status bad = LoadText(dir, "database = host=db password=hunter2\n", not_uri);
  BOOST_TEST(!bad.ok());
  BOOST_TEST(bad.message().find("hunter2") == std::string::npos, bad.message());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
