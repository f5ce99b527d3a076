// Apache 2.4 with the shipped conf/apache/ files in front of fieldpost: a
// vhost with mod_proxy_fcgi and `fieldpost fcgi`, and a shared-hosting
// folder where the uploaded program runs under mod_fcgid or as plain CGI.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/apache_fixture.h"
#include "tests/integration/api_scenario.h"
#include "tests/integration/cli.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

using Handler = ApacheFcgidFixture::Handler;

// A reply far larger than what Apache reads at once (a feed of 2000
// entries) still carries fieldpost's Content-Length and is not chunked.
void CheckLargeReply(std::uint16_t port, const std::string& prefix, const std::string& data_dir) {
  constexpr int kEntries = 2000;
  const ChannelKeys channel = CreateChannel(data_dir, "large", {"--public"});
  std::string updates;
  char line[40];
  for (int i = 0; i < kEntries; ++i) {
    std::snprintf(line, sizeof line, "%s2024-05-%02d%%20%02d:%02d:00,%d", i == 0 ? "" : "|",
                  1 + i / 1440, i / 60 % 24, i % 60, i);
    updates += line;
  }
  const std::string path = prefix + "/channels/" + std::to_string(channel.id);
  HttpReply bulk =
      Post(port, path + "/bulk_update.csv",
           "write_api_key=" + channel.write_key + "&time_format=absolute&updates=" + updates);
  BOOST_TEST(bulk.status == 202, bulk.raw.substr(0, 300));
  HttpReply feed = Get(port, path + "/feeds.json?results=" + std::to_string(kEntries));
  BOOST_TEST(feed.status == 200);
  BOOST_TEST(feed.body.size() > 100'000u);
  BOOST_TEST(feed.Header("Content-Length") == std::to_string(feed.body.size()));
  BOOST_TEST(feed.Header("Transfer-Encoding").empty());
  BOOST_TEST(feed.body.find("\"entry_id\":" + std::to_string(kEntries) + ",") != std::string::npos);
}

// The shared-hosting folder, prepared with PrepareScenarioData: the
// scenario at its URL, and the files that must not be downloads (the data,
// a fieldpost.conf) refused.
void CheckHostedFolder(ApacheFcgidFixture& apache, const std::string& prefix) {
  // fieldpost's own 404 shows the program answers; else say why not.
  HttpReply probe = Get(apache.port(), prefix + "/channels/999999/feeds.json");
  BOOST_REQUIRE_MESSAGE(probe.status == 404 && !probe.Header("X-Fieldpost-Error").empty(),
                        probe.status_line << "\n"
                                          << apache.Logs());
  RunApiScenario({apache.port(), prefix, apache.data_dir()});
  CheckLargeReply(apache.port(), prefix, apache.data_dir());
  WriteFile(apache.folder() + "/fieldpost.conf", "# defaults\n");
  WriteFile(apache.folder() + "/readme.txt", "readme");
  // The folder's URL is the channel list even beside an index page.
  WriteFile(apache.folder() + "/index.html", "folder index");
  HttpReply front = Get(apache.port(), prefix + "/");
  BOOST_TEST(front.body.find("Public channels") != std::string::npos, front.raw.substr(0, 300));
  BOOST_TEST(Get(apache.port(), prefix + "/data/data.mdb").status == 403, apache.Logs());
  BOOST_TEST(Get(apache.port(), prefix + "/data/lock.mdb").status == 403);
  BOOST_TEST(Get(apache.port(), prefix + "/fieldpost.conf").status == 403);
  BOOST_TEST(Get(apache.port(), prefix + "/data/").status == 403);
  for (const char* kept : {"data.mdb.before-restore", "data.mdb.partial",
                           "metrics-0123456789abcdef", ".metrics-AbC123"}) {
    WriteFile(apache.data_dir() + "/" + kept, "not a download");
    BOOST_TEST(Get(apache.port(), prefix + "/data/" + kept).status == 403, kept);
  }
  // The rest of the folder is the site's.
  BOOST_TEST(Get(apache.port(), prefix + "/readme.txt").body == "readme");
  BOOST_TEST(Get(apache.port(), prefix + "/updates").status == 404);
}

BOOST_AUTO_TEST_SUITE(apache)

BOOST_AUTO_TEST_CASE(proxy_fcgi_at_the_root_and_under_a_prefix) {
  ApacheProxyFcgiFixture apache;
  PrepareScenarioData(apache.data_dir());
  RunApiScenario({apache.port(), "", apache.data_dir()});
  RunApiScenario({apache.port(), "/iot", apache.data_dir()});
  RunDirectoryScenario({apache.port(), "/iot", apache.data_dir()});
  // A body far beyond the socket buffers still gets fieldpost's 413.
  const ChannelKeys big = CreateChannel(apache.data_dir(), "big", {"--public"});
  HttpReply oversized =
      Post(apache.port(), "/update",
           "api_key=" + big.write_key + "&field1=" + std::string(900 * 1024, '1'));
  BOOST_TEST(oversized.status == 413, oversized.raw.substr(0, 300) << apache.Logs());
  BOOST_TEST(oversized.body == "0");
  CheckLargeReply(apache.port(), "/iot", apache.data_dir());
  // The site's own pages stay with Apache.
  BOOST_TEST(Get(apache.port(), "/index.html").body == "site");
  BOOST_TEST(Get(apache.port(), "/updates").status == 404);
  BOOST_TEST(Get(apache.port(), "/iot/updates").status == 404);
}

// Without the shipped snippet, as a sysadmin writes it by habit: every
// request must still reach its endpoint, writes included.
BOOST_AUTO_TEST_CASE(habitual_proxy_pass_at_the_root_and_under_a_prefix) {
  ApacheProxyFcgiFixture apache(ApacheProxyFcgiFixture::Config::kHabitualProxyPass);
  PrepareScenarioData(apache.data_dir());
  // Apache 2.4.59+ chunks these replies unless told to trust the
  // responder's Content-Length (the shipped snippet does; docs/deploy/apache-fastcgi.md says
  // so): routing and storage are fieldpost's, the framing is Apache's.
  RunApiScenario({apache.port(), "", apache.data_dir(), false});
  RunApiScenario({apache.port(), "/iot", apache.data_dir(), false});
  // With the line docs/deploy/apache-fastcgi.md adds, the replies are framed as clients need.
  ApacheProxyFcgiFixture trusting(ApacheProxyFcgiFixture::Config::kProxyPassTrustingLength);
  PrepareScenarioData(trusting.data_dir());
  RunApiScenario({trusting.port(), "/iot", trusting.data_dir()});
}

BOOST_AUTO_TEST_CASE(fcgid_in_the_web_root) {
  ApacheFcgidFixture apache(Handler::kFcgid, "", PrepareScenarioData);
  CheckHostedFolder(apache, "");
}

BOOST_AUTO_TEST_CASE(fcgid_in_a_folder) {
  ApacheFcgidFixture apache(Handler::kFcgid, "/iot", PrepareScenarioData);
  CheckHostedFolder(apache, "/iot");
}

BOOST_AUTO_TEST_CASE(fcgid_processes_share_the_data_directory) {
  ChannelKeys channel;
  ApacheFcgidFixture apache(Handler::kFcgid, "/iot", [&](const std::string& data_dir) {
    channel = CreateChannel(data_dir, "shared", {"--public"});
  });
  // mod_fcgid gives each process one request at a time: concurrent writes
  // make it start more processes on the one data directory.
  constexpr int kClients = 8;
  constexpr int kWritesEach = 25;
  std::vector<std::vector<std::string>> bodies(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < kWritesEach; ++i) {
        try {
          bodies[c].push_back(Get(apache.port(), "/iot/update?api_key=" + channel.write_key +
                                                     "&field1=" + std::to_string(c * 1000 + i))
                                  .body);
        } catch (const std::exception& e) {
          bodies[c].push_back(e.what());
        }
      }
    });
  }
  for (std::thread& client : clients) client.join();
  std::vector<unsigned long long> ids;
  for (const auto& client : bodies) {
    for (const std::string& body : client) {
      BOOST_TEST(body.find_first_not_of("0123456789") == std::string::npos, body);
      if (!body.empty() && body.find_first_not_of("0123456789") == std::string::npos) {
        ids.push_back(std::stoull(body));
      }
    }
  }
  std::sort(ids.begin(), ids.end());
  BOOST_REQUIRE(ids.size() == std::size_t{kClients * kWritesEach});
  BOOST_TEST((std::adjacent_find(ids.begin(), ids.end()) == ids.end()), "an entry id twice");
  BOOST_TEST(ids.back() == std::size_t{kClients * kWritesEach});
  const std::size_t processes = apache.apache().ProgramPids().size();
  BOOST_TEST_MESSAGE("mod_fcgid ran " << processes << " fieldpost processes");
  BOOST_TEST(processes >= 2u, apache.Logs());
  const std::string channel_path = "/iot/channels/" + std::to_string(channel.id);
  BOOST_TEST(Get(apache.port(), channel_path + "/feeds/last.json")
                 .body.find("\"entry_id\":" + std::to_string(kClients * kWritesEach) + ",") !=
             std::string::npos);
}

// Plain CGI: the same program uploaded as fieldpost.cgi, one process per
// request. mod_cgid (Debian's default with mpm_event) hands the program a
// connected socket as stdin; mod_cgi (mpm_prefork) a pipe.
BOOST_AUTO_TEST_CASE(cgi_under_mod_cgid) {
  ApacheFcgidFixture apache(Handler::kCgid, "/iot", PrepareScenarioData);
  CheckHostedFolder(apache, "/iot");
}

BOOST_AUTO_TEST_CASE(cgi_under_mod_cgi) {
  ApacheFcgidFixture apache(Handler::kCgi, "/iot", PrepareScenarioData);
  CheckHostedFolder(apache, "/iot");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
