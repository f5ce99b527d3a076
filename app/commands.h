// The `fieldpost` subcommands. Each Add*Command registers one subcommand
// (with --help) on the root app; its callback stores the process exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace fieldpost {

void AddServeCommand(CLI::App& app, int& exit_code);
void AddFcgiCommand(CLI::App& app, int& exit_code);
void AddUserCommand(CLI::App& app, int& exit_code);
void AddChannelCommand(CLI::App& app, int& exit_code);
// `channel prune`, under the channel command.
void AddPruneCommand(CLI::App& channel, int& exit_code);
void AddDemoCommand(CLI::App& app, int& exit_code);
void AddCheckConfigCommand(CLI::App& app, int& exit_code);
void AddBackupCommand(CLI::App& app, int& exit_code);  // and restore
void AddExportCommand(CLI::App& app, int& exit_code);
void AddImportCommand(CLI::App& app, int& exit_code);
void AddMigrateCommand(CLI::App& app, int& exit_code);

}  // namespace fieldpost
