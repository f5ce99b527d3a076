// Opens the store the options name: LMDB in a data directory, or a
// PostgreSQL database. What the servers, the modules and the admin
// commands call; they hold the result as an AdminStore.
#pragma once

#include <memory>

#include "core/admin_store.h"
#include "storage/storage_options.h"

namespace fieldpost {

Result<std::unique_ptr<AdminStore>> OpenStore(const StorageOptions& options);

// For a parent that forks the processes opening the stores (nginx's master,
// Apache's parent), before it forks: on a database, their kept last values
// then hear of each other's writes at once (storage/postgres/write_counters.h).
// Harmless otherwise.
void ShareWritesWithChildren();

}  // namespace fieldpost
