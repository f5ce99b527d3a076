#include "tests/module/nginx_module_fixture.h"

#include <signal.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/http_client.h"
#include "tests/support/listening_port.h"
#include "tests/support/store_location.h"

namespace fieldpost::testing {
namespace {

constexpr const char* kNginxProgram = "/usr/sbin/nginx";

}  // namespace

NginxModuleFixture::NginxModuleFixture(int workers, const std::string& data_dir,
                                       const std::string& locations)
    : data_dir_(data_dir.empty() ? dir_ / "data" : data_dir) {
  BOOST_REQUIRE_MESSAGE(access(kNginxProgram, X_OK) == 0,
                        "nginx is not installed at " << kNginxProgram);
  const bool database = IsDatabaseUri(data_dir_);
  if (!database) std::filesystem::create_directories(data_dir_);
  std::filesystem::create_directories(dir_ / "temp");
  // Taken over by nginx (NGINX=fd;): no other process can get the port
  // between its choice and nginx's start.
  ListeningPort listening;
  port_ = listening.port();
  const std::string temp = dir_ / "temp";
  WriteFile(
      dir_ / "nginx.conf",
      "load_module " + std::string(FIELDPOST_NGINX_MODULE_PATH) + ";\n" +
          (geteuid() == 0 ? "user root;\n" : "") +
          "daemon off;\nmaster_process on;\nworker_processes " + std::to_string(workers) +
          ";\npid " + (dir_ / "nginx.pid") + ";\nerror_log " + (dir_ / "error.log") +
          " info;\nevents { worker_connections 512; }\nhttp {\n  access_log off;\n"
          "  client_body_temp_path " +
          temp + "/body;\n  proxy_temp_path " + temp + "/proxy;\n  fastcgi_temp_path " + temp +
          "/fastcgi;\n  uwsgi_temp_path " + temp + "/uwsgi;\n  scgi_temp_path " + temp +
          "/scgi;\n  " + (database ? "fieldpost_database " : "fieldpost_data ") + data_dir_ +
          ";\n  server {\n    listen 127.0.0.1:" + std::to_string(port_) + " default_server;\n" +
          (locations.empty() ? "    location /iot/ { fieldpost; }\n    location / { fieldpost; }\n"
                             : locations) +
          "  }\n}\n");
  listening.Share();
  nginx_ = std::make_unique<Process>(
      std::vector<std::string>{kNginxProgram, "-p", dir_.path(), "-c", dir_ / "nginx.conf"},
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
  BOOST_REQUIRE_MESSAGE(up && ListensOn(nginx_->pid(), port_),
                        "nginx did not start: " << ReadFile(dir_ / "nginx.err") << ErrorLog());
}

NginxModuleFixture::~NginxModuleFixture() {
  if (nginx_ && nginx_->running()) {
    nginx_->Signal(SIGQUIT);
    nginx_->Wait(std::chrono::seconds(20));
  }
}

std::string NginxModuleFixture::ErrorLog() const { return ReadFile(dir_ / "error.log"); }

std::vector<pid_t> NginxModuleFixture::Workers() const {
  std::vector<pid_t> workers;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string pid, comm, state;
    pid_t parent = 0;
    if (stat >> pid >> comm >> state >> parent && parent == nginx_->pid()) {
      workers.push_back(static_cast<pid_t>(std::stol(pid)));
    }
  }
  return workers;
}

}  // namespace fieldpost::testing
