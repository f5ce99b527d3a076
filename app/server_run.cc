#include "app/server_run.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <memory>

#include "api/api.h"
#include "app/listen_socket.h"
#include "app/termination_signals.h"
#include "core/log.h"
#include "fcgi/cgi_responder.h"
#include "fcgi/fcgi_server.h"
#include "httpd/access_log.h"
#include "httpd/httpd_server.h"
#include "storage/open_store.h"

namespace fieldpost {
namespace {

// Serves until SIGTERM or SIGINT, then stops the frontend (finishing
// requests in progress) and commits every queued write. SIGHUP runs
// `reopen_logs` and serving goes on.
template <typename Server>
int ServeUntilSignal(Server& server, const ListeningSocket& socket, AdminStore& store,
                     const std::string& ready, const std::function<void()>& reopen_logs) {
  if (Status s = server.Start(socket.fd()); !s.ok()) {
    LogError(s.message());
    return 1;
  }
  LogInfo(ready);
  LogInfo("data in " + store.Location());
  int signal_number = 0;
  while ((signal_number = WaitForTerminationSignal()) == SIGHUP) {
    LogInfo("received SIGHUP, reopening logs");
    reopen_logs();
  }
  LogInfo(std::string("received ") + sigabbrev_np(signal_number) + ", stopping");
  server.Stop();
  store.StopWrites();
  LogInfo("stopped");
  return 0;
}

Result<std::unique_ptr<AdminStore>> OpenServerStore(const ServerConfig& config) {
  auto store = OpenStore(config.storage);
  if (!store.ok()) LogError(store.status().message());
  return store;
}

// mod_fcgid hands the responder a listening socket as fd 0; mod_cgid hands
// a CGI program a connected one. Only the first means FastCGI.
bool StdinIsListeningSocket() {
  int listening = 0;
  socklen_t size = sizeof listening;
  return getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 && listening != 0;
}

// The listening socket systemd passed by socket activation (sd_listen_fds
// protocol: fd 3, announced in LISTEN_FDS for the process LISTEN_PID), or
// -1. Read by hand to avoid linking libsystemd for two variables.
int SystemdSocket() {
  const char* pid = std::getenv("LISTEN_PID");
  const char* fds = std::getenv("LISTEN_FDS");
  if (pid == nullptr || fds == nullptr) return -1;
  if (std::strtol(pid, nullptr, 10) != getpid() || std::strtol(fds, nullptr, 10) < 1) return -1;
  constexpr int kFirstPassedFd = 3;
  fcntl(kFirstPassedFd, F_SETFD, FD_CLOEXEC);
  return kFirstPassedFd;
}

Result<ListeningSocket> FcgiSocket(const FcgiOptions& options) {
  if (!options.socket.empty()) {
    return ListeningSocket::Open(options.socket, options.backlog, options.socket_mode);
  }
  if (const int passed = SystemdSocket(); passed >= 0) {
    return ListeningSocket::Adopt(passed,
                                  "inherited fd " + std::to_string(passed) + " (from systemd)");
  }
  if (!StdinIsListeningSocket()) {
    return InvalidArgument(
        "fd 0 is not a listening socket: pass --socket PATH|HOST:PORT, "
        "or start fieldpost from a web server, spawn-fcgi or systemd");
  }
  return ListeningSocket::Adopt(0, "inherited fd 0");
}

// Each connection holds a descriptor: lift the soft limit (often 1024) to
// the hard one so that the connection limits, not the kernel, decide.
void RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int RunStandaloneServer(const ServerConfig& config) {
  BlockTerminationSignals();
  RaiseDescriptorLimit();
  std::unique_ptr<AccessLog> access_log;
  if (!config.access_log.empty()) {
    auto opened = AccessLog::Open(config.access_log);
    if (!opened.ok()) {
      LogError(opened.status().message());
      return 1;
    }
    access_log = std::move(opened).value();
  }
  auto socket = ListeningSocket::OpenTcp(config.httpd.listen, SOMAXCONN);
  if (!socket.ok()) {
    LogError(socket.status().message());
    return 1;
  }
  auto store = OpenServerStore(config);
  if (!store.ok()) return 1;
  Api api(**store, config.api);
  HttpdServer server(api, config.httpd, access_log.get());
  const std::string ready =
      "http server listening on http://" + socket->description() + "/ with " +
      std::to_string(config.httpd.threads == 0 ? DefaultServeThreads() : config.httpd.threads) +
      " threads";
  return ServeUntilSignal(server, *socket, **store, ready, [&] {
    if (access_log == nullptr) return;
    if (Status s = access_log->Reopen(); !s.ok()) LogError(s.message());
  });
}

int RunFastCgiResponder(const ServerConfig& config) {
  if (config.fcgi.socket.empty() && !StdinIsListeningSocket() && IsCgiRequest()) {
    // Plain CGI: one request per process, nothing to wait for, and nothing
    // worth keeping in memory for the next.
    ServerConfig cgi = config;
    cgi.storage.cache_channels = false;
    auto store = OpenServerStore(cgi);
    if (!store.ok()) return 1;
    Api api(**store, config.api);
    const Status answered = AnswerCgiRequest(api);
    if (!answered.ok()) LogError(answered.message());
    return answered.ok() ? 0 : 1;
  }
  BlockTerminationSignals();
  auto socket = FcgiSocket(config.fcgi);
  if (!socket.ok()) {
    LogError(socket.status().message());
    return 1;
  }
  auto store = OpenServerStore(config);
  if (!store.ok()) return 1;
  Api api(**store, config.api);
  FcgiServer server(api, config.fcgi);
  const std::string ready =
      "fastcgi responder ready on " + socket->description() + " with " +
      std::to_string(config.fcgi.threads == 0 ? DefaultFcgiThreads() : config.fcgi.threads) +
      " threads";
  // The responder writes no log files of its own; stderr goes to the
  // journal or the web server's error log.
  return ServeUntilSignal(server, *socket, **store, ready, [] {});
}

}  // namespace fieldpost
