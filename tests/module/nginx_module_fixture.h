// A real nginx on a free loopback port with ngx_http_fieldpost_module
// loaded, configured the way docs/deploy/nginx-module.md says: fieldpost_data in the http
// block, the API at the site root and again under /iot/.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {

class NginxModuleFixture {
 public:
  // `data_dir` empty: a new one of its own; else an existing one, which
  // other servers may be serving at the same time, or a PostgreSQL URI
  // (fieldpost_database). `locations` replaces
  // the server block's locations (the API at / and /iot/) when not empty.
  explicit NginxModuleFixture(int workers = 2, const std::string& data_dir = "",
                              const std::string& locations = "");
  // Stops nginx gracefully (nginx -s quit).
  ~NginxModuleFixture();

  std::uint16_t port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  std::string ErrorLog() const;
  Process& master() { return *nginx_; }
  // The worker processes' pids, read from /proc (children of the master).
  std::vector<pid_t> Workers() const;

 private:
  TempDir dir_;
  std::string data_dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<Process> nginx_;
};

}  // namespace fieldpost::testing
