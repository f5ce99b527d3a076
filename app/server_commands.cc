// `fieldpost serve`, `fieldpost fcgi` and `fieldpost check-config`. The
// servers open the store, start a frontend, wait for SIGTERM, then stop
// accepting, finish requests in progress and commit every acknowledged
// write before exiting.
#include <signal.h>
#include <string.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "app/server_config.h"
#include "app/server_run.h"

namespace fieldpost {
namespace {

// The flags of one server command: --config and one per setting.
struct ServerFlags {
  std::string config_path;
  std::vector<const Setting*> settings;
  std::vector<std::string> values;  // reserved up front: CLI11 keeps pointers
  std::vector<CLI::Option*> options;
};

// What --help shows a setting's value as, told by its default: every
// setting is read as text and parsed by its own row (app/server_config.h).
std::string TypeName(const std::string& default_value) {
  if (default_value == "true" || default_value == "false") return "BOOL";
  const bool number =
      !default_value.empty() && default_value.find_first_not_of("0123456789") == std::string::npos;
  return number ? "N" : "TEXT";
}

void AddServerFlags(CLI::App& command, unsigned mask, ServerFlags& flags) {
  command.add_option("--config", flags.config_path,
                     "fieldpost.conf to read (default: $FIELDPOST_CONFIG, else none); flags "
                     "override it");
  flags.values.reserve(Settings().size());
  const ServerConfig defaults;
  for (const Setting& setting : Settings()) {
    if ((setting.commands & mask) == 0 || setting.flag.empty()) continue;
    flags.settings.push_back(&setting);
    flags.values.emplace_back();
    const std::string shown = setting.show(defaults);
    flags.options.push_back(
        command
            .add_option(std::string(setting.flag), flags.values.back(), std::string(setting.help))
            ->default_str(shown)
            ->type_name(TypeName(shown)));
  }
}

// The defaults, then the configuration file, then the flags given.
Result<ServerConfig> ResolveConfig(const ServerFlags& flags) {
  ServerConfig config;
  std::string path = flags.config_path;
  if (path.empty() && std::getenv("FIELDPOST_CONFIG") != nullptr) {
    path = std::getenv("FIELDPOST_CONFIG");
  }
  if (!path.empty()) {
    if (Status s = LoadConfigFile(path, config); !s.ok()) return s;
  }
  std::size_t storage_flags = 0;
  for (std::size_t i = 0; i < flags.settings.size(); ++i) {
    const std::string_view key = flags.settings[i]->key;
    if ((key == "data" || key == "database") && flags.options[i]->count() > 0) ++storage_flags;
  }
  if (storage_flags > 1)
    return InvalidArgument(std::string("--data or --database: ") + DataOrDatabaseError());
  // A flag's data or database replaces the file's choice of either.
  for (std::size_t i = 0; i < flags.settings.size(); ++i) {
    if (flags.options[i]->count() == 0) continue;
    if (flags.settings[i]->key == "data") config.storage.database.clear();
    if (Status s = flags.settings[i]->parse(flags.values[i], config); !s.ok()) {
      return InvalidArgument(std::string(flags.settings[i]->flag) + ": " + s.message());
    }
  }
  if (Status s = ValidateConfig(config); !s.ok()) return s;
  return config;
}

void AddServerCommand(CLI::App& app, int& exit_code, const char* name, const char* description,
                      unsigned mask, int (*run)(const ServerConfig&)) {
  auto* command = app.add_subcommand(name, description);
  auto flags = std::make_shared<ServerFlags>();
  AddServerFlags(*command, mask, *flags);
  command->callback([flags, run, &exit_code] {
    auto config = ResolveConfig(*flags);
    if (!config.ok()) {
      std::cerr << "fieldpost: " << config.status().message() << "\n";
      exit_code = 2;
      return;
    }
    exit_code = run(*config);
  });
}

}  // namespace

void AddServeCommand(CLI::App& app, int& exit_code) {
  AddServerCommand(app, exit_code, "serve", "Run the standalone HTTP server (libmicrohttpd)",
                   kServeCommand, RunStandaloneServer);
}

void AddFcgiCommand(CLI::App& app, int& exit_code) {
  AddServerCommand(app, exit_code, "fcgi",
                   "Run the FastCGI responder behind nginx or Apache (libfcgi); answers one "
                   "request as plain CGI when a web server runs it as a CGI program",
                   kFcgiCommand, RunFastCgiResponder);
}

void AddCheckConfigCommand(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("check-config",
                                     "Check a fieldpost.conf and print the configuration it gives");
  auto flags = std::make_shared<ServerFlags>();
  command->add_option("--config", flags->config_path,
                      "fieldpost.conf to check (default: $FIELDPOST_CONFIG)");
  command->callback([flags, &exit_code] {
    auto config = ResolveConfig(*flags);
    if (!config.ok()) {
      std::cerr << "fieldpost: " << config.status().message() << "\n";
      exit_code = 1;
      return;
    }
    std::cout << ShowConfig(*config);
    exit_code = 0;
  });
}

}  // namespace fieldpost
