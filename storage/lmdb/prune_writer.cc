#include "storage/lmdb/prune_writer.h"

#include <array>
#include <optional>
#include <string>

#include "storage/lmdb/key_codec.h"
#include "storage/lmdb/record_codec.h"

namespace fieldpost {

Status PruneWriter::PruneChannelPart(ChannelId id, Timestamp before, std::size_t limit,
                                     std::size_t& pruned, bool& done) {
  auto channel = ChannelRecord(id);
  if (!channel.ok()) return channel.status();
  if (!channel->has_value()) return NotFound("channel " + std::to_string(id) + " not found");
  // Kept: the highest id (entry ids go on from it: a channel whose
  // entries were all gone would start again at 1) and the last entry in
  // time order (the channel's last reading stays readable).
  auto highest = LastEntryId(id);
  if (!highest.ok()) return highest.status();
  auto newest = NewestPlace(id);
  if (!newest.ok()) return newest.status();
  const std::array<EntryId, 2> kept = {*highest, newest->has_value() ? (*newest)->entry_id : 0};
  std::size_t deleted = 0;
  Status status = DeleteOldest(id, before, kept, limit, deleted, done);
  // Half a part must not be committed (field_last would name deleted
  // entries): once something is deleted, a failure fails the transaction.
  if (!status.ok() && deleted > 0) txn_.Doom(status);
  if (status.ok()) pruned += deleted;
  return status;
}

Status PruneWriter::DeleteOldest(ChannelId id, Timestamp before, const std::array<EntryId, 2>& kept,
                                 std::size_t limit, std::size_t& deleted, bool& done) {
  auto cursor = LmdbCursor::Open(txn_, dbs_.by_time);
  if (!cursor.ok()) return cursor.status();
  // For each field whose last value (field_last) is deleted, where that
  // value stood: the last value left of the field is before it.
  std::array<std::optional<EntryPlace>, kFieldCount> orphaned{};
  done = false;
  auto item = cursor->Move(MDB_SET_RANGE, ByTimeKey(id, Timestamp{}, 0));
  while (!done) {
    if (!item.ok()) return item.status();
    if (!item->has_value() || KeyChannel((*item)->first) != id ||
        KeyTime((*item)->first) >= before) {
      done = true;
      break;
    }
    if (deleted == limit) break;
    const EntryId entry_id = KeyEntry((*item)->first);
    if (entry_id == kept[0] || entry_id == kept[1]) {
      item = cursor->Move(MDB_NEXT);
      continue;
    }
    auto entry = FindEntry(id, entry_id);
    if (!entry.ok()) return entry.status();
    if (!entry->has_value()) return Internal("by_time names a missing entry");
    for (int field = 1; field <= kFieldCount; ++field) {
      if (!(*entry)->data.fields[field - 1]) continue;
      auto last = txn_.Get(dbs_.field_last, FieldLastKey(id, field));
      if (!last.ok()) return last.status();
      if (last->has_value() && DecodeU64(**last) == entry_id) {
        orphaned[field - 1] = EntryPlace{(*entry)->created_at, entry_id};
      }
    }
    const std::string by_time((*item)->first);
    if (Status s = txn_.Delete(dbs_.entries, EntryKey(id, entry_id)); !s.ok()) return s;
    if (Status s = cursor->Delete(); !s.ok()) return s;
    ++deleted;
    // Re-seek after each delete rather than trust the cursor's position.
    item = cursor->Move(MDB_SET_RANGE, by_time);
  }
  for (int field = 1; field <= kFieldCount; ++field) {
    if (!orphaned[field - 1]) continue;
    if (Status s = RepointFieldLast(id, field, *orphaned[field - 1]); !s.ok()) return s;
  }
  return OkStatus();
}

Status PruneWriter::RepointFieldLast(ChannelId id, int field, EntryPlace below) {
  // The field's last value was the newest with it, and every entry before
  // it in time order was deleted first, but for the kept ones: the walk
  // back from where it stood ends at once.
  auto cursor = LmdbCursor::Open(txn_, dbs_.by_time);
  if (!cursor.ok()) return cursor.status();
  auto item = cursor->SeekAtOrBefore(ByTimeKey(id, below.created_at, below.entry_id));
  for (; item.ok() && item->has_value() && KeyChannel((*item)->first) == id;
       item = cursor->Move(MDB_PREV)) {
    const EntryId entry_id = KeyEntry((*item)->first);
    auto entry = FindEntry(id, entry_id);
    if (!entry.ok()) return entry.status();
    if (entry->has_value() && (*entry)->data.fields[field - 1]) {
      return txn_.Put(dbs_.field_last, FieldLastKey(id, field), EncodeU64(entry_id));
    }
  }
  if (!item.ok()) return item.status();
  return txn_.Delete(dbs_.field_last, FieldLastKey(id, field));
}

}  // namespace fieldpost
