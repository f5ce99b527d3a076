// mod_fieldpost in a real Apache: the API scenario at the root and under
// a prefix under each MPM, the Arduino replays, and no acknowledged write
// lost to a graceful restart in the middle of writes.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/api_scenario.h"
#include "tests/integration/arduino_replay.h"
#include "tests/integration/cli.h"
#include "tests/integration/write_load.h"
#include "tests/module/apache_module_fixture.h"
#include "tests/module/same_replies.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(apache_module)

BOOST_AUTO_TEST_CASE(api_at_the_root_and_under_a_prefix_under_each_mpm) {
  for (const char* mpm : {"event", "worker", "prefork"}) {
    BOOST_TEST_CONTEXT("mpm_" << mpm) {
      ApacheModuleFixture apache(mpm);
      PrepareScenarioData(apache.data_dir());
      RunApiScenario({apache.port(), "", apache.data_dir()});
      RunApiScenario({apache.port(), "/iot", apache.data_dir()});
      RunDirectoryScenario({apache.port(), "", apache.data_dir()});
      RunDirectoryScenario({apache.port(), "/iot", apache.data_dir()});
    }
  }
}

// The library's 1.0 sends bare LF line endings, which Apache refuses (400)
// unless told otherwise, as docs/deploy/apache-module.md says.
BOOST_AUTO_TEST_CASE(arduino_library_replays) {
  ApacheModuleFixture apache("event", "HttpProtocolOptions Unsafe\n");
  RunArduinoReplay(apache.port(), apache.data_dir());
}

// Both serve one data directory at once; every reply must be the one
// Apache → proxy_fcgi → fcgi gives, byte for byte, Date and entry ids aside.
// The shipped proxy_fcgi snippet passes only the API's paths to fcgi, and
// Apache answers the others with its own 404 page, so those are not
// compared.
BOOST_AUTO_TEST_CASE(answers_byte_for_byte_as_apache_in_front_of_fcgi) {
  ApacheProxyFcgiFixture fcgi;
  ApacheModuleFixture module("event", "", fcgi.data_dir());
  RequireSameReplies(fcgi.port(), module.port(), fcgi.data_dir(), false);
}

BOOST_AUTO_TEST_CASE(a_graceful_restart_mid_write_loses_no_acknowledged_write) {
  ApacheModuleFixture apache;
  const ChannelKeys channel = CreateChannel(apache.data_dir(), "restarted", {"--public"});
  const std::vector<Write> acknowledged =
      WriteUntilStruck(apache.port(), channel.write_key, [&] { apache.server().Signal(SIGUSR1); });
  RequireEveryWriteStored(apache.data_dir(), channel.id, acknowledged);
  const bool served = WaitFor(
      [&] {
        return Get(apache.port(), "/update?api_key=" + channel.write_key + "&field1=1").status ==
               200;
      },
      std::chrono::seconds(10));
  BOOST_TEST(served, apache.ErrorLog());
}

// FieldpostMaxBody and FieldpostMaxBulkBody set the API's limits: a body
// over them is 413 and stores nothing.
BOOST_AUTO_TEST_CASE(body_limit_directives_set_the_api_limits) {
  ApacheModuleFixture apache("event", "FieldpostMaxBody 2K\nFieldpostMaxBulkBody 8k\n");
  const ChannelKeys channel = CreateChannel(apache.data_dir(), "limited", {"--public"});

  const std::string key = "api_key=" + channel.write_key;
  const HttpReply over =
      Post(apache.port(), "/update", key + "&field1=1&pad=" + std::string(3000, 'x'));
  BOOST_TEST(over.status == 413, over.raw.substr(0, 300));
  const HttpReply under =
      Post(apache.port(), "/update", key + "&field1=1&pad=" + std::string(1000, 'x'));
  BOOST_TEST(under.status == 200, under.raw.substr(0, 300));
  std::string bulk = "write_" + key + "&time_format=relative&updates=0,1";
  while (bulk.size() < 9000) bulk += "|1,3";
  const HttpReply bulk_over =
      Post(apache.port(), "/channels/" + std::to_string(channel.id) + "/bulk_update.csv", bulk);
  BOOST_TEST(bulk_over.status == 413, bulk_over.raw.substr(0, 300));
  BOOST_TEST(ListChannels(apache.data_dir()).at(0).last_entry_id == 1u);
}

// FieldpostMetrics: /metrics counts what every child answered.
BOOST_AUTO_TEST_CASE(metrics_directive_counts_every_child) {
  ApacheModuleFixture apache("prefork", "FieldpostMetrics On\nFieldpostRetentionDays 30\n");
  const ChannelKeys channel = CreateChannel(apache.data_dir(), "counted", {"--public"});
  for (int i = 0; i < 6; ++i) {
    BOOST_TEST(Get(apache.port(), "/update?api_key=" + channel.write_key + "&field1=1").status ==
               200);
  }
  const HttpReply reply = Get(apache.port(), "/metrics");
  BOOST_REQUIRE_EQUAL(reply.status, 200);
  BOOST_TEST(reply.body.find("\nfieldpost_requests_total{route=\"/update\",status=\"200\"} 6\n") !=
                 std::string::npos,
             reply.body);
  BOOST_TEST(reply.body.find("\nfieldpost_write_batches_total 6\n") != std::string::npos,
             reply.body);
}

// The target is taken as the client sent it, as nginx and serve take it:
// Apache's normalised path would make these store a write.
BOOST_AUTO_TEST_CASE(paths_are_not_normalised) {
  ApacheModuleFixture apache("event");
  const ChannelKeys channel = CreateChannel(apache.data_dir(), "raw");
  const std::string query = "?api_key=" + channel.write_key + "&field1=1";
  for (const std::string path : {"//update", "/./update", "/channels/../update",
                                 "/channels/%2e%2e/update", "/iot//update", "/iot/./update"}) {
    BOOST_TEST(Get(apache.port(), path + query).status == 404, path);
  }
  BOOST_TEST(ListChannels(apache.data_dir()).at(0).last_entry_id == 0u);
  // The absolute form is the same request as its path.
  BOOST_TEST(Get(apache.port(), "http://localhost/iot/update" + query).body == "1");
}

// The API's URLs are no files: no .htaccess below the document root
// applies to them (one that cannot be read answered every request 500),
// and Apache does not look for one on every request.
BOOST_AUTO_TEST_CASE(no_htaccess_applies_to_the_api) {
  TempDir www;
  chmod(www.path().c_str(), 0755);  // Apache's children read it
  WriteFile(www / ".htaccess", "ThisIsNoDirective at all\n");
  std::filesystem::create_directory(www / "iot");
  WriteFile(www / "iot/.htaccess", "Require all denied\n");
  ApacheModuleFixture apache("event", "DocumentRoot " + www.path() + "\n<Directory " + www.path() +
                                          ">\n  AllowOverride All\n</Directory>\n");
  const ChannelKeys channel = CreateChannel(apache.data_dir(), "files", {"--public"});
  const std::string query = "?api_key=" + channel.write_key + "&field1=7";
  BOOST_TEST(Get(apache.port(), "/update" + query).body == "1");
  BOOST_TEST(Get(apache.port(), "/iot/update" + query).body == "2");
  const HttpReply read =
      Get(apache.port(), "/iot/channels/" + std::to_string(channel.id) + "/fields/1/last.txt");
  BOOST_TEST(read.status == 200);
  BOOST_TEST(read.body == "7");
  BOOST_TEST(apache.ErrorLog().find("htaccess") == std::string::npos, apache.ErrorLog());
}

// <Location /iot> answers /iot with a redirect to /iot/, whose front page's
// relative links then resolve below it.
BOOST_AUTO_TEST_CASE(the_mount_without_its_slash_redirects) {
  ApacheModuleFixture apache("event");
  const HttpReply reply = Get(apache.port(), "/iot?x=1");
  BOOST_TEST(reply.status == 301);
  BOOST_TEST(reply.Header("location").ends_with("/iot/?x=1"), reply.Header("location"));
  BOOST_TEST(Get(apache.port(), "/iot/").status == 200);
}

// The metrics file truncated under running children: none dies of SIGBUS.
BOOST_AUTO_TEST_CASE(a_truncated_metrics_file_kills_no_child) {
  ApacheModuleFixture apache("prefork", "FieldpostMetrics On\n");
  const ChannelKeys channel = CreateChannel(apache.data_dir(), "counted");
  const std::string update = "/update?api_key=" + channel.write_key + "&field1=1";
  for (int i = 0; i < 4; ++i) BOOST_TEST(Get(apache.port(), update).status == 200);
  const std::vector<std::string> files = FilesStartingWith(apache.data_dir(), "metrics-");
  BOOST_REQUIRE_EQUAL(files.size(), 1u);
  std::filesystem::resize_file(files[0], 0);
  for (int i = 0; i < 8; ++i) BOOST_TEST(Get(apache.port(), update).status == 200);
  BOOST_TEST(Get(apache.port(), "/metrics").status == 200);
  const std::string log = apache.ErrorLog();
  BOOST_TEST(log.find("was truncated while in use") != std::string::npos, log);
  BOOST_TEST(log.find("exit signal") == std::string::npos, log);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
