// The narrow storage interface the handlers depend on. module/ knows only this
// header; storage/ implements it on LMDB. Not-found is an ordinary outcome
// (an empty optional), never an error Status.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "module/model.h"
#include "module/status.h"

namespace fieldpost {

// A consistent read-only view of the data at one moment. Cheap to open; keep
// it only for the duration of one request (it pins old pages). Not
// thread-safe: one snapshot per thread.
class StoreSnapshot {
 public:
  virtual ~StoreSnapshot() = default;

  virtual Result<std::optional<KeyOwner>> FindKey(std::string_view api_key) = 0;
  virtual Result<std::optional<User>> FindUser(std::string_view name) = 0;
  // The channel with last_entry_id filled in.
  virtual Result<std::optional<Channel>> FindChannel(ChannelId id) = 0;
  // Every channel, in id order.
  virtual Result<std::vector<Channel>> ListChannels() = 0;
  // The entry with the highest entry id.
  virtual Result<std::optional<Entry>> LastEntry(ChannelId channel) = 0;
  // The newest entry whose field `field` (1..8) is not null.
  virtual Result<std::optional<Entry>> LastEntryWithField(ChannelId channel, int field) = 0;
  // The `count` newest entries by created_at, returned oldest first.
  virtual Result<std::vector<Entry>> NewestEntries(ChannelId channel, std::size_t count) = 0;
};

// Thread-safe: any thread may open snapshots and submit writes concurrently.
class Store {
 public:
  virtual ~Store() = default;

  virtual Result<std::unique_ptr<StoreSnapshot>> OpenSnapshot() = 0;

  // Appends one entry to the channel the key designates and returns it once
  // the transaction holding it is durably committed. Unauthorized if the key
  // is unknown or may not write. Concurrent calls are group-committed.
  virtual Result<Entry> Append(const EntryWrite& write) = 0;

  // Creates a user with the given or a fresh API key; InvalidArgument if
  // the name or the key is taken or malformed.
  virtual Result<User> CreateUser(const NewUser& user) = 0;

  // Creates a channel with fresh write and read keys; NotFound if the owner
  // is set and is not a user.
  virtual Result<Channel> CreateChannel(const NewChannel& channel) = 0;
};

}  // namespace fieldpost
