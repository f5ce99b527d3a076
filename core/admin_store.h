// What a storage backend offers beyond the API's Store: the writes only the
// admin commands make, import, retention, and stopping. The servers and
// the admin commands hold every backend (LMDB, PostgreSQL) through this.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/store.h"

namespace fieldpost {

class AdminStore : public Store {
 public:
  virtual Result<std::vector<User>> ListUsers() = 0;
  // Replaces the channel's write or read key (`kind`) with a fresh one; the
  // old key stops working at once. NotFound for an unknown channel.
  virtual Result<Channel> RegenerateChannelKey(ChannelId id, KeyKind kind) = 0;
  // Replaces the user's API key with a fresh one. NotFound if no such user.
  virtual Result<User> RegenerateUserKey(std::string_view name) = 0;
  // Gives the channel to `owner` (a user), or to nobody when empty. A
  // station channel moves with its station mapping; InvalidArgument when
  // the new owner has a channel of that station already.
  virtual Result<Channel> SetChannelOwner(ChannelId id, std::string_view owner) = 0;
  // Deletes the user and its key. InvalidArgument while the user owns
  // channels; NotFound if no such user.
  virtual Result<User> DeleteUser(std::string_view name) = 0;
  // Appends `entries` (in the given order, any time order, ids after the
  // channel's last) as one batch: all or none, without key or write
  // interval. InvalidArgument if one has the created_at of an entry up to
  // `existing_up_to` (the file was imported already, or overlaps).
  virtual Result<std::vector<Entry>> ImportEntries(ChannelId id,
                                                   const std::vector<BulkEntry>& entries,
                                                   EntryId existing_up_to) = 0;

  // Deletes the channel's entries created before `before`, all but its
  // newest and its highest-numbered, in bounded parts; how many it
  // deleted. NotFound for an unknown channel.
  virtual Result<std::size_t> PruneChannel(ChannelId id, Timestamp before) = 0;
  // Prunes every channel that has a retention (its own retention_days, or
  // the default one) as of `now`; how many entries it deleted.
  virtual Result<std::size_t> PruneExpired(Timestamp now) = 0;
  // Whether this process makes the background pruning pass due at `now`:
  // true, and recorded, unless a process on the same data claimed one less
  // than `interval` before (storage/retention_pruner.h).
  virtual Result<bool> ClaimPrunePass(Timestamp now, std::chrono::seconds interval) = 0;

  // Commits pending writes and refuses new ones; reads keep working.
  virtual void StopWrites() = 0;

  // Where the data is, for a log line: a directory, or a database named
  // without its password.
  virtual std::string Location() const = 0;
};

}  // namespace fieldpost
