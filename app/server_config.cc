#include "app/server_config.h"

#include <charconv>
#include <fstream>
#include <set>

#include "api/router.h"
#include "core/metrics.h"
#include "storage/database_uri.h"

namespace fieldpost {
namespace {

template <typename Number>
Status ParseNumber(std::string_view value, Number min, Number max, Number& out, int base = 10) {
  Number number{};
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number, base);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() || number < min ||
      number > max) {
    return InvalidArgument("expected a number from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", got '" + std::string(value) + "'");
  }
  out = number;
  return OkStatus();
}

Status ParseText(std::string_view value, std::string& out) {
  out = std::string(value);
  return OkStatus();
}

std::string Octal(unsigned value) {
  char buffer[16];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, 8);
  return "0" + std::string(buffer, end);
}

constexpr std::size_t kMiB = std::size_t{1} << 20;

constexpr const char* kDataOrDatabase =
    "set either data (an LMDB directory) or database (a PostgreSQL URI), not both";

}  // namespace

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> settings = {
      {"data", "--data", kBothCommands, "Data directory (created if missing)",
       [](std::string_view v, ServerConfig& c) { return ParseText(v, c.storage.data_dir); },
       [](const ServerConfig& c) { return c.storage.data_dir; }},
      {"database", "--database", kBothCommands,
       "PostgreSQL URI (postgresql://USER@HOST/DBNAME) to keep the data in instead of --data",
       [](std::string_view v, ServerConfig& c) {
         // Empty: none, the data directory holds the data.
         if (Status s = CheckDatabaseUri(v); !v.empty() && !s.ok()) return s;
         return ParseText(v, c.storage.database);
       },
       [](const ServerConfig& c) { return UriWithoutPassword(c.storage.database); }},
      {"database.connections", "", kBothCommands,
       "Connections each process keeps to the PostgreSQL database",
       [](std::string_view v, ServerConfig& c) {
         return ParseNumber<unsigned>(v, 1, 1000, c.storage.database_connections);
       },
       [](const ServerConfig& c) { return std::to_string(c.storage.database_connections); }},
      {"storage.initial_map_mib", "", kBothCommands,
       "Initial LMDB map size in MiB; it doubles when full",
       [](std::string_view v, ServerConfig& c) {
         std::size_t mib = 0;
         Status s = ParseNumber<std::size_t>(v, StorageOptions::kMinMapBytes / kMiB,
                                             std::size_t{1} << 20, mib);
         c.storage.initial_map_bytes = mib * kMiB;
         return s;
       },
       [](const ServerConfig& c) { return std::to_string(c.storage.initial_map_bytes / kMiB); }},
      {"storage.max_map_mib", "", kBothCommands, "Largest LMDB map in MiB (writes then fail 507)",
       [](std::string_view v, ServerConfig& c) {
         std::size_t mib = 0;
         Status s = ParseNumber<std::size_t>(v, StorageOptions::kMinMapBytes / kMiB,
                                             StorageOptions::kMaxMapBytes / kMiB, mib);
         c.storage.max_map_bytes = mib * kMiB;
         return s;
       },
       [](const ServerConfig& c) { return std::to_string(c.storage.max_map_bytes / kMiB); }},
      {"retention_days", "--retention-days", kBothCommands,
       "Days to keep entries of channels without their own retention_days (0: keep them)",
       [](std::string_view v, ServerConfig& c) {
         return ParseNumber<std::uint32_t>(v, 0, ChannelSettings::kMaxRetentionDays,
                                           c.storage.default_retention_days);
       },
       [](const ServerConfig& c) { return std::to_string(c.storage.default_retention_days); }},
      {"storage.prune_interval_s", "", kBothCommands,
       "Seconds between the background passes that prune old entries (0: none)",
       [](std::string_view v, ServerConfig& c) {
         std::uint32_t seconds = 0;
         Status s = ParseNumber<std::uint32_t>(v, 0, 86400, seconds);
         c.storage.prune_interval = std::chrono::seconds(seconds);
         return s;
       },
       [](const ServerConfig& c) { return std::to_string(c.storage.prune_interval.count()); }},
      {"metrics", "", kBothCommands,
       "Answer GET /metrics (Prometheus) with counters shared by every process on the data "
       "directory: true or false",
       [](std::string_view v, ServerConfig& c) {
         if (v != "true" && v != "false") {
           return InvalidArgument("expected true or false, got '" + std::string(v) + "'");
         }
         c.storage.metrics = v == "true";
         // The counters' layout follows the routes of this build.
         c.storage.metrics_layout = MetricsLayout(RouteLabels());
         return OkStatus();
       },
       [](const ServerConfig& c) { return std::string(c.storage.metrics ? "true" : "false"); }},
      {"max_body", "--max-body", kBothCommands, "Largest request body in bytes (413 above)",
       [](std::string_view v, ServerConfig& c) {
         return ParseNumber<std::size_t>(v, ApiOptions::kMinBodyLimit, ApiOptions::kMaxBodyLimit,
                                         c.api.max_body_bytes);
       },
       [](const ServerConfig& c) { return std::to_string(c.api.max_body_bytes); }},
      {"max_bulk_body", "--max-bulk-body", kBothCommands,
       "Largest bulk_update body in bytes (413 above)",
       [](std::string_view v, ServerConfig& c) {
         return ParseNumber<std::size_t>(v, ApiOptions::kMinBodyLimit,
                                         ApiOptions::kMaxBulkBodyLimit, c.api.max_bulk_body_bytes);
       },
       [](const ServerConfig& c) { return std::to_string(c.api.max_bulk_body_bytes); }},
      {"serve.listen", "--listen", kServeCommand,
       "HOST:PORT to listen on (:PORT for every IPv4 address, [IPV6]:PORT)",
       [](std::string_view v, ServerConfig& c) { return ParseText(v, c.httpd.listen); },
       [](const ServerConfig& c) { return c.httpd.listen; }},
      {"serve.threads", "--threads", kServeCommand,
       "Worker threads of the standalone server (0: two per CPU, at least 4)",
       [](std::string_view v, ServerConfig& c) {
         return ParseNumber<unsigned>(v, 0, 1024, c.httpd.threads);
       },
       [](const ServerConfig& c) { return std::to_string(c.httpd.threads); }},
      {"serve.access_log", "--access-log", kServeCommand,
       "Access log in the common log format: a file, or - for stderr; empty for none",
       [](std::string_view v, ServerConfig& c) { return ParseText(v, c.access_log); },
       [](const ServerConfig& c) { return c.access_log; }},
      {"serve.connection_timeout", "", kServeCommand, "Seconds before an idle connection closes",
       [](std::string_view v, ServerConfig& c) {
         return ParseNumber<unsigned>(v, 1, 3600, c.httpd.connection_timeout_s);
       },
       [](const ServerConfig& c) { return std::to_string(c.httpd.connection_timeout_s); }},
      {"serve.header_timeout", "", kServeCommand,
       "Seconds a client has to send a whole request head, however slowly",
       [](std::string_view v, ServerConfig& c) {
         return ParseNumber<unsigned>(v, 1, 3600, c.httpd.header_timeout_s);
       },
       [](const ServerConfig& c) { return std::to_string(c.httpd.header_timeout_s); }},
      {"serve.max_connections", "", kServeCommand, "Open connections in all",
       [](std::string_view v, ServerConfig& c) {
         return ParseNumber<unsigned>(v, 16, 1000000, c.httpd.max_connections);
       },
       [](const ServerConfig& c) { return std::to_string(c.httpd.max_connections); }},
      {"serve.max_connections_per_client", "", kServeCommand,
       "Open connections from one client address (0: no limit)",
       [](std::string_view v, ServerConfig& c) {
         return ParseNumber<unsigned>(v, 0, 1000000, c.httpd.max_connections_per_client);
       },
       [](const ServerConfig& c) { return std::to_string(c.httpd.max_connections_per_client); }},
      {"fcgi.socket", "--socket", kFcgiCommand,
       "Unix socket path or HOST:PORT; empty: the socket inherited as fd 0",
       [](std::string_view v, ServerConfig& c) { return ParseText(v, c.fcgi.socket); },
       [](const ServerConfig& c) { return c.fcgi.socket; }},
      {"fcgi.threads", "--threads", kFcgiCommand,
       "Worker threads of the FastCGI responder (0: one per CPU, at least 2)",
       [](std::string_view v, ServerConfig& c) {
         return ParseNumber<int>(v, 0, 1024, c.fcgi.threads);
       },
       [](const ServerConfig& c) { return std::to_string(c.fcgi.threads); }},
      {"fcgi.socket_mode", "--socket-mode", kFcgiCommand,
       "Permissions of a unix socket fieldpost creates, in octal",
       [](std::string_view v, ServerConfig& c) {
         return ParseNumber<unsigned>(v, 0, 0777, c.fcgi.socket_mode, 8);
       },
       [](const ServerConfig& c) { return Octal(c.fcgi.socket_mode); }},
      {"fcgi.io_timeout", "", kFcgiCommand, "Seconds a web server connection may stall mid-request",
       [](std::string_view v, ServerConfig& c) {
         return ParseNumber<unsigned>(v, 1, 3600, c.fcgi.io_timeout_s);
       },
       [](const ServerConfig& c) { return std::to_string(c.fcgi.io_timeout_s); }},
  };
  return settings;
}

Status LoadConfigFile(const std::string& path, ServerConfig& config) {
  std::ifstream in(path);
  if (!in) return InvalidArgument("cannot read configuration file " + path);
  std::set<std::string> seen;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const auto where = path + ":" + std::to_string(number) + ": ";
    const auto trim = [](std::string_view text) {
      while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
      while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
      }
      return text;
    };
    const std::string_view text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    const std::size_t eq = text.find('=');
    if (eq == std::string_view::npos) return InvalidArgument(where + "expected key = value");
    const std::string key(trim(text.substr(0, eq)));
    const std::string_view value = trim(text.substr(eq + 1));
    const Setting* setting = nullptr;
    for (const Setting& candidate : Settings()) {
      if (candidate.key == key) setting = &candidate;
    }
    if (setting == nullptr) return InvalidArgument(where + "unknown key '" + key + "'");
    if (!seen.insert(key).second) return InvalidArgument(where + "'" + key + "' is set twice");
    if (Status s = setting->parse(value, config); !s.ok()) {
      return InvalidArgument(where + key + ": " + s.message());
    }
  }
  if (seen.count("data") != 0 && config.storage.uses_database()) {
    return InvalidArgument(path + ": " + kDataOrDatabase);
  }
  return OkStatus();
}

const char* DataOrDatabaseError() { return kDataOrDatabase; }

Status ValidateConfig(const ServerConfig& config) {
  if (config.storage.max_map_bytes < config.storage.initial_map_bytes) {
    return InvalidArgument("storage.max_map_mib (" +
                           std::to_string(config.storage.max_map_bytes / kMiB) +
                           ") is below storage.initial_map_mib (" +
                           std::to_string(config.storage.initial_map_bytes / kMiB) + ")");
  }
  return OkStatus();
}

std::string ShowConfig(const ServerConfig& config) {
  std::string out;
  for (const Setting& setting : Settings()) {
    // Of data and database, the one in use.
    if (setting.key == "data" && config.storage.uses_database()) continue;
    out += std::string(setting.key) + " = " + setting.show(config) + "\n";
  }
  return out;
}

}  // namespace fieldpost
