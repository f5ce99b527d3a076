#include "storage/lmdb/admin_writer.h"

#include <algorithm>

#include "core/time_format.h"
#include "storage/lmdb/key_codec.h"
#include "storage/lmdb/record_codec.h"
#include "storage/not_found.h"

namespace fieldpost {

Result<Channel> AdminWriter::RegenerateChannelKey(ChannelId id, KeyKind kind) {
  auto record = ChannelRecord(id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return NoChannel(id);
  Channel channel = std::move(**record);
  std::string& key = kind == KeyKind::kWrite ? channel.write_key : channel.read_key;
  const std::string old_key = key;
  auto fresh = UnusedKey();
  if (!fresh.ok()) return fresh.status();
  key = std::move(fresh).value();
  Status s = txn_.Delete(dbs_.keys, old_key);
  if (s.ok()) s = txn_.Put(dbs_.keys, key, EncodeKeyOwner({kind, "", id}));
  if (s.ok()) s = txn_.Put(dbs_.channels, ChannelKey(id), EncodeChannel(channel));
  if (!s.ok()) return s;
  return channel;
}

Result<User> AdminWriter::RegenerateUserKey(std::string_view name) {
  auto found = FindUser(name);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return NoUser(name);
  User user = std::move(**found);
  const std::string old_key = user.api_key;
  auto fresh = UnusedKey();
  if (!fresh.ok()) return fresh.status();
  user.api_key = std::move(fresh).value();
  Status s = txn_.Delete(dbs_.keys, old_key);
  if (s.ok()) s = txn_.Put(dbs_.keys, user.api_key, EncodeKeyOwner({KeyKind::kUser, user.name, 0}));
  if (s.ok()) s = txn_.Put(dbs_.users, user.name, EncodeUser(user));
  if (!s.ok()) return s;
  return user;
}

Result<Channel> AdminWriter::SetChannelOwner(ChannelId id, std::string_view owner) {
  auto record = ChannelRecord(id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return NoChannel(id);
  if (!owner.empty()) {
    auto user = FindUser(owner);
    if (!user.ok()) return user.status();
    if (!user->has_value()) return NoUser(owner);
  }
  Channel channel = std::move(**record);
  Status s;
  // A station's channel is found by its owner and station: the mapping
  // follows the channel, or the station would get a new channel. The new
  // owner may have a channel of that station already: two channels cannot
  // both be where its readings go.
  if (!channel.station.empty() && owner != channel.owner) {
    auto theirs = FindStationChannel(owner, channel.station);
    if (!theirs.ok()) return theirs.status();
    if (theirs->has_value() && **theirs != id) {
      return InvalidArgument("user '" + std::string(owner) + "' has a channel of station " +
                             channel.station + " already (channel " + std::to_string(**theirs) +
                             ")");
    }
    auto ours = FindStationChannel(channel.owner, channel.station);
    if (!ours.ok()) return ours.status();
    if (ours->has_value() && **ours == id) {
      s = txn_.Delete(dbs_.stations, StationKey(channel.owner, channel.station));
    }
    if (s.ok()) {
      s = txn_.Put(dbs_.stations, StationKey(owner, channel.station), ChannelKey(id));
    }
  }
  channel.owner = std::string(owner);
  if (s.ok()) s = txn_.Put(dbs_.channels, ChannelKey(id), EncodeChannel(channel));
  if (!s.ok()) return s;
  return channel;
}

Result<std::vector<Entry>> AdminWriter::ImportEntries(ChannelId id,
                                                      const std::vector<BulkEntry>& entries,
                                                      EntryId existing_up_to) {
  auto record = ChannelRecord(id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return NoChannel(id);
  // Every check before the first put, so a refused batch stores nothing.
  for (const BulkEntry& entry : entries) {
    auto taken = HasEntryAt(id, entry.created_at, existing_up_to);
    if (!taken.ok()) return taken.status();
    if (*taken) {
      return InvalidArgument("an entry of channel " + std::to_string(id) +
                             " already has the created_at " + FormatIso8601(entry.created_at));
    }
  }
  auto tail = Tail(id);
  if (!tail.ok()) return tail.status();
  std::vector<Entry> stored;
  stored.reserve(entries.size());
  for (const BulkEntry& entry : entries) {
    auto put = PutNextEntry(id, *tail, entry.created_at, entry.data);
    if (!put.ok()) return put.status();
    put->data = entry.data;
    stored.push_back(std::move(put).value());
  }
  return stored;
}

Result<User> AdminWriter::DeleteUser(std::string_view name) {
  auto found = FindUser(name);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return NoUser(name);
  auto channels = ListChannels();
  if (!channels.ok()) return channels.status();
  std::string owned;
  for (const Channel& channel : *channels) {
    if (channel.owner == name) owned += (owned.empty() ? "" : ", ") + std::to_string(channel.id);
  }
  if (!owned.empty()) {
    return InvalidArgument("user '" + std::string(name) + "' owns channels " + owned +
                           ": give them to another user (channel update ID --owner NAME) or "
                           "delete them first");
  }
  Status s = txn_.Delete(dbs_.keys, (*found)->api_key);
  if (s.ok()) s = txn_.Delete(dbs_.users, name);
  if (!s.ok()) return s;
  return std::move(**found);
}

}  // namespace fieldpost
