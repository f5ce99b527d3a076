// /metrics as a monitoring setup scrapes it: off unless configured, and
// with several servers on one data directory, any of them shows what all
// of them did.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(off_by_default_it_is_an_unknown_path) {
  TempDir dir;
  ServeProcess server(dir);
  const HttpReply reply = Get(server.port(), "/metrics");
  BOOST_TEST(reply.status == 404);
  BOOST_TEST(reply.body == Get(server.port(), "/no-such-page").body);
}

BOOST_AUTO_TEST_CASE(two_servers_on_one_directory_count_together) {
  TempDir dir;
  const std::string data = dir / "data";
  WriteFile(dir / "fieldpost.conf", "metrics = true\n");
  ServeProcess first(dir, {"--config", dir / "fieldpost.conf"});
  ServeProcess second(dir, {"--config", dir / "fieldpost.conf"});
  const ChannelKeys channel = CreateChannel(data, "counted", {"--public"});
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST(Get(first.port(), "/update?api_key=" + channel.write_key + "&field1=1").status ==
               200);
  }
  BOOST_TEST(Get(second.port(), "/update?api_key=" + channel.write_key + "&field1=2").status ==
             200);
  BOOST_TEST(Get(second.port(), "/update?api_key=WRONG&field1=2").body == "0");
  BOOST_TEST(Get(first.port(), "/channels/1/feeds.json").status == 200);

  const HttpReply reply = Get(second.port(), "/metrics");
  BOOST_REQUIRE_EQUAL(reply.status, 200);
  BOOST_TEST(reply.Header("content-type") == "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = reply.body;
  BOOST_TEST(Has(text, "fieldpost_requests_total{route=\"/update\",status=\"200\"} 4"), text);
  BOOST_TEST(Has(text, "fieldpost_requests_total{route=\"/update\",status=\"400\"} 1"), text);
  BOOST_TEST(
      Has(text, "fieldpost_requests_total{route=\"/channels/:channel/feeds\",status=\"200\"} 1"),
      text);
  // The refused update too went through a commit (its key is checked
  // inside the write transaction).
  BOOST_TEST(Has(text, "fieldpost_write_batches_total 5"), text);
  BOOST_TEST(Has(text, "fieldpost_write_batch_size_count 5"), text);
  BOOST_TEST(Has(text, "fieldpost_commit_seconds_count 5"), text);
  BOOST_TEST(Has(text, "fieldpost_channels 1"), text);
  BOOST_TEST(Has(text, "fieldpost_entries 4"), text);
}

// `truncate -s 0 metrics-*` under a running server: it answers on, counts
// alone, and says so once in its log.
BOOST_AUTO_TEST_CASE(a_metrics_file_truncated_under_a_server_is_logged_not_fatal) {
  TempDir dir;
  const std::string data = dir / "data";
  WriteFile(dir / "fieldpost.conf", "metrics = true\n");
  ServeProcess server(dir, {"--config", dir / "fieldpost.conf"});
  const ChannelKeys channel = CreateChannel(data, "counted");
  const std::string update = "/update?api_key=" + channel.write_key + "&field1=1";
  BOOST_REQUIRE(Get(server.port(), update).status == 200);
  const std::vector<std::string> files = FilesStartingWith(data, "metrics-");
  BOOST_REQUIRE_EQUAL(files.size(), 1u);
  std::filesystem::resize_file(files[0], 0);
  for (int i = 0; i < 3; ++i) BOOST_TEST(Get(server.port(), update).status == 200);
  const HttpReply reply = Get(server.port(), "/metrics");
  BOOST_REQUIRE_EQUAL(reply.status, 200);
  BOOST_TEST(Has(reply.body, "fieldpost_requests_total{route=\"/update\",status=\"200\"} 3"),
             reply.body);
  const std::string log = server.log();
  const auto said = log.find("was truncated while in use");
  BOOST_TEST(said != std::string::npos, log);
  BOOST_TEST(log.find("was truncated while in use", said + 1) == std::string::npos, log);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
