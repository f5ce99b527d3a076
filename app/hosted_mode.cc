#include "app/hosted_mode.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/server_config.h"
#include "app/server_run.h"
#include "core/log.h"
#include "fcgi/cgi_responder.h"

namespace fieldpost {

bool IsHostedProgramName(std::string_view argv0) {
  return argv0.ends_with(".fcgi") || argv0.ends_with(".cgi");
}

int RunHosted(const char* argv0) {
  // The directory the web server ran us from, not that of a symlink target:
  // that is where the user put the program and its configuration.
  std::error_code error;
  const std::filesystem::path directory =
      std::filesystem::absolute(argv0, error).parent_path().lexically_normal();
  ServerConfig config;
  config.storage.data_dir = (directory / "data").string();
  std::string path;
  if (const char* from_env = std::getenv("FIELDPOST_CONFIG")) {
    path = from_env;
  } else if (std::filesystem::exists(directory / "fieldpost.conf", error)) {
    path = (directory / "fieldpost.conf").string();
  }
  if (!path.empty()) {
    Status s = LoadConfigFile(path, config);
    if (s.ok()) s = ValidateConfig(config);
    if (!s.ok()) {
      LogError(s.message());
      if (IsCgiRequest()) {
        // Tell the browser where to look, but not what the file says
        // (paths, keys): any web client may be asking.
        std::printf(
            "Status: 500\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "fieldpost configuration error: the web server's error log says which\n");
      }
      return 1;
    }
  }
  return RunFastCgiResponder(config);
}

}  // namespace fieldpost
