// A real nginx on a free loopback port with the shipped snippets from
// conf/nginx/, in front of `fieldpost fcgi` on a unix socket. The snippets
// are used as shipped except for two paths (the include directory and the
// socket), which the test rewrites to its temporary directory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {

class NginxFcgiFixture {
 public:
  // Starts `responders` fieldpost fcgi processes (each with its own socket,
  // balanced by an nginx upstream when more than one) sharing one data
  // directory. PrepareData runs before the servers start.
  explicit NginxFcgiFixture(int responders = 1);

  // One responder started as systemd starts it: the socket is created by
  // `launcher_prefix` (e.g. systemd-socket-activate -l SOCKET) and passed
  // to `fieldpost fcgi` without --socket. `{socket}` in the prefix is
  // replaced by the socket path.
  explicit NginxFcgiFixture(const std::vector<std::string>& launcher_prefix);

  // One responder behind a server block whose locations are `locations`,
  // the way a sysadmin would write them, instead of the shipped snippets:
  // "{pass}" in it becomes the responder's socket, and `include
  // fastcgi_params;` finds Debian's file as in /etc/nginx.
  static std::unique_ptr<NginxFcgiFixture> WithLocations(const std::string& locations);

  // One responder on a PostgreSQL database (--database URI) instead of the
  // data directory; data_dir() then gives the URI.
  static std::unique_ptr<NginxFcgiFixture> OnDatabase(const std::string& uri);

  std::uint16_t port() const { return port_; }
  std::string data_dir() const { return database_.empty() ? dir_ / "data" : database_; }
  Process& responder(int i) { return *responders_[i]; }
  std::string socket_path(int i) const { return dir_ / ("fcgi" + std::to_string(i) + ".sock"); }
  std::string ResponderLog(int i) const;
  std::string ErrorLog() const { return ReadFile(dir_ / "error.log"); }

 private:
  void StartResponder(int i, const std::vector<std::string>& launcher_prefix);
  void StartNginx(int responders);
  void WriteNginxConfig(int responders);

  explicit NginxFcgiFixture(const std::string& locations);
  struct Database {
    std::string uri;
  };
  explicit NginxFcgiFixture(Database database);

  TempDir dir_;
  std::string locations_;  // empty: the shipped snippets
  std::string database_;   // empty: the data directory
  std::uint16_t port_ = 0;
  std::vector<std::unique_ptr<Process>> responders_;
  std::unique_ptr<Process> nginx_;
};

}  // namespace fieldpost::testing
