// `fieldpost serve` and `fieldpost fcgi`: open the store, start a frontend,
// wait for SIGTERM, then stop accepting, finish requests in progress and
// commit every acknowledged write before exiting.
#include <signal.h>
#include <string.h>

#include <memory>

#include "app/commands.h"
#include "app/common_options.h"
#include "app/termination_signals.h"
#include "fcgi/fcgi_server.h"
#include "httpd/httpd_server.h"
#include "module/api.h"
#include "module/log.h"
#include "storage/lmdb_store.h"

namespace fieldpost {
namespace {

template <typename Server, typename Options>
int RunServer(const StorageOptions& storage, const ApiOptions& api_options,
              const Options& options) {
  BlockTerminationSignals();
  auto store = LmdbStore::Open(storage);
  if (!store.ok()) {
    LogError(store.status().message());
    return 1;
  }
  Api api(**store, api_options);
  Server server(api, options);
  if (Status s = server.Start(); !s.ok()) {
    LogError(s.message());
    return 1;
  }
  LogInfo("data in " + storage.data_dir);
  const int signal_number = WaitForTerminationSignal();
  LogInfo(std::string("received ") + sigabbrev_np(signal_number) + ", stopping");
  server.Stop();
  (*store)->StopWrites();
  LogInfo("stopped");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("serve", "Run the standalone HTTP server (libmicrohttpd)");
  auto storage = std::make_shared<StorageOptions>();
  auto api = std::make_shared<ApiOptions>();
  auto options = std::make_shared<HttpdOptions>();
  AddStorageOptions(*command, *storage);
  AddApiOptions(*command, *api);
  command->add_option("--listen", options->listen, "IPv4 address and port to listen on")
      ->capture_default_str();
  command->add_option("--threads", options->threads, "Worker threads")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  command->callback(
      [=, &exit_code] { exit_code = RunServer<HttpdServer>(*storage, *api, *options); });
}

void AddFcgiCommand(CLI::App& app, int& exit_code) {
  auto* command =
      app.add_subcommand("fcgi", "Run the FastCGI responder behind nginx or Apache (libfcgi)");
  auto storage = std::make_shared<StorageOptions>();
  auto api = std::make_shared<ApiOptions>();
  auto options = std::make_shared<FcgiOptions>();
  AddStorageOptions(*command, *storage);
  AddApiOptions(*command, *api);
  command->add_option("--socket", options->socket,
                      "Unix socket path or HOST:PORT to listen on; without it, the listening "
                      "socket inherited as fd 0 (web server, spawn-fcgi, systemd)");
  command->add_option("--threads", options->threads, "Worker threads")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  command->callback(
      [=, &exit_code] { exit_code = RunServer<FcgiServer>(*storage, *api, *options); });
}

}  // namespace fieldpost
