#include "storage/open_store.h"

#include "storage/lmdb/lmdb_store.h"
#if FIELDPOST_POSTGRES
#include "storage/postgres/pg_store.h"
#include "storage/postgres/write_counters.h"
#endif

namespace fieldpost {

Result<std::unique_ptr<AdminStore>> OpenStore(const StorageOptions& options) {
  if (options.uses_database()) {
#if FIELDPOST_POSTGRES
    auto store = PgStore::Open(options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<AdminStore>(std::move(store).value());
#else
    return Unavailable("this fieldpost was built without PostgreSQL support (FIELDPOST_POSTGRES)");
#endif
  }
  auto store = LmdbStore::Open(options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<AdminStore>(std::move(store).value());
}

void ShareWritesWithChildren() {
#if FIELDPOST_POSTGRES
  (void)WriteCounters::ShareWithChildren();
#endif
}

}  // namespace fieldpost
