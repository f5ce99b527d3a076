// Brings a data directory of an earlier format version up to this one, in
// the transaction that opens it, so the first process of a new version to
// open it upgrades it once and every later one finds it done. Downgrading
// is not possible: an earlier fieldpost refuses the newer format.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "storage/lmdb/lmdb_env.h"
#include "storage/lmdb/lmdb_txn.h"

namespace fieldpost {

// The oldest format version UpgradeFormat can start from.
inline constexpr std::uint32_t kOldestUpgradableFormat = 1;

// Rewrites what differs between `from` and kFormatVersion in `txn` (a write
// transaction); the caller then records the new version.
//   1 → 2: field_last named each field's highest entry id; it now names its
//          last entry in time order (storage/lmdb/store_reader.h EntryPlace).
Status UpgradeFormat(LmdbTxn& txn, const Databases& dbs, std::uint32_t from);

}  // namespace fieldpost
