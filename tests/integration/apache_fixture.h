// A real Apache 2.4 (apache2 -DNO_DETACH with its own config file) on a
// free loopback port, set up the two ways fieldpost ships for it:
//
// - ApacheProxyFcgiFixture: a vhost with the shipped
//   conf/apache/fieldpost-proxy-fcgi.conf (at the root, and its commented
//   /iot/ example) in front of `fieldpost fcgi --socket`.
// - ApacheFcgidFixture: a shared-hosting folder holding the program as
//   fieldpost.fcgi (mod_fcgid) or fieldpost.cgi (mod_cgid or mod_cgi) and
//   conf/apache/fieldpost-fcgid.htaccess as its .htaccess, AllowOverride All.
//
// Only the socket path in the snippet is rewritten. As root, Apache's
// children run as www-data (Apache refuses root), so the files they need
// are made reachable by www-data. A missing apache2 fails the test.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {

// apache2 running in `dir` with `modules` (names of mod_NAME.so) and
// `site` (config text for the one vhost). Destruction stops it and then
// kills any process still running a program installed under `dir`
// (fcgid children, CGI programs).
class ApacheServer {
 public:
  ApacheServer(const TempDir& dir, const std::vector<std::string>& modules,
               const std::string& site);
  ~ApacheServer();
  ApacheServer(const ApacheServer&) = delete;
  ApacheServer& operator=(const ApacheServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string ErrorLog() const;
  // To the parent process (SIGUSR1: a graceful restart).
  void Signal(int signal_number) { apache_->Signal(signal_number); }
  // The live processes (not Apache's) running a program installed in the
  // directory: mod_fcgid's children, CGI programs.
  std::vector<int> ProgramPids() const;

 private:
  // Processes whose command line names a path in the directory.
  std::vector<int> Pids(bool with_apache) const;

  const TempDir& dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<Process> apache_;
};

class ApacheProxyFcgiFixture {
 public:
  enum class Config {
    kShippedSnippet,  // the snippet at the root and its example under /iot
    // What a sysadmin writes by habit instead: "ProxyPass /iot/
    // unix:SOCKET|fcgi://localhost/" and the same for "/".
    kHabitualProxyPass,
    // The same with "SetEnv ap_trust_cgilike_cl 1", as docs/deploy/apache-fastcgi.md advises.
    kProxyPassTrustingLength,
  };

  // Starts `fieldpost fcgi --socket` on a fresh data directory, then Apache
  // configured as `config` says.
  explicit ApacheProxyFcgiFixture(Config config = Config::kShippedSnippet);

  std::uint16_t port() const { return apache_->port(); }
  std::string data_dir() const { return dir_ / "data"; }
  std::string Logs() const;

 private:
  TempDir dir_;
  std::unique_ptr<Process> responder_;
  std::unique_ptr<ApacheServer> apache_;
};

class ApacheFcgidFixture {
 public:
  enum class Handler {
    kFcgid,  // fieldpost.fcgi under mod_fcgid (mpm_event)
    kCgid,   // fieldpost.cgi under mod_cgid (mpm_event, Debian's default)
    kCgi,    // fieldpost.cgi under mod_cgi (mpm_prefork)
  };

  // Installs the program and .htaccess in the folder serving `prefix` (""
  // for the web root, or e.g. "/iot"), runs `prepare` on its data
  // directory, hands the folder to Apache's user and starts Apache.
  ApacheFcgidFixture(Handler handler, const std::string& prefix,
                     const std::function<void(const std::string& data_dir)>& prepare);

  std::uint16_t port() const { return apache_->port(); }
  // data/ next to the program: the program's default.
  std::string data_dir() const { return folder_ + "/data"; }
  // The folder in the web root that holds the program and the .htaccess.
  const std::string& folder() const { return folder_; }
  ApacheServer& apache() { return *apache_; }
  std::string Logs() const;

 private:
  TempDir dir_;
  std::string folder_;
  std::unique_ptr<ApacheServer> apache_;
};

}  // namespace fieldpost::testing
