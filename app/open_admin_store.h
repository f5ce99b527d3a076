// Opening the store for an admin command (`user ...`, `channel ...`,
// `demo`), which a sysadmin often runs as root on a service's data
// directory. Such a command must not create a directory from a typo, nor
// leave files owned by root that lock the service out.
#pragma once

#include <memory>

#include "core/admin_store.h"
#include "core/status.h"
#include "storage/storage_options.h"

namespace fieldpost {

enum class MissingDirectory { kRefuse, kCreate };

// Opens the store in `storage.database` if set, else in `storage.data_dir`.
// A directory that does not exist is
// refused with a message saying how to create it, unless `missing` is
// kCreate. Run as root on a directory whose database (or, before there is
// one, the directory itself) belongs to another user, the process first
// becomes that user (uid, gid and that user's groups), so every file it
// creates is the service's; it prints a note on stderr saying so.
Result<std::unique_ptr<AdminStore>> OpenAdminStore(const StorageOptions& storage,
                                                   MissingDirectory missing);

}  // namespace fieldpost
