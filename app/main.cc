// The composition root: the one `fieldpost` binary and its subcommands.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/command_hint.h"
#include "app/commands.h"
#include "app/hosted_mode.h"

int main(int argc, char** argv) {
  // Uploaded as fieldpost.fcgi and run by the web server without arguments.
  if (argc == 1 && fieldpost::IsHostedProgramName(argv[0])) return fieldpost::RunHosted(argv[0]);
  CLI::App app{"fieldpost: a ThingSpeak-compatible IoT data server", "fieldpost"};
  app.set_version_flag("--version", "fieldpost " FIELDPOST_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  fieldpost::AddServeCommand(app, exit_code);
  fieldpost::AddFcgiCommand(app, exit_code);
  fieldpost::AddUserCommand(app, exit_code);
  fieldpost::AddChannelCommand(app, exit_code);
  fieldpost::AddDemoCommand(app, exit_code);
  fieldpost::AddCheckConfigCommand(app, exit_code);
  fieldpost::AddBackupCommand(app, exit_code);
  fieldpost::AddExportCommand(app, exit_code);
  fieldpost::AddImportCommand(app, exit_code);
  fieldpost::AddMigrateCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0) {
      if (const std::string hint = fieldpost::UnknownCommandHint(app, argc, argv); !hint.empty()) {
        std::cerr << hint << "\n";
        return e.get_exit_code();
      }
    }
    return app.exit(e);
  }
  return exit_code;
}
