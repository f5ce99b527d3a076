// Everything the servers can be configured with, and the one table of
// settings that drives fieldpost.conf, the command-line flags and
// `fieldpost check-config`. Each setting has one default, set here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/api_context.h"
#include "core/status.h"
#include "fcgi/fcgi_server.h"
#include "httpd/httpd_options.h"
#include "storage/storage_options.h"

namespace fieldpost {

struct ServerConfig {
  // The servers prune entries past their retention every hour, and keep
  // channel records in memory on a database.
  StorageOptions storage{.prune_interval = std::chrono::hours(1), .cache_channels = true};
  ApiOptions api;
  HttpdOptions httpd;
  FcgiOptions fcgi;
  // The standalone server's access log in the common log format: a file
  // path, "-" for stderr, empty for none.
  std::string access_log;
};

// Which commands a setting applies to.
enum CommandMask : unsigned { kServeCommand = 1, kFcgiCommand = 2, kBothCommands = 3 };

struct Setting {
  std::string_view key;   // in fieldpost.conf, e.g. "serve.listen"
  std::string_view flag;  // on the command line, e.g. "--listen"; empty: file only
  unsigned commands;
  std::string_view help;
  // Parses `value` into the config; InvalidArgument with the reason.
  Status (*parse)(std::string_view value, ServerConfig& config);
  // The current value as fieldpost.conf would spell it.
  std::string (*show)(const ServerConfig& config);
};

// Every setting, in the order the sample configuration lists them.
const std::vector<Setting>& Settings();

// Applies a fieldpost.conf: `key = value` lines, blank lines and lines
// starting with '#'. An unknown key, a repeated key or a bad value is an
// error naming the file and line.
Status LoadConfigFile(const std::string& path, ServerConfig& config);

// Why both data and database were given.
const char* DataOrDatabaseError();

// Checks what no single setting can: the settings against each other.
Status ValidateConfig(const ServerConfig& config);

// The whole configuration, one `key = value` line per setting.
std::string ShowConfig(const ServerConfig& config);

}  // namespace fieldpost
