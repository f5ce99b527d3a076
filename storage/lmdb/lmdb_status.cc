#include "storage/lmdb/lmdb_status.h"

#include <lmdb.h>

#include <cerrno>
#include <string>

namespace fieldpost {

Status LmdbStatus(int rc, std::string_view what) {
  if (rc == MDB_SUCCESS) return OkStatus();
  std::string message = std::string(what) + ": " + mdb_strerror(rc);
  switch (rc) {
    case MDB_MAP_FULL:
    case ENOSPC:
    case EDQUOT:
      return {StatusCode::kStorageFull, std::move(message)};
    default:
      return Internal(std::move(message));
  }
}

}  // namespace fieldpost
