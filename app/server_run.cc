#include "app/server_run.h"

#include <signal.h>
#include <string.h>
#include <sys/socket.h>

#include <memory>

#include "app/termination_signals.h"
#include "fcgi/cgi_responder.h"
#include "fcgi/fcgi_server.h"
#include "httpd/access_log.h"
#include "httpd/httpd_server.h"
#include "module/api.h"
#include "module/log.h"
#include "storage/lmdb_store.h"

namespace fieldpost {
namespace {

// Serves until SIGTERM/SIGINT/SIGHUP, then stops the frontend (finishing
// requests in progress) and commits every queued write.
template <typename Server>
int ServeUntilSignal(Server& server, LmdbStore& store, const std::string& data_dir) {
  if (Status s = server.Start(); !s.ok()) {
    LogError(s.message());
    return 1;
  }
  LogInfo("data in " + data_dir);
  const int signal_number = WaitForTerminationSignal();
  LogInfo(std::string("received ") + sigabbrev_np(signal_number) + ", stopping");
  server.Stop();
  store.StopWrites();
  LogInfo("stopped");
  return 0;
}

Result<std::unique_ptr<LmdbStore>> OpenStore(const ServerConfig& config) {
  auto store = LmdbStore::Open(config.storage);
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

}  // namespace

int RunStandaloneServer(const ServerConfig& config) {
  BlockTerminationSignals();
  std::unique_ptr<AccessLog> access_log;
  if (!config.access_log.empty()) {
    auto opened = AccessLog::Open(config.access_log);
    if (!opened.ok()) {
      LogError(opened.status().message());
      return 1;
    }
    access_log = std::move(opened).value();
  }
  auto store = OpenStore(config);
  if (!store.ok()) return 1;
  Api api(**store, config.api);
  HttpdServer server(api, config.httpd, access_log.get());
  return ServeUntilSignal(server, **store, config.storage.data_dir);
}

int RunFastCgiResponder(const ServerConfig& config) {
  if (config.fcgi.socket.empty() && !StdinIsListeningSocket() && IsCgiRequest()) {
    // Plain CGI: one request per process, nothing to wait for.
    auto store = OpenStore(config);
    if (!store.ok()) return 1;
    Api api(**store, config.api);
    const Status answered = AnswerCgiRequest(api);
    if (!answered.ok()) LogError(answered.message());
    return answered.ok() ? 0 : 1;
  }
  BlockTerminationSignals();
  auto store = OpenStore(config);
  if (!store.ok()) return 1;
  Api api(**store, config.api);
  FcgiServer server(api, config.fcgi);
  return ServeUntilSignal(server, **store, config.storage.data_dir);
}

}  // namespace fieldpost
