#include "storage/store_writer.h"

#include <algorithm>
#include <cctype>

#include "storage/key_codec.h"
#include "storage/random_key.h"
#include "storage/record_codec.h"

namespace fieldpost {
namespace {

// User names and chosen keys share one alphabet, safe in URLs and paths.
bool IsValidName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

}  // namespace

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
  channel.name = request.name;
  channel.description = request.description;
  channel.field_names = request.field_names;
  channel.is_public = request.is_public;
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

Result<ChannelId> StoreWriter::WritableChannel(const EntryWrite& write, Timestamp now) {
  auto owner = FindKey(write.api_key);
  if (!owner.ok()) return owner.status();
  if (!owner->has_value()) return Unauthorized("unknown API key");
  const KeyOwner& key = **owner;
  if (key.kind == KeyKind::kWrite) return key.channel_id;
  if (key.kind == KeyKind::kRead) return Unauthorized("a read API key cannot write");
  if (write.station.empty()) return Unauthorized("a user API key writes only with mac=STATION");

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
  auto last = LastEntryId(*channel);
  if (!last.ok()) return last.status();
  Entry entry;
  entry.channel_id = *channel;
  entry.entry_id = *last + 1;
  entry.created_at = write.created_at.value_or(now);
  entry.data = write.data;

  Status s = txn_.Put(dbs_.entries, EntryKey(entry.channel_id, entry.entry_id), EncodeEntry(entry));
  if (s.ok()) {
    s = txn_.Put(dbs_.by_time, ByTimeKey(entry.channel_id, entry.created_at, entry.entry_id), {});
  }
  const std::string id_value = EncodeU64(entry.entry_id);
  for (int field = 1; field <= kFieldCount && s.ok(); ++field) {
    if (entry.data.fields[field - 1]) {
      s = txn_.Put(dbs_.field_last, FieldLastKey(entry.channel_id, field), id_value);
    }
  }
  if (!s.ok()) return s;
  return entry;
}

}  // namespace fieldpost
