// Options shared by several subcommands, declared once so every command
// spells and defaults them the same way.
#pragma once

#include <CLI/CLI.hpp>

#include "module/api_context.h"
#include "storage/lmdb_env.h"

namespace fieldpost {

// --data DIR (default ./data).
void AddStorageOptions(CLI::App& command, StorageOptions& storage);

// --max-body BYTES and friends for the servers.
void AddApiOptions(CLI::App& command, ApiOptions& api);

}  // namespace fieldpost
