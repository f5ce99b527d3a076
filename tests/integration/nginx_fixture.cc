#include "tests/integration/nginx_fixture.h"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <regex>

#include "tests/support/http_client.h"
#include "tests/support/listening_port.h"
#include "tests/support/store_location.h"
#include "tests/support/text.h"

namespace fieldpost::testing {
namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";

}  // namespace

NginxFcgiFixture::NginxFcgiFixture(int responders) {
  for (int i = 0; i < responders; ++i) StartResponder(i, {});
  StartNginx(responders);
}

NginxFcgiFixture::NginxFcgiFixture(const std::vector<std::string>& launcher_prefix) {
  StartResponder(0, launcher_prefix);
  StartNginx(1);
}

std::unique_ptr<NginxFcgiFixture> NginxFcgiFixture::WithLocations(const std::string& locations) {
  return std::unique_ptr<NginxFcgiFixture>(new NginxFcgiFixture(locations));
}

NginxFcgiFixture::NginxFcgiFixture(const std::string& locations)
    : locations_(ReplaceAll(locations, "{pass}", "unix:" + socket_path(0))) {
  StartResponder(0, {});
  StartNginx(1);
}

std::unique_ptr<NginxFcgiFixture> NginxFcgiFixture::OnDatabase(const std::string& uri) {
  return std::unique_ptr<NginxFcgiFixture>(new NginxFcgiFixture(Database{uri}));
}

NginxFcgiFixture::NginxFcgiFixture(Database database) : database_(std::move(database.uri)) {
  StartResponder(0, {});
  StartNginx(1);
}

void NginxFcgiFixture::StartResponder(int i, const std::vector<std::string>& launcher_prefix) {
  const std::string socket = socket_path(i);
  std::vector<std::string> argv;
  for (const std::string& arg : launcher_prefix) argv.push_back(arg == "{socket}" ? socket : arg);
  const std::vector<std::string> store = StoreFlags(data_dir());
  argv.insert(argv.end(), {FIELDPOST_BINARY, "fcgi"});
  argv.insert(argv.end(), store.begin(), store.end());
  argv.insert(argv.end(), {"--threads", "4"});
  if (launcher_prefix.empty()) argv.insert(argv.end(), {"--socket", socket});
  responders_.push_back(std::make_unique<Process>(argv,
                                                  dir_ / ("fcgi" + std::to_string(i) + ".out"),
                                                  dir_ / ("fcgi" + std::to_string(i) + ".log")));
  BOOST_REQUIRE_MESSAGE(
      WaitFor([&] { return access(socket.c_str(), F_OK) == 0; }, std::chrono::seconds(20)),
      "fcgi did not start: " << ResponderLog(i));
}

void NginxFcgiFixture::StartNginx(int responders) {
  BOOST_REQUIRE_MESSAGE(access(kNginx, X_OK) == 0, "nginx is not installed at " << kNginx);
  // Taken over by nginx (NGINX=fd;): no other process can get the port
  // between its choice and nginx's start.
  ListeningPort listening;
  port_ = listening.port();
  WriteNginxConfig(responders);
  listening.Share();
  nginx_ = std::make_unique<Process>(
      std::vector<std::string>{kNginx, "-p", dir_.path(), "-c", dir_ / "nginx.conf"},
      dir_ / "nginx.out", dir_ / "nginx.err", listening.NginxEnvironment());
  listening.Seal();
  const bool up = WaitFor(
      [&] {
        try {
          return Get(port_, "/channels/1/fields/1/last.txt").status != 0;
        } catch (const std::exception&) {
          return false;
        }
      },
      std::chrono::seconds(20));
  BOOST_REQUIRE_MESSAGE(
      up && ListensOn(nginx_->pid(), port_),
      "nginx did not start: " << ReadFile(dir_ / "nginx.err") << ReadFile(dir_ / "error.log"));
}

std::string NginxFcgiFixture::ResponderLog(int i) const {
  return ReadFile(dir_ / ("fcgi" + std::to_string(i) + ".log"));
}

void NginxFcgiFixture::WriteNginxConfig(int responders) {
  const std::string snippets = dir_ / "snippets";
  std::filesystem::create_directories(snippets);
  std::filesystem::create_directories(dir_ / "temp");
  for (const char* name : {"fieldpost.conf", "fieldpost-fastcgi.conf", "fieldpost-upstream.conf"}) {
    std::string text = ReadFile(std::string(FIELDPOST_SOURCE_DIR) + "/conf/nginx/" + name);
    BOOST_REQUIRE_MESSAGE(!text.empty(), "missing conf/nginx/" << name);
    text = ReplaceAll(text, "/etc/nginx/snippets/", snippets + "/");
    text = ReplaceAll(text, "unix:/run/fieldpost/fcgi.sock", "unix:" + (dir_ / "fcgi0.sock"));
    WriteFile(snippets + "/" + name, text);
  }
  // The shipped upstream, as in /etc/nginx/conf.d/; several responders are
  // balanced by listing each in it, as a sysadmin would.
  std::string upstream = ReadFile(snippets + "/fieldpost-upstream.conf");
  for (int i = 1; i < responders; ++i) {
    const std::string first = "    server unix:" + (dir_ / "fcgi0.sock") + ";\n";
    upstream = ReplaceAll(
        upstream, first,
        first + "    server unix:" + (dir_ / ("fcgi" + std::to_string(i) + ".sock")) + ";\n");
  }
  std::filesystem::copy_file("/etc/nginx/fastcgi_params", dir_ / "fastcgi_params",
                             std::filesystem::copy_options::overwrite_existing);
  const std::string locations =
      !locations_.empty() ? locations_
                          : "    include " + snippets + "/fieldpost.conf;\n    location /iot/ {\n" +
                                "      include " + snippets +
                                "/fieldpost-fastcgi.conf;\n    }\n    location / { return 200 "
                                "\"site\"; }\n";
  const std::string temp = dir_ / "temp";
  WriteFile(dir_ / "nginx.conf",
            std::string(geteuid() == 0 ? "user root;\n" : "") +
                "daemon off;\nmaster_process on;\nworker_processes 1;\n"
                "pid " +
                (dir_ / "nginx.pid") + ";\nerror_log " + (dir_ / "error.log") +
                " info;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n"
                "  client_body_temp_path " +
                temp + "/body;\n  fastcgi_temp_path " + temp + "/fastcgi;\n  proxy_temp_path " +
                temp + "/proxy;\n  uwsgi_temp_path " + temp + "/uwsgi;\n  scgi_temp_path " + temp +
                "/scgi;\n" + upstream + "  server {\n    listen 127.0.0.1:" +
                std::to_string(port_) + " default_server;\n" + locations + "  }\n}\n");
}

}  // namespace fieldpost::testing
