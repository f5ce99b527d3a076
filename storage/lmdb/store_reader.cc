#include "storage/lmdb/store_reader.h"

#include <algorithm>
#include <array>

#include "storage/lmdb/key_codec.h"
#include "storage/lmdb/record_codec.h"

namespace fieldpost {

Result<std::optional<KeyOwner>> StoreReader::FindKey(std::string_view api_key) {
  auto record = txn_.Get(dbs_.keys, api_key);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::optional<KeyOwner>();
  KeyOwner owner;
  if (Status s = DecodeKeyOwner(**record, owner); !s.ok()) return s;
  return std::optional<KeyOwner>(std::move(owner));
}

Result<std::optional<User>> StoreReader::FindUser(std::string_view name) {
  auto record = txn_.Get(dbs_.users, name);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::optional<User>();
  User user;
  user.name = std::string(name);
  if (Status s = DecodeUser(**record, user); !s.ok()) return s;
  return std::optional<User>(std::move(user));
}

Result<std::optional<Channel>> StoreReader::ChannelRecord(ChannelId id) {
  auto record = txn_.Get(dbs_.channels, ChannelKey(id));
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::optional<Channel>();
  Channel channel;
  channel.id = id;
  if (Status s = DecodeChannel(**record, channel); !s.ok()) return s;
  return std::optional<Channel>(std::move(channel));
}

Result<std::optional<ChannelAccess>> StoreReader::ChannelAccessRecord(ChannelId id) {
  auto record = txn_.Get(dbs_.channels, ChannelKey(id));
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::optional<ChannelAccess>();
  ChannelAccess access;
  access.id = id;
  if (Status s = DecodeChannelAccess(**record, access); !s.ok()) return s;
  return std::optional<ChannelAccess>(access);
}

Result<std::optional<Channel>> StoreReader::FindChannel(ChannelId id) {
  auto channel = ChannelRecord(id);
  if (!channel.ok() || !channel->has_value()) return channel;
  if (Status s = FillDerived(**channel); !s.ok()) return s;
  return channel;
}

Result<std::vector<Channel>> StoreReader::ListChannels() {
  auto cursor = LmdbCursor::Open(txn_, dbs_.channels);
  if (!cursor.ok()) return cursor.status();
  std::vector<Channel> channels;
  auto item = cursor->Move(MDB_FIRST);
  for (; item.ok() && item->has_value(); item = cursor->Move(MDB_NEXT)) {
    Channel channel;
    channel.id = DecodeU32((*item)->first);
    if (Status s = DecodeChannel((*item)->second, channel); !s.ok()) return s;
    if (Status s = FillDerived(channel); !s.ok()) return s;
    channels.push_back(std::move(channel));
  }
  if (!item.ok()) return item.status();
  return channels;
}

Result<std::vector<User>> StoreReader::ListUsers() {
  auto cursor = LmdbCursor::Open(txn_, dbs_.users);
  if (!cursor.ok()) return cursor.status();
  std::vector<User> users;
  auto item = cursor->Move(MDB_FIRST);
  for (; item.ok() && item->has_value(); item = cursor->Move(MDB_NEXT)) {
    User user;
    user.name = std::string((*item)->first);
    if (Status s = DecodeUser((*item)->second, user); !s.ok()) return s;
    users.push_back(std::move(user));
  }
  if (!item.ok()) return item.status();
  return users;
}

Status StoreReader::FillDerived(Channel& channel) {
  auto last = LastEntryId(channel.id);
  if (!last.ok()) return last.status();
  channel.last_entry_id = *last;
  auto newest = NewestPlace(channel.id);
  if (!newest.ok()) return newest.status();
  channel.updated_at = newest->has_value() ? (*newest)->created_at : channel.created_at;
  auto cursor = LmdbCursor::Open(txn_, dbs_.field_last);
  if (!cursor.ok()) return cursor.status();
  auto item = cursor->Move(MDB_SET_RANGE, FieldLastKey(channel.id, 1));
  for (; item.ok() && item->has_value() && KeyChannel((*item)->first) == channel.id;
       item = cursor->Move(MDB_NEXT)) {
    const int field = static_cast<unsigned char>((*item)->first[4]);
    channel.used_fields |= static_cast<std::uint8_t>(1u << (field - 1));
  }
  return item.status();
}

Result<std::optional<LmdbCursor::Item>> StoreReader::LastOfChannel(LmdbCursor& cursor,
                                                                   ChannelId channel) {
  // Every key of the channel sorts below its 4-byte prefix followed by 0xFF
  // bytes longer than any key (built here, not allocated: every append
  // seeks it).
  std::array<char, 4 + 24> bound;
  bound.fill('\xFF');
  const std::string prefix = ChannelKey(channel);
  std::copy(prefix.begin(), prefix.end(), bound.begin());
  auto item = cursor.SeekAtOrBefore(std::string_view(bound.data(), bound.size()));
  if (!item.ok()) return item.status();
  if (!item->has_value() || KeyChannel((*item)->first) != channel) {
    return std::optional<LmdbCursor::Item>();
  }
  return item;
}

Result<EntryId> StoreReader::LastEntryId(ChannelId channel) {
  auto cursor = LmdbCursor::Open(txn_, dbs_.entries);
  if (!cursor.ok()) return cursor.status();
  auto item = LastOfChannel(*cursor, channel);
  if (!item.ok()) return item.status();
  return item->has_value() ? KeyEntry((*item)->first) : EntryId{0};
}

Result<std::optional<Entry>> StoreReader::FindEntry(ChannelId channel, EntryId entry_id) {
  auto record = txn_.Get(dbs_.entries, EntryKey(channel, entry_id));
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::optional<Entry>();
  Entry entry;
  entry.channel_id = channel;
  entry.entry_id = entry_id;
  if (Status s = DecodeEntry(**record, entry); !s.ok()) return s;
  return std::optional<Entry>(std::move(entry));
}

Result<std::optional<EntryPlace>> StoreReader::NewestPlace(ChannelId channel) {
  auto cursor = LmdbCursor::Open(txn_, dbs_.by_time);
  if (!cursor.ok()) return cursor.status();
  auto item = LastOfChannel(*cursor, channel);
  if (!item.ok()) return item.status();
  if (!item->has_value()) return std::optional<EntryPlace>();
  return std::optional<EntryPlace>(EntryPlace{KeyTime((*item)->first), KeyEntry((*item)->first)});
}

Result<std::optional<Entry>> StoreReader::LastEntry(ChannelId channel) {
  auto newest = NewestPlace(channel);
  if (!newest.ok()) return newest.status();
  if (!newest->has_value()) return std::optional<Entry>();
  return FindEntry(channel, (*newest)->entry_id);
}

Result<std::optional<Entry>> StoreReader::LastEntryWithField(ChannelId channel, int field) {
  auto record = txn_.Get(dbs_.field_last, FieldLastKey(channel, field));
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::optional<Entry>();
  return FindEntry(channel, DecodeU64(**record));
}

Result<std::vector<EntryId>> StoreReader::IdsByTime(ChannelId channel, const EntryRange& range,
                                                    std::size_t limit) {
  std::vector<EntryId> ids;
  auto cursor = LmdbCursor::Open(txn_, dbs_.by_time);
  if (!cursor.ok()) return cursor.status();
  auto item = range.end ? cursor->SeekAtOrBefore(ByTimeKey(channel, *range.end, UINT64_MAX))
                        : LastOfChannel(*cursor, channel);
  // Entry-id bounds inside a time window skip keys: bound the walk so a
  // narrow id range in a wide window cannot scan a channel's history.
  std::size_t visited = 0;
  for (; item.ok() && item->has_value() && ids.size() < limit && visited++ < kMaxScannedKeys;
       item = cursor->Move(MDB_PREV)) {
    const std::string_view key = (*item)->first;
    if (KeyChannel(key) != channel) break;
    if (range.start && KeyTime(key) < *range.start) break;
    const EntryId id = KeyEntry(key);
    if ((range.first_id && id < *range.first_id) || (range.last_id && id > *range.last_id)) {
      continue;
    }
    ids.push_back(id);
  }
  if (!item.ok()) return item.status();
  return ids;
}

Result<std::vector<Entry>> StoreReader::ListEntries(ChannelId channel, const EntryRange& range,
                                                    std::size_t limit) {
  std::vector<Entry> entries;
  if (limit == 0) return entries;
  // Time bounds, or none at all (newest by created_at), walk by_time; pure
  // entry-id bounds walk the entries themselves.
  if (range.start || range.end || !(range.first_id || range.last_id)) {
    auto ids = IdsByTime(channel, range, limit);
    if (!ids.ok()) return ids.status();
    entries.reserve(ids->size());
    auto cursor = LmdbCursor::Open(txn_, dbs_.entries);
    if (!cursor.ok()) return cursor.status();
    // Ids in time order are mostly consecutive (readings arrive in order),
    // so the cursor steps to the next entry and seeks only on a gap: one
    // B-tree descent per run instead of one per entry.
    std::optional<EntryId> at;  // the entry under the cursor
    for (auto id = ids->rbegin(); id != ids->rend(); ++id) {
      auto item = at && *at + 1 == *id ? cursor->Move(MDB_NEXT)
                                       : cursor->Move(MDB_SET_KEY, EntryKey(channel, *id));
      if (!item.ok()) return item.status();
      if (!item->has_value() || KeyChannel((*item)->first) != channel ||
          KeyEntry((*item)->first) != *id) {
        return Internal("by_time index names a missing entry");
      }
      at = *id;
      Entry entry;
      entry.channel_id = channel;
      entry.entry_id = *id;
      if (Status s = DecodeEntry((*item)->second, entry); !s.ok()) return s;
      entries.push_back(std::move(entry));
    }
    return entries;
  }
  auto cursor = LmdbCursor::Open(txn_, dbs_.entries);
  if (!cursor.ok()) return cursor.status();
  auto item = cursor->SeekAtOrBefore(EntryKey(channel, range.last_id.value_or(UINT64_MAX)));
  for (; item.ok() && item->has_value() && entries.size() < limit; item = cursor->Move(MDB_PREV)) {
    const std::string_view key = (*item)->first;
    if (KeyChannel(key) != channel) break;
    if (range.first_id && KeyEntry(key) < *range.first_id) break;
    Entry entry;
    entry.channel_id = channel;
    entry.entry_id = KeyEntry(key);
    if (Status s = DecodeEntry((*item)->second, entry); !s.ok()) return s;
    entries.push_back(std::move(entry));
  }
  if (!item.ok()) return item.status();
  std::reverse(entries.begin(), entries.end());
  return entries;
}

Result<bool> StoreReader::HasEntryAt(ChannelId channel, Timestamp created_at, EntryId up_to) {
  auto cursor = LmdbCursor::Open(txn_, dbs_.by_time);
  if (!cursor.ok()) return cursor.status();
  // The first key of that second holds its lowest entry id.
  auto item = cursor->Move(MDB_SET_RANGE, ByTimeKey(channel, created_at, 0));
  if (!item.ok()) return item.status();
  return item->has_value() && KeyChannel((*item)->first) == channel &&
         KeyTime((*item)->first) == created_at && KeyEntry((*item)->first) <= up_to;
}

Result<std::optional<ChannelId>> StoreReader::FindStationChannel(std::string_view owner,
                                                                 std::string_view station) {
  auto record = txn_.Get(dbs_.stations, StationKey(owner, station));
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::optional<ChannelId>();
  return std::optional<ChannelId>(DecodeU32(**record));
}

}  // namespace fieldpost
