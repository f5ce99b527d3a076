#include "tests/integration/apache_fixture.h"

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <sstream>

#include "tests/support/http_client.h"
#include "tests/support/listening_port.h"
#include "tests/support/text.h"

namespace fieldpost::testing {
namespace {

constexpr const char* kApache = "/usr/sbin/apache2";
constexpr const char* kModules = "/usr/lib/apache2/modules/";
// As root, Apache's children (and so mod_fcgid's and CGI programs) run as
// this user; Apache refuses to run them as root.
constexpr const char* kApacheUser = "www-data";
// The responder's socket as conf/apache/fieldpost-proxy-fcgi.conf names it.
constexpr const char* kShippedSocket = "/run/fieldpost/fcgi.sock";

// What the shared-hosting folder runs. The real binary, as a user uploads
// it; set to true to stand in a script that runs `fieldpost fcgi` on the
// inherited socket (mod_fcgid only: a script cannot answer plain CGI).
constexpr bool kInstallWrapperScript = false;

void InstallProgram(const std::string& path, const std::string& data_dir) {
  if (kInstallWrapperScript) {
    WriteFile(path, std::string("#!/bin/sh\nexec ") + FIELDPOST_BINARY + " fcgi --data " +
                        data_dir + "\n");
  } else {
    std::filesystem::copy_file(FIELDPOST_BINARY, path);
  }
  chmod(path.c_str(), 0755);
}

bool IsRoot() { return geteuid() == 0; }

// Hands `path` (and, for a directory, everything below) to Apache's user;
// nothing to do unless we are root.
void GiveToApache(const std::string& path) {
  if (!IsRoot()) return;
  const passwd* user = getpwnam(kApacheUser);
  BOOST_REQUIRE_MESSAGE(user != nullptr, "no user " << kApacheUser);
  BOOST_REQUIRE(chown(path.c_str(), user->pw_uid, user->pw_gid) == 0);
  if (!std::filesystem::is_directory(path)) return;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
    BOOST_REQUIRE(lchown(entry.path().c_str(), user->pw_uid, user->pw_gid) == 0);
  }
}

// Gives the socket at `path` (mode 0660) to Apache's group, so that
// Apache's children may connect to it.
void ShareGroupWithApache(const std::string& path) {
  if (!IsRoot()) return;
  const group* apache_group = getgrnam(kApacheUser);
  BOOST_REQUIRE_MESSAGE(apache_group != nullptr, "no group " << kApacheUser);
  BOOST_REQUIRE(chown(path.c_str(), static_cast<uid_t>(-1), apache_group->gr_gid) == 0);
}

std::string ShippedFile(const std::string& name) {
  const std::string text = ReadFile(std::string(FIELDPOST_SOURCE_DIR) + "/conf/apache/" + name);
  BOOST_REQUIRE_MESSAGE(!text.empty(), "missing conf/apache/" << name);
  return text;
}

// The snippet's commented prefix example, uncommented as a user would.
std::string PrefixExample(const std::string& snippet) {
  const std::size_t begin = snippet.find("# <LocationMatch");
  const std::size_t end = snippet.find("# </LocationMatch>", begin);
  BOOST_REQUIRE_MESSAGE(begin != std::string::npos && end != std::string::npos,
                        "no commented <LocationMatch> example in the snippet");
  std::istringstream lines(snippet.substr(begin, end - begin) + "# </LocationMatch>\n");
  std::string block;
  for (std::string line; std::getline(lines, line);) {
    block += (line.starts_with("# ") ? line.substr(2) : line) + "\n";
  }
  return block;
}

}  // namespace

ApacheServer::ApacheServer(const TempDir& dir, const std::vector<std::string>& modules,
                           const std::string& site)
    : dir_(dir) {
  BOOST_REQUIRE_MESSAGE(access(kApache, X_OK) == 0, "Apache is not installed at "
                                                        << kApache
                                                        << " (apt-get install apache2 "
                                                           "libapache2-mod-fcgid)");
  // Apache's user must be able to reach the files below the temp dir.
  chmod(dir_.path().c_str(), 0755);
  // Apache cannot take over a socket: it binds a port that was free a
  // moment ago, and the test makes sure Apache holds it (not a process
  // that took it meanwhile), choosing another port if not.
  for (int attempt = 0;; ++attempt) {
    port_ = FreePort();
    std::string config = "ServerRoot " + dir_.path() + "\nDefaultRuntimeDir " + dir_.path() +
                         "\nPidFile " + (dir_ / "apache.pid") + "\nMutex file:" + dir_.path() +
                         " default\nErrorLog " + (dir_ / "error.log") +
                         "\nLogLevel info\nListen 127.0.0.1:" + std::to_string(port_) +
                         "\nServerName localhost\nTypesConfig /dev/null\n";
    if (IsRoot()) config += std::string("User ") + kApacheUser + "\nGroup " + kApacheUser + "\n";
    for (const std::string& module : modules) {
      const std::string file = std::string(kModules) + "mod_" + module + ".so";
      BOOST_REQUIRE_MESSAGE(access(file.c_str(), R_OK) == 0, "missing Apache module " << file);
      config += "LoadModule " + module + "_module " + file + "\n";
    }
    config += "<Directory />\n  AllowOverride None\n  Require all denied\n</Directory>\n" + site;
    WriteFile(dir_ / "apache.conf", config);
    // NO_DETACH rather than FOREGROUND: Apache stays our child but calls
    // setsid(), and prefork's shutdown signals its whole process group,
    // which would otherwise be the test runner's.
    apache_ = std::make_unique<Process>(
        std::vector<std::string>{kApache, "-f", dir_ / "apache.conf", "-DNO_DETACH"},
        dir_ / "apache.out", dir_ / "apache.err");
    const bool up = WaitFor(
        [&] {
          if (!apache_->running()) return true;
          try {
            return Get(port_, "/").status != 0;
          } catch (const std::exception&) {
            return false;
          }
        },
        std::chrono::seconds(20));
    if (up && apache_->running() && ListensOn(apache_->pid(), port_)) return;
    const bool taken =
        ReadFile(dir_ / "apache.err").find("Address already in use") != std::string::npos ||
        (up && apache_->running());
    BOOST_REQUIRE_MESSAGE(taken && attempt < 5,
                          "Apache did not start: " << ReadFile(dir_ / "apache.err") << ErrorLog());
    apache_.reset();  // stops it, if it runs at all
  }
}

ApacheServer::~ApacheServer() {
  apache_.reset();  // SIGTERM: Apache stops its children and mod_fcgid's
  // Whatever outlived it (a CGI program still running, an fcgid child of
  // a killed Apache) was started from the temp dir.
  for (const int signal_number : {SIGTERM, SIGKILL}) {
    for (const int pid : Pids(true)) kill(pid, signal_number);
    if (WaitFor([&] { return Pids(true).empty(); }, std::chrono::seconds(5))) return;
  }
}

std::string ApacheServer::ErrorLog() const { return ReadFile(dir_ / "error.log"); }

std::vector<int> ApacheServer::ProgramPids() const { return Pids(false); }

std::vector<int> ApacheServer::Pids(bool with_apache) const {
  std::vector<int> pids;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const int pid = std::stoi(name);
    if (pid == getpid()) continue;
    // Apache's command line names apache.conf in the temp dir; a program's
    // names its path (or, for the wrapper script, its data directory).
    const std::string command_line = ReadFile(entry.path() / "cmdline");
    if (command_line.find(dir_.path() + "/") == std::string::npos) continue;
    std::error_code no_link;
    if (!with_apache && std::filesystem::read_symlink(entry.path() / "exe", no_link) == kApache) {
      continue;
    }
    pids.push_back(pid);
  }
  return pids;
}

ApacheProxyFcgiFixture::ApacheProxyFcgiFixture(Config config) {
  const std::string socket = dir_ / "fcgi.sock";
  responder_ = std::make_unique<Process>(
      std::vector<std::string>{FIELDPOST_BINARY, "fcgi", "--data", data_dir(), "--socket", socket,
                               "--threads", "4"},
      dir_ / "fcgi.out", dir_ / "fcgi.log");
  BOOST_REQUIRE_MESSAGE(
      WaitFor([&] { return access(socket.c_str(), F_OK) == 0; }, std::chrono::seconds(20)),
      "fcgi did not start: " << ReadFile(dir_ / "fcgi.log"));
  ShareGroupWithApache(socket);

  const std::string shipped = ShippedFile("fieldpost-proxy-fcgi.conf");
  BOOST_REQUIRE_MESSAGE(shipped.find(kShippedSocket) != std::string::npos,
                        "the snippet no longer names " << kShippedSocket);
  const std::string snippet = ReplaceAll(shipped, kShippedSocket, socket);
  WriteFile(dir_ / "fieldpost-proxy-fcgi.conf", snippet);
  WriteFile(dir_ / "fieldpost-proxy-fcgi-iot.conf", PrefixExample(snippet));
  std::filesystem::create_directories(dir_ / "www");
  WriteFile(dir_ / "www/index.html", "site");
  const std::string www = dir_ / "www";
  const std::string pass = "unix:" + socket + "|fcgi://localhost/";
  std::string routes = config == Config::kShippedSnippet
                           ? "  Include " + (dir_ / "fieldpost-proxy-fcgi.conf") + "\n  Include " +
                                 (dir_ / "fieldpost-proxy-fcgi-iot.conf")
                           : "  ProxyPass /iot/ " + pass + "\n  ProxyPass / " + pass;
  if (config == Config::kProxyPassTrustingLength) routes += "\n  SetEnv ap_trust_cgilike_cl 1";
  apache_ = std::make_unique<ApacheServer>(
      dir_,
      // mod_dir as on a stock Apache: the front page must still be fieldpost's.
      std::vector<std::string>{"mpm_event", "authz_core", "dir", "env", "mime", "proxy",
                               "proxy_fcgi"},
      "<VirtualHost 127.0.0.1:*>\n  DocumentRoot " + www + "\n  <Directory " + www +
          ">\n    Require all granted\n  </Directory>\n" + routes + "\n</VirtualHost>\n");
}

std::string ApacheProxyFcgiFixture::Logs() const {
  return apache_->ErrorLog() + ReadFile(dir_ / "fcgi.log");
}

ApacheFcgidFixture::ApacheFcgidFixture(
    Handler handler, const std::string& prefix,
    const std::function<void(const std::string& data_dir)>& prepare) {
  const std::string www = dir_ / "www";
  folder_ = www + prefix;
  std::filesystem::create_directories(folder_);
  const bool fcgid = handler == Handler::kFcgid;
  InstallProgram(folder_ + (fcgid ? "/fieldpost.fcgi" : "/fieldpost.cgi"), data_dir());
  WriteFile(folder_ + "/.htaccess", ShippedFile("fieldpost-fcgid.htaccess"));
  prepare(data_dir());
  // On a shared host the account owns its folder and its programs run as
  // the account; here that account is Apache's user.
  GiveToApache(www);

  std::vector<std::string> modules = {handler == Handler::kCgi ? "mpm_prefork" : "mpm_event",
                                      "authz_core",
                                      "autoindex",
                                      "dir",
                                      "env",
                                      "mime",
                                      "rewrite"};
  std::string site;
  switch (handler) {
    case Handler::kFcgid:
      modules.push_back("fcgid");
      site = "FcgidIPCDir " + (dir_ / "fcgid") + "\nFcgidProcessTableFile " + (dir_ / "fcgid.shm") +
             "\n";
      break;
    case Handler::kCgid:
      modules.push_back("cgid");
      site = "ScriptSock " + (dir_ / "cgid.sock") + "\n";
      break;
    case Handler::kCgi:
      modules.push_back("cgi");
      break;
  }
  site += "DocumentRoot " + www + "\n<Directory " + www +
          ">\n  AllowOverride All\n  Require all granted\n</Directory>\n";
  apache_ = std::make_unique<ApacheServer>(dir_, modules, site);
}

std::string ApacheFcgidFixture::Logs() const { return apache_->ErrorLog(); }

}  // namespace fieldpost::testing
