// ngx_http_fieldpost_module in a real nginx: the API scenario at the root
// and under a prefix, the same bytes as nginx in front of `fieldpost fcgi`,
// and no acknowledged write lost when a worker is killed or nginx reloads.
#include <signal.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "core/time_format.h"
#include "tests/integration/api_scenario.h"
#include "tests/integration/arduino_replay.h"
#include "tests/integration/cli.h"
#include "tests/integration/nginx_fixture.h"
#include "tests/integration/write_load.h"
#include "tests/module/nginx_module_fixture.h"
#include "tests/module/relay_leader.h"
#include "tests/module/same_replies.h"
#include "tests/support/http_client.h"
#include "tests/support/http_connection.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

BOOST_AUTO_TEST_SUITE(nginx_module)

BOOST_AUTO_TEST_CASE(api_at_the_root_and_under_a_prefix) {
  NginxModuleFixture nginx;
  PrepareScenarioData(nginx.data_dir());
  RunApiScenario({nginx.port(), "", nginx.data_dir()});
  RunApiScenario({nginx.port(), "/iot", nginx.data_dir()});
  RunDirectoryScenario({nginx.port(), "", nginx.data_dir()});
  RunDirectoryScenario({nginx.port(), "/iot", nginx.data_dir()});
}

BOOST_AUTO_TEST_CASE(arduino_library_replays) {
  NginxModuleFixture nginx;
  RunArduinoReplay(nginx.port(), nginx.data_dir());
}

// What the module refuses itself answers with a reason and stores nothing:
// a path that only starts like the location's prefix, and bodies over the
// API's limit, announced by Content-Length or sent chunked.
BOOST_AUTO_TEST_CASE(refusals_store_nothing) {
  NginxModuleFixture nginx(1, "",
                           "    client_max_body_size 10m;\n    location /iot { fieldpost; }\n"
                           "    location / { return 200 \"site\"; }\n");
  const ChannelKeys channel = CreateChannel(nginx.data_dir(), "refusing", {"--public"});
  const std::string key_header = "X-THINGSPEAKAPIKEY: " + channel.write_key + "\r\n";

  const HttpReply beside =
      Get(nginx.port(), "/iotx/update?api_key=" + channel.write_key + "&field1=1");
  BOOST_TEST(beside.status == 404, beside.raw.substr(0, 300));

  const std::string big(5 << 20, '1');  // over the 4 MiB bulk limit
  const HttpReply announced = SendRaw(
      nginx.port(), "POST /iot/update HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + key_header +
                        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                        std::to_string(big.size() + 7) + "\r\n\r\nfield1=" + big);
  BOOST_TEST(announced.status == 413, announced.raw.substr(0, 300));
  BOOST_TEST(!announced.Header("X-Fieldpost-Error").empty(), announced.raw.substr(0, 300));

  std::string chunks;
  const std::string piece = "field1=" + std::string(1 << 20, '2');
  for (int i = 0; i < 5; ++i) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    chunks += size + piece + "\r\n";
  }
  const HttpReply chunked = SendRaw(
      nginx.port(), "POST /iot/update HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + key_header +
                        "Content-Type: application/x-www-form-urlencoded\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n" +
                        chunks + "0\r\n\r\n");
  BOOST_TEST(chunked.status == 413, chunked.raw.substr(0, 300));

  BOOST_TEST(ListChannels(nginx.data_dir()).at(0).last_entry_id == 0u);
  // The module still serves after refusing.
  BOOST_TEST(Get(nginx.port(), "/iot/update?api_key=" + channel.write_key + "&field1=1").body ==
             "1");
}

// Both serve one data directory at once; every reply must be the one
// nginx → fcgi gives, byte for byte, Date and entry ids aside.
BOOST_AUTO_TEST_CASE(answers_byte_for_byte_as_nginx_in_front_of_fcgi) {
  NginxFcgiFixture fcgi;
  NginxModuleFixture module(2, fcgi.data_dir());
  RequireSameReplies(fcgi.port(), module.port(), fcgi.data_dir(), true);
}

// Kills one of two workers mid-write: the one that commits both workers'
// appends (the relay's leader), or the other; either way every acknowledged
// write is stored, and the workers write on.
void KillWorkerMidWrite(bool leader) {
  NginxModuleFixture nginx(2);
  const ChannelKeys channel = CreateChannel(nginx.data_dir(), "killed", {"--public"});
  const std::vector<pid_t> workers = nginx.Workers();
  BOOST_REQUIRE_EQUAL(workers.size(), 2u);
  const pid_t leading = RelayLeader(nginx.data_dir(), workers);
  BOOST_REQUIRE_MESSAGE(leading != 0, "no worker leads the append relay");
  const pid_t victim = leader ? leading : (workers[0] == leading ? workers[1] : workers[0]);
  int kill_error = 0;
  const std::vector<Write> acknowledged = WriteUntilStruck(nginx.port(), channel.write_key, [&] {
    if (kill(victim, SIGKILL) != 0) kill_error = errno;
  });
  BOOST_TEST(kill_error == 0, "kill(" << victim << "): " << std::strerror(kill_error));
  // The master logs the death when it reaps the worker, a moment later.
  BOOST_TEST(
      WaitFor([&] { return nginx.ErrorLog().find("exited on signal 9") != std::string::npos; },
              std::chrono::seconds(30)),
      "worker " << victim << " (of " << workers[0] << ", " << workers[1] << "; leader " << leading
                << ") was not reaped: "
                << ReadFile("/proc/" + std::to_string(victim) + "/status").substr(0, 80) << "\n"
                << nginx.ErrorLog());
  RequireEveryWriteStored(nginx.data_dir(), channel.id, acknowledged);
  // The master started a new worker, which writes on after the killed
  // one's write lock was left behind; a worker leads the relay again.
  const bool served = WaitFor(
      [&] {
        return Get(nginx.port(), "/update?api_key=" + channel.write_key + "&field1=1").status ==
               200;
      },
      std::chrono::seconds(10));
  BOOST_TEST(served);
  for (int i = 0; i < 20; ++i)
    Get(nginx.port(), "/update?api_key=" + channel.write_key + "&field1=2");
  BOOST_TEST(RelayLeader(nginx.data_dir(), nginx.Workers()) != 0);
}

BOOST_AUTO_TEST_CASE(the_relay_leader_killed_mid_write_loses_no_acknowledged_write) {
  KillWorkerMidWrite(true);
}

BOOST_AUTO_TEST_CASE(a_relaying_worker_killed_mid_write_loses_no_acknowledged_write) {
  KillWorkerMidWrite(false);
}

BOOST_AUTO_TEST_CASE(a_reload_mid_write_loses_no_acknowledged_write) {
  NginxModuleFixture nginx(2);
  const ChannelKeys channel = CreateChannel(nginx.data_dir(), "reloaded", {"--public"});
  const std::vector<pid_t> before = nginx.Workers();
  const std::vector<Write> acknowledged =
      WriteUntilStruck(nginx.port(), channel.write_key, [&] { nginx.master().Signal(SIGHUP); });
  // The old workers finish what they were handed, then exit.
  const bool replaced = WaitFor(
      [&] {
        for (pid_t pid : nginx.Workers()) {
          for (pid_t old : before) {
            if (pid == old) return false;
          }
        }
        return true;
      },
      std::chrono::seconds(20));
  BOOST_TEST(replaced, "the old workers did not exit:\n" << nginx.ErrorLog());
  RequireEveryWriteStored(nginx.data_dir(), channel.id, acknowledged);
  BOOST_TEST(Get(nginx.port(), "/update?api_key=" + channel.write_key + "&field1=1").status == 200);
}

BOOST_AUTO_TEST_CASE(a_graceful_stop_mid_write_loses_no_acknowledged_write) {
  NginxModuleFixture nginx(2);
  const ChannelKeys channel = CreateChannel(nginx.data_dir(), "stopped", {"--public"});
  const std::vector<Write> acknowledged =
      WriteUntilStruck(nginx.port(), channel.write_key, [&] { nginx.master().Signal(SIGQUIT); });
  const auto status = nginx.master().Wait(std::chrono::seconds(20));
  BOOST_TEST(status.has_value(), "nginx did not stop:\n" << nginx.ErrorLog());
  RequireEveryWriteStored(nginx.data_dir(), channel.id, acknowledged);
  // Nothing the module holds is left open at exit (nginx reports any
  // connection still open as an alert).
  BOOST_TEST(nginx.ErrorLog().find("[alert]") == std::string::npos, nginx.ErrorLog());
}

// What nginx -t says of a configuration a sysadmin gets wrong.
BOOST_AUTO_TEST_CASE(nginx_t_names_what_is_wrong) {
  TempDir dir;
  const auto check = [&](const std::string& http) {
    WriteFile(dir / "nginx.conf", "load_module " + std::string(FIELDPOST_NGINX_MODULE_PATH) +
                                      ";\nerror_log " + (dir / "error.log") + ";\npid " +
                                      (dir / "nginx.pid") + ";\nevents {}\nhttp {\n" + http +
                                      "\n}\n");
    std::string output;
    const int status =
        RunCommand({"/usr/sbin/nginx", "-t", "-p", dir.path(), "-c", dir / "nginx.conf"}, output);
    return std::make_pair(status, output);
  };
  auto [status, output] = check("server { location / { fieldpost; } }");
  BOOST_TEST(status != 0);
  BOOST_TEST(output.find("\"fieldpost\" needs \"fieldpost_data DIR\"") != std::string::npos,
             output);
  std::tie(status, output) =
      check("fieldpost_data " + (dir / "missing") + "; server { location / { fieldpost; } }");
  BOOST_TEST(status != 0);
  BOOST_TEST(output.find("fieldpost_data \"" + (dir / "missing") + "\": cannot use it") !=
                 std::string::npos,
             output);
  // At the directive's own line (the http block's first), not its closing }.
  BOOST_TEST(output.find(" in " + (dir / "nginx.conf") + ":6") != std::string::npos, output);
  // The hint, followed as written, makes it right.
  BOOST_TEST(output.find("mkdir -p " + (dir / "missing")) != std::string::npos, output);
  std::filesystem::create_directories(dir / "missing");
  CreateChannel(dir / "missing", "hinted");
  std::tie(status, output) =
      check("fieldpost_data " + (dir / "missing") + "; server { location / { fieldpost; } }");
  BOOST_TEST(status == 0, output);
  std::tie(status, output) =
      check("fieldpost_data " + dir.path() + "; server { location ~ ^/iot/ { fieldpost; } }");
  BOOST_TEST(status != 0);
  BOOST_TEST(output.find("needs a prefix location") != std::string::npos, output);
  std::tie(status, output) = check("fieldpost_data " + dir.path() +
                                   "; fieldpost_max_body 10; server { location / { fieldpost; } }");
  BOOST_TEST(status != 0);
  BOOST_TEST(output.find("fieldpost_max_body 10 is out of range: from 1024 to 67108864 bytes") !=
                 std::string::npos,
             output);
  std::tie(status, output) = check("fieldpost_data " + dir.path() +
                                   "; server { location /a/ { fieldpost; } "
                                   "location /b/ { fieldpost; fieldpost_max_map 1g; } }");
  BOOST_TEST(status != 0);
  BOOST_TEST(output.find("is served by another location with other fieldpost_max_body") !=
                 std::string::npos,
             output);
  std::tie(status, output) =
      check("fieldpost_data " + dir.path() +
            "; fieldpost_retention_days 40000; server { location / { fieldpost; } }");
  BOOST_TEST(status != 0);
  BOOST_TEST(output.find("fieldpost_retention_days 40000 is out of range: from 0 to 36500 days") !=
                 std::string::npos,
             output);
  std::tie(status, output) = check("fieldpost_data " + dir.path() +
                                   "; server { location /a/ { fieldpost; } "
                                   "location /b/ { fieldpost; fieldpost_metrics on; } }");
  BOOST_TEST(status != 0);
  BOOST_TEST(
      output.find("fieldpost_retention_days or fieldpost_metrics values") != std::string::npos,
      output);
  std::tie(status, output) =
      check("fieldpost_data " + dir.path() +
            "; fieldpost_max_body 2k; fieldpost_max_bulk_body 1m; fieldpost_max_map 2g; "
            "server { location /iot/ { fieldpost; } location /b/ { fieldpost; } }");
  BOOST_TEST(status == 0, output);
}

// fieldpost_max_body and fieldpost_max_bulk_body set the API's limits, as
// fcgi's max_body and max_bulk_body do: a form body over them is 413 and
// stores nothing; one under them is stored.
BOOST_AUTO_TEST_CASE(body_limit_directives_set_the_api_limits) {
  NginxModuleFixture nginx(1, "",
                           "    fieldpost_max_body 2k;\n    fieldpost_max_bulk_body 8k;\n"
                           "    location /iot/ { fieldpost; }\n");
  const ChannelKeys channel = CreateChannel(nginx.data_dir(), "limited", {"--public"});

  const std::string key = "api_key=" + channel.write_key;
  const auto stored = [&] { return ListChannels(nginx.data_dir()).at(0).last_entry_id; };
  // Padded past 2 KiB with a parameter the API ignores.
  const HttpReply over =
      Post(nginx.port(), "/iot/update", key + "&field1=1&pad=" + std::string(3000, 'x'));
  BOOST_TEST(over.status == 413, over.raw.substr(0, 300));
  BOOST_TEST(stored() == 0u);
  const HttpReply under =
      Post(nginx.port(), "/iot/update", key + "&field1=1&pad=" + std::string(1000, 'x'));
  BOOST_TEST(under.status == 200, under.raw.substr(0, 300));
  BOOST_TEST(stored() == 1u);

  const std::string bulk_path = "/iot/channels/" + std::to_string(channel.id) + "/bulk_update.csv";
  std::string bulk = "write_" + key + "&time_format=relative&updates=0,1";
  while (bulk.size() < 6000) bulk += "|1,2";
  const HttpReply bulk_under = Post(nginx.port(), bulk_path, bulk);
  BOOST_TEST(bulk_under.status / 100 == 2, bulk_under.raw.substr(0, 300));
  const unsigned after_bulk = stored();
  BOOST_TEST(after_bulk > 1000u);
  while (bulk.size() < 9000) bulk += "|1,3";
  const HttpReply bulk_over = Post(nginx.port(), bulk_path, bulk);
  // Sent whole, so nginx has all of it when the module refuses it.
  BOOST_TEST(bulk_over.status == 413, bulk_over.raw.substr(0, 300));
  BOOST_TEST(stored() == after_bulk);
}

// fieldpost_metrics and fieldpost_retention_days do what fieldpost.conf's
// metrics and retention_days do. Every worker's /metrics shows what all of
// them counted.
BOOST_AUTO_TEST_CASE(metrics_and_retention_directives) {
  TempDir dir;
  const std::string data = dir / "data";
  std::filesystem::create_directories(data);
  const ChannelKeys channel = CreateChannel(data, "aged", {"--public"});
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  WriteFile(dir / "old.csv", "created_at,field1\n" + FormatIso8601(now - std::chrono::days(400)) +
                                 ",1\n" + FormatIso8601(now - std::chrono::days(90)) + ",2\n");
  RunFieldpost({"import", "--channel", std::to_string(channel.id), dir / "old.csv"}, data);

  NginxModuleFixture nginx(2, data,
                           "    fieldpost_metrics on;\n    fieldpost_retention_days 60;\n"
                           "    location /iot/ { fieldpost; }\n");
  for (int i = 0; i < 10; ++i) {
    BOOST_TEST(Get(nginx.port(), "/iot/update?api_key=" + channel.write_key + "&field1=3").status ==
               200);
  }
  const std::string feed = "/iot/channels/" + std::to_string(channel.id) + "/feeds.csv?results=100";
  const auto rows = [&] {
    const std::string body = Get(nginx.port(), feed).body;
    return std::count(body.begin(), body.end(), '\n') - 1;
  };
  // The two old entries go: a worker's first pruning pass comes a few
  // seconds after it starts.
  for (int i = 0; i < 200 && rows() != 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_TEST(rows() == 10);
  const std::string kept = Get(nginx.port(), feed).body;
  BOOST_TEST(kept.find(",1\n") == std::string::npos, kept);
  BOOST_TEST(kept.find(",2\n") == std::string::npos, kept);

  for (int scrape = 0; scrape < 4; ++scrape) {
    const HttpReply reply = Get(nginx.port(), "/iot/metrics");
    BOOST_REQUIRE_EQUAL(reply.status, 200);
    BOOST_TEST(
        reply.body.find("\nfieldpost_requests_total{route=\"/update\",status=\"200\"} 10\n") !=
            std::string::npos,
        reply.body);
    BOOST_TEST(reply.body.find("\nfieldpost_entries 10\n") != std::string::npos, reply.body);
  }
}

// The target as the client sent it, as every frontend takes it: these are
// not /update.
BOOST_AUTO_TEST_CASE(paths_are_not_normalised) {
  NginxModuleFixture nginx;
  const ChannelKeys channel = CreateChannel(nginx.data_dir(), "raw");
  const std::string query = "?api_key=" + channel.write_key + "&field1=1";
  for (const std::string path : {"//update", "/./update", "/channels/../update",
                                 "/channels/%2e%2e/update", "/iot//update", "/iot/./update"}) {
    BOOST_TEST(Get(nginx.port(), path + query).status == 404, path);
  }
  BOOST_TEST(ListChannels(nginx.data_dir()).at(0).last_entry_id == 0u);
}

// A write made in a subrequest (auth_request here) is answered from the
// commit, outside the request's handlers: its parent must go on then, not
// wait for another event on the connection.
BOOST_AUTO_TEST_CASE(a_write_in_a_subrequest_lets_its_parent_go_on) {
  TempDir dir;
  const std::string data = dir / "data";
  std::filesystem::create_directories(data);
  const ChannelKeys channel = CreateChannel(data, "guarded");
  // Served from a file: "return" would answer before the access phase.
  WriteFile(dir / "allowed", "allowed");
  NginxModuleFixture nginx(1, data,
                           "    location = /guarded { auth_request /sub/; root " + dir.path() +
                               "; try_files /allowed =404; }\n"
                               "    location /sub/ { internal; rewrite ^ /sub/update?api_key=" +
                               channel.write_key + "&field1=1 break; fieldpost; }\n");
  for (int i = 0; i < 3; ++i) {
    HttpConnection connection(nginx.port());
    BOOST_REQUIRE(connection.Send("GET /guarded HTTP/1.1\r\nHost: x\r\n\r\n"));
    // Bounded: without the fix the parent waited for the client's timeout.
    const std::optional<HttpReply> reply = connection.ReadReply(5000);
    BOOST_REQUIRE(reply.has_value());
    BOOST_TEST(reply->status == 200, reply->raw);
    BOOST_TEST(reply->body == "allowed");
  }
  BOOST_TEST(ListChannels(data).at(0).last_entry_id == 3u, nginx.ErrorLog());
}

// The metrics file truncated under running workers: none dies of SIGBUS.
BOOST_AUTO_TEST_CASE(a_truncated_metrics_file_kills_no_worker) {
  TempDir dir;
  const std::string data = dir / "data";
  std::filesystem::create_directories(data);
  const ChannelKeys channel = CreateChannel(data, "counted");
  NginxModuleFixture nginx(2, data,
                           "    fieldpost_metrics on;\n    location /iot/ { fieldpost; }\n");
  const std::string update = "/iot/update?api_key=" + channel.write_key + "&field1=1";
  for (int i = 0; i < 4; ++i) BOOST_TEST(Get(nginx.port(), update).status == 200);
  const std::vector<std::string> files = FilesStartingWith(data, "metrics-");
  BOOST_REQUIRE_EQUAL(files.size(), 1u);
  std::filesystem::resize_file(files[0], 0);
  for (int i = 0; i < 8; ++i) BOOST_TEST(Get(nginx.port(), update).status == 200);
  BOOST_TEST(Get(nginx.port(), "/iot/metrics").status == 200);
  const std::string log = nginx.ErrorLog();
  BOOST_TEST(log.find("was truncated while in use") != std::string::npos, log);
  BOOST_TEST(log.find("exited on signal") == std::string::npos, log);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
