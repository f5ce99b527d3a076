// The one mapping from LMDB and errno return codes to Status.
#pragma once

#include <string_view>

#include "core/status.h"

namespace fieldpost {

// OK for rc == 0 (MDB_SUCCESS); otherwise a Status naming `what` and the
// LMDB message. A full map or disk is kStorageFull.
Status LmdbStatus(int rc, std::string_view what);

}  // namespace fieldpost
