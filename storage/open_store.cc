#include "storage/open_store.h"

#include "storage/lmdb/lmdb_store.h"

namespace fieldpost {

Result<std::unique_ptr<AdminStore>> OpenStore(const StorageOptions& options) {
  if (options.uses_database()) {
    return Unavailable("this fieldpost was built without PostgreSQL support");
  }
  auto store = LmdbStore::Open(options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<AdminStore>(std::move(store).value());
}

}  // namespace fieldpost
