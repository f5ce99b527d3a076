#include "storage/lmdb/store_writer.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "storage/bulk_times.h"
#include "storage/lmdb/key_codec.h"
#include "storage/lmdb/record_codec.h"
#include "storage/random_key.h"
#include "storage/valid_name.h"

namespace fieldpost {

Result<std::string> StoreWriter::UnusedKey() {
  // 36^16 keys make a collision vanishingly rare; checking costs one lookup.
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto key = NewApiKey();
    if (!key.ok()) return key;
    auto existing = txn_.Get(dbs_.keys, *key);
    if (!existing.ok()) return existing.status();
    if (!existing->has_value()) return key;
  }
  return Internal("could not draw an unused API key");
}

Result<User> StoreWriter::InsertUser(const NewUser& request, Timestamp now) {
  const std::string& name = request.name;
  if (!IsValidName(name)) {
    return InvalidArgument("user name must be 1 to 64 characters of [A-Za-z0-9_.-]");
  }
  auto existing = FindUser(name);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return InvalidArgument("user '" + name + "' exists");
  std::string key = request.api_key;
  if (key.empty()) {
    auto fresh = UnusedKey();
    if (!fresh.ok()) return fresh.status();
    key = std::move(fresh).value();
  } else {
    if (!IsValidName(key)) {
      return InvalidArgument("API key must be 1 to 64 characters of [A-Za-z0-9_.-]");
    }
    auto taken = FindKey(key);
    if (!taken.ok()) return taken.status();
    if (taken->has_value()) return InvalidArgument("that API key is already in use");
  }
  User user{name, std::move(key), now};
  KeyOwner owner{KeyKind::kUser, user.name, 0};
  if (Status s = txn_.Put(dbs_.users, name, EncodeUser(user)); !s.ok()) return s;
  if (Status s = txn_.Put(dbs_.keys, user.api_key, EncodeKeyOwner(owner)); !s.ok()) return s;
  return user;
}

Result<Channel> StoreWriter::InsertChannel(const NewChannel& request, Timestamp now) {
  if (!request.owner.empty()) {
    auto owner = FindUser(request.owner);
    if (!owner.ok()) return owner.status();
    if (!owner->has_value()) return NotFound("user '" + request.owner + "' not found");
  }
  auto next = txn_.Get(dbs_.meta, kNextChannelIdKey);
  if (!next.ok()) return next.status();
  Channel channel;
  channel.id = next->has_value() ? DecodeU32(**next) : 1;
  static_cast<ChannelSettings&>(channel) = request;
  channel.owner = request.owner;
  channel.station = request.station;
  channel.created_at = now;
  auto write_key = UnusedKey();
  if (!write_key.ok()) return write_key.status();
  channel.write_key = *write_key;
  // The read key must differ from the write key, which is not yet stored.
  do {
    auto read_key = UnusedKey();
    if (!read_key.ok()) return read_key.status();
    channel.read_key = *read_key;
  } while (channel.read_key == channel.write_key);

  const std::string id_key = ChannelKey(channel.id);
  Status s = txn_.Put(dbs_.meta, kNextChannelIdKey, EncodeU32(channel.id + 1));
  if (s.ok()) s = txn_.Put(dbs_.channels, id_key, EncodeChannel(channel));
  if (s.ok()) {
    s = txn_.Put(dbs_.keys, channel.write_key, EncodeKeyOwner({KeyKind::kWrite, "", channel.id}));
  }
  if (s.ok()) {
    s = txn_.Put(dbs_.keys, channel.read_key, EncodeKeyOwner({KeyKind::kRead, "", channel.id}));
  }
  if (s.ok() && !channel.station.empty()) {
    s = txn_.Put(dbs_.stations, StationKey(channel.owner, channel.station), id_key);
  }
  if (!s.ok()) return s;
  return channel;
}

Result<KeyOwner> StoreWriter::WriteKeyOwner(std::string_view api_key) {
  if (api_key.empty()) return Unauthorized("missing API key");
  auto owner = FindKey(api_key);
  if (!owner.ok()) return owner.status();
  if (!owner->has_value()) return Unauthorized("unknown API key");
  if ((*owner)->kind == KeyKind::kRead) return Unauthorized("a read API key cannot write");
  return std::move(**owner);
}

Result<ChannelId> StoreWriter::WritableChannel(const EntryWrite& write, Timestamp now) {
  WriteMemo& memo = txn_.memo();
  if (const ChannelId known = memo.WriteKeyChannel(write.api_key); known != 0) return known;
  auto owner = WriteKeyOwner(write.api_key);
  if (!owner.ok()) return owner.status();
  const KeyOwner& key = *owner;
  if (key.kind == KeyKind::kWrite) {
    memo.Watch(dbs_.keys, dbs_.channels);
    memo.RememberWriteKey(write.api_key, key.channel_id);
    return key.channel_id;
  }
  if (write.station.empty()) {
    return Unauthorized("a user API key writes only with the path form and mac=STATION");
  }

  auto existing = FindStationChannel(key.user, write.station);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return **existing;
  // First reading from this station: its channel is public so that anyone
  // can read the station back (the seed's story); the owner can change that.
  NewChannel channel;
  channel.name = write.station;
  channel.owner = key.user;
  channel.station = write.station;
  channel.is_public = true;
  auto created = InsertChannel(channel, now);
  if (!created.ok()) return created.status();
  return created->id;
}

Result<Entry> StoreWriter::Append(const EntryWrite& write, Timestamp now) {
  auto channel = WritableChannel(write, now);
  if (!channel.ok()) return channel.status();
  // ThingSpeak requires a given created_at to be unique in the channel. A
  // station's new channel (just created above) has no entries to clash.
  if (write.created_at) {
    auto taken = HasEntryAt(*channel, *write.created_at);
    if (!taken.ok()) return taken.status();
    if (*taken) return InvalidArgument("created_at is already used by an entry of this channel");
  }
  bool tracked = false;
  if (Status s = CheckWriteInterval(*channel, now, tracked); !s.ok()) return s;
  auto tail = Tail(*channel);
  if (!tail.ok()) return tail.status();
  auto entry = PutNextEntry(*channel, *tail, write.created_at.value_or(now), write.data);
  if (entry.ok() && tracked) {
    if (Status s = NoteWrite(*channel, now); !s.ok()) return s;
  }
  return entry;
}

Status StoreWriter::CheckWriteInterval(ChannelId channel, Timestamp now, bool& tracked) {
  WriteMemo& memo = txn_.memo();
  WriteInterval* known = memo.Interval(channel);
  if (known == nullptr) {
    WriteInterval read;
    auto record = txn_.Get(dbs_.channels, ChannelKey(channel));
    if (!record.ok()) return record.status();
    if (record->has_value()) {
      if (Status s = DecodeChannelWriteInterval(**record, read.seconds); !s.ok()) return s;
    }
    if (read.seconds > 0) {
      auto last = txn_.Get(dbs_.meta, LastWriteKey(channel));
      if (!last.ok()) return last.status();
      if (last->has_value()) read.last_write = static_cast<std::int64_t>(DecodeU64(**last));
    }
    memo.Watch(dbs_.keys, dbs_.channels);
    memo.RememberInterval(channel, read);
    known = memo.Interval(channel);
  }
  tracked = known->seconds > 0;
  if (tracked && known->last_write &&
      now.time_since_epoch().count() < *known->last_write + known->seconds) {
    return WriteIntervalRefusal(known->seconds);
  }
  return OkStatus();
}

Status StoreWriter::NoteWrite(ChannelId channel, Timestamp now) {
  const std::int64_t seconds = now.time_since_epoch().count();
  if (Status s = txn_.Put(dbs_.meta, LastWriteKey(channel), EncodeU64(seconds)); !s.ok()) return s;
  if (WriteInterval* known = txn_.memo().Interval(channel)) known->last_write = seconds;
  return OkStatus();
}

Result<std::vector<Entry>> StoreWriter::AppendBulk(const BulkWrite& write, Timestamp now) {
  auto owner = WriteKeyOwner(write.api_key);
  if (!owner.ok()) return owner.status();
  if (owner->kind != KeyKind::kWrite || owner->channel_id != write.channel_id) {
    return Unauthorized("not the write API key of channel " + std::to_string(write.channel_id));
  }
  // Every check before the first put: a rejected bulk write stores nothing.
  auto sorted = DistinctBulkTimes(write);
  if (!sorted.ok()) return sorted.status();
  const std::vector<Timestamp>& times = *sorted;
  // Uniqueness in the channel guards the times a client names, as
  // ThingSpeak's created_at rule does. Times counted back from the request
  // time are fieldpost's own, like the commit time of a plain /update, which
  // may share its second with other writes: checking them would refuse a
  // bulk for whatever else landed in the same seconds. Within the request
  // they stay distinct (only the first delta_t may be 0).
  if (!write.times_computed) {
    for (Timestamp time : times) {
      auto taken = HasEntryAt(write.channel_id, time);
      if (!taken.ok()) return taken.status();
      if (*taken) return InvalidArgument("created_at is already used by an entry of this channel");
    }
  }
  bool tracked = false;
  if (Status s = CheckWriteInterval(write.channel_id, now, tracked); !s.ok()) return s;
  auto tail = Tail(write.channel_id);
  if (!tail.ok()) return tail.status();
  std::vector<Entry> stored;
  stored.reserve(write.entries.size());
  for (const BulkEntry& entry : write.entries) {
    auto put = PutNextEntry(write.channel_id, *tail, entry.created_at, entry.data);
    if (!put.ok()) return put.status();
    put->data = entry.data;
    stored.push_back(std::move(put).value());
  }
  if (tracked) {
    if (Status s = NoteWrite(write.channel_id, now); !s.ok()) return s;
  }
  return stored;
}

Result<bool> StoreWriter::ClaimPrunePass(Timestamp now, std::chrono::seconds interval) {
  auto last = txn_.Get(dbs_.meta, kLastPrunePassKey);
  if (!last.ok()) return last.status();
  const auto seconds = now.time_since_epoch().count();
  // A claim more than an interval in the future (the clock stepped back, a
  // backup from a host whose clock ran ahead) is stale, not a reason to
  // stop pruning; one a little ahead is another process's, whose clock
  // reading came a moment later.
  const auto claimed = last->has_value() ? static_cast<std::int64_t>(DecodeU64(**last)) : 0;
  if (last->has_value() && seconds < claimed + interval.count() &&
      claimed <= seconds + interval.count()) {
    return false;
  }
  if (Status s = txn_.Put(dbs_.meta, kLastPrunePassKey, EncodeU64(seconds)); !s.ok()) return s;
  return true;
}

Result<ChannelTail> StoreWriter::Tail(ChannelId channel) {
  if (const ChannelTail* known = txn_.memo().Tail(channel)) return *known;
  ChannelTail tail;
  auto last = LastEntryId(channel);
  if (!last.ok()) return last.status();
  tail.last_entry_id = *last;
  auto newest = NewestPlace(channel);
  if (!newest.ok()) return newest.status();
  tail.newest = *newest;
  return tail;
}

Result<Entry> StoreWriter::PutNextEntry(ChannelId channel, ChannelTail& tail, Timestamp created_at,
                                        const EntryData& data) {
  const EntryId id = tail.last_entry_id + 1;
  Entry entry;
  entry.channel_id = channel;
  entry.entry_id = id;
  entry.created_at = created_at;

  // Which fields' last value this entry becomes, decided before the first
  // put, so a failure here leaves nothing half written. field_last names
  // each field's last value in time order: an entry at or after the
  // channel's newest is every field's; a back-dated one only of fields
  // whose last value is older still.
  const EntryPlace place{created_at, id};
  const bool newest_of_all = !tail.newest || place > *tail.newest;
  std::array<bool, kFieldCount> last_of{};
  for (int field = 1; field <= kFieldCount; ++field) {
    if (!data.fields[field - 1]) continue;
    last_of[field - 1] = true;
    if (newest_of_all) continue;
    auto last = LastEntryWithField(channel, field);
    if (!last.ok()) return last.status();
    if (last->has_value() && EntryPlace{(*last)->created_at, (*last)->entry_id} > place) {
      last_of[field - 1] = false;
    }
  }
  Status s = txn_.Put(dbs_.entries, EntryKey(entry.channel_id, entry.entry_id),
                      EncodeEntry(created_at, data));
  if (s.ok()) {
    s = txn_.Put(dbs_.by_time, ByTimeKey(entry.channel_id, entry.created_at, entry.entry_id), {});
  }
  const std::string id_value = EncodeU64(entry.entry_id);
  for (int field = 1; field <= kFieldCount && s.ok(); ++field) {
    if (last_of[field - 1]) {
      s = txn_.Put(dbs_.field_last, FieldLastKey(entry.channel_id, field), id_value);
    }
  }
  if (!s.ok()) return s;
  tail.last_entry_id = id;
  if (newest_of_all) tail.newest = place;
  txn_.memo().RememberTail(channel, tail);
  return entry;
}

Result<Channel> StoreWriter::UpdateChannel(ChannelId id, const Store::SettingsChange& change) {
  auto channel = ChannelRecord(id);
  if (!channel.ok()) return channel.status();
  if (!channel->has_value()) return NotFound("channel " + std::to_string(id) + " not found");
  Channel updated = **channel;
  if (Status s = change(updated); !s.ok()) return s;
  if (Status s = txn_.Put(dbs_.channels, ChannelKey(id), EncodeChannel(updated)); !s.ok()) {
    return s;
  }
  return updated;
}

Status StoreWriter::DeleteChannelKeys(MDB_dbi dbi, ChannelId channel, std::size_t limit,
                                      std::size_t& deleted) {
  auto cursor = LmdbCursor::Open(txn_, dbi);
  if (!cursor.ok()) return cursor.status();
  const std::string prefix = ChannelKey(channel);
  while (deleted < limit) {
    // Re-seek after each delete rather than trust the cursor's position.
    auto item = cursor->Move(MDB_SET_RANGE, prefix);
    if (!item.ok()) return item.status();
    if (!item->has_value() || KeyChannel((*item)->first) != channel) return OkStatus();
    if (Status s = cursor->Delete(); !s.ok()) return s;
    ++deleted;
  }
  return OkStatus();
}

Status StoreWriter::ClearChannelPart(ChannelId id, std::size_t limit, bool& done) {
  auto channel = ChannelRecord(id);
  if (!channel.ok()) return channel.status();
  if (!channel->has_value()) return NotFound("channel " + std::to_string(id) + " not found");
  auto cursor = LmdbCursor::Open(txn_, dbs_.entries);
  if (!cursor.ok()) return cursor.status();
  // Oldest entries first, each with its own by_time key, so a part that
  // stops early leaves whole entries and field_last (which names the newest)
  // stays valid until the last part.
  std::size_t deleted = 0;
  for (; deleted < limit; ++deleted) {
    auto item = cursor->Move(MDB_SET_RANGE, ChannelKey(id));
    if (!item.ok()) return item.status();
    if (!item->has_value() || KeyChannel((*item)->first) != id) break;
    Entry entry;
    entry.entry_id = KeyEntry((*item)->first);
    if (Status s = DecodeEntry((*item)->second, entry); !s.ok()) return s;
    if (Status s = cursor->Delete(); !s.ok()) return s;
    const std::string by_time = ByTimeKey(id, entry.created_at, entry.entry_id);
    if (Status s = txn_.Delete(dbs_.by_time, by_time); !s.ok()) return s;
  }
  done = deleted < limit;
  if (!done) return OkStatus();
  std::size_t fields = 0;
  if (Status s = DeleteChannelKeys(dbs_.field_last, id, kFieldCount, fields); !s.ok()) return s;
  return txn_.Delete(dbs_.meta, LastWriteKey(id));
}

Result<Channel> StoreWriter::DeleteChannel(ChannelId id) {
  auto channel = ChannelRecord(id);
  if (!channel.ok()) return channel.status();
  if (!channel->has_value()) return NotFound("channel " + std::to_string(id) + " not found");
  Status s = txn_.Delete(dbs_.keys, (*channel)->write_key);
  if (s.ok()) s = txn_.Delete(dbs_.keys, (*channel)->read_key);
  if (s.ok() && !(*channel)->station.empty()) {
    s = txn_.Delete(dbs_.stations, StationKey((*channel)->owner, (*channel)->station));
  }
  if (s.ok()) s = txn_.Delete(dbs_.channels, ChannelKey(id));
  if (!s.ok()) return s;
  return std::move(**channel);
}

}  // namespace fieldpost
