#include "storage/lmdb/format_upgrade.h"

#include <map>
#include <string>

#include "storage/lmdb/key_codec.h"
#include "storage/lmdb/store_reader.h"

namespace fieldpost {
namespace {

// Points each channel's field_last keys at the field's last entry in time
// order: one walk back from the channel's newest entry, which ends as soon
// as every field it holds a key for has been seen (usually at once).
Status RebuildFieldLast(LmdbTxn& txn, const Databases& dbs) {
  std::map<ChannelId, unsigned> fields;  // bit f-1 for field f
  {
    auto cursor = LmdbCursor::Open(txn, dbs.field_last);
    if (!cursor.ok()) return cursor.status();
    auto item = cursor->Move(MDB_FIRST);
    for (; item.ok() && item->has_value(); item = cursor->Move(MDB_NEXT)) {
      const std::string_view key = (*item)->first;
      const int field = static_cast<unsigned char>(key[4]);
      if (field >= 1 && field <= kFieldCount) fields[KeyChannel(key)] |= 1u << (field - 1);
    }
    if (!item.ok()) return item.status();
  }
  StoreReader reader(txn, dbs);
  for (const auto& [channel, wanted] : fields) {
    auto cursor = LmdbCursor::Open(txn, dbs.by_time);
    if (!cursor.ok()) return cursor.status();
    unsigned found = 0;
    auto item = cursor->SeekAtOrBefore(ChannelKey(channel) + std::string(24, '\xFF'));
    for (;
         item.ok() && item->has_value() && KeyChannel((*item)->first) == channel && found != wanted;
         item = cursor->Move(MDB_PREV)) {
      const EntryId id = KeyEntry((*item)->first);
      auto entry = reader.FindEntry(channel, id);
      if (!entry.ok()) return entry.status();
      if (!entry->has_value()) return Internal("by_time names a missing entry");
      for (int field = 1; field <= kFieldCount; ++field) {
        const unsigned bit = 1u << (field - 1);
        if ((wanted & bit) == 0 || (found & bit) != 0 || !(*entry)->data.fields[field - 1]) {
          continue;
        }
        found |= bit;
        if (Status s = txn.Put(dbs.field_last, FieldLastKey(channel, field), EncodeU64(id));
            !s.ok()) {
          return s;
        }
      }
    }
    if (!item.ok()) return item.status();
  }
  return OkStatus();
}

}  // namespace

Status UpgradeFormat(LmdbTxn& txn, const Databases& dbs, std::uint32_t from) {
  if (from < kOldestUpgradableFormat || from >= kFormatVersion) {
    return Internal("no upgrade from format version " + std::to_string(from));
  }
  if (from < 2) {
    if (Status s = RebuildFieldLast(txn, dbs); !s.ok()) return s;
  }
  return OkStatus();
}

}  // namespace fieldpost
