// The --data option of the admin commands, declared once so every command
// spells and defaults it the same way (the servers take theirs from the
// settings table in app/server_config.cc).
#pragma once

#include <CLI/CLI.hpp>

#include "storage/lmdb_env.h"

namespace fieldpost {

// --data DIR (default ./data).
void AddStorageOptions(CLI::App& command, StorageOptions& storage);

}  // namespace fieldpost
