// The --data and --config options of the admin commands, declared once so
// every command spells and defaults them the same way (the servers take
// theirs from the settings table in app/server_config.cc).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>

#include "app/open_admin_store.h"
#include "storage/storage_options.h"

namespace fieldpost {

// --data DIR (default ./data); its help says whether the command creates a
// missing directory (see OpenAdminStore). --config FILE (or
// $FIELDPOST_CONFIG) sets the storage options from a fieldpost.conf, the
// data directory too unless --data is given.
void AddStorageOptions(CLI::App& command, StorageOptions& storage, MissingDirectory missing);

// What every admin subcommand takes: the storage options above (the
// directory must exist) and --json.
struct AdminOptions {
  StorageOptions storage;
  bool json = false;
};

// Adds them to `command`; the options live as long as the command.
std::shared_ptr<AdminOptions> AddAdminOptions(CLI::App& command);

}  // namespace fieldpost
