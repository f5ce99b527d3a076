// The narrow storage interface the handlers depend on. api/ knows only this
// header; storage/ implements it on LMDB. Not-found is an ordinary outcome
// (an empty optional), never an error Status.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

// A consistent read-only view of the data at one moment. Cheap to open; keep
// it only for the duration of one request (it pins old pages). Not
// thread-safe: one snapshot per thread.
class StoreSnapshot {
 public:
  virtual ~StoreSnapshot() = default;

  virtual Result<std::optional<KeyOwner>> FindKey(std::string_view api_key) = 0;
  virtual Result<std::optional<User>> FindUser(std::string_view name) = 0;
  // The channel with last_entry_id, used_fields and updated_at derived.
  virtual Result<std::optional<Channel>> FindChannel(ChannelId id) = 0;
  // The channel's stored settings and keys only, without the derived
  // members: cheaper, for reads that do not show them.
  virtual Result<std::optional<Channel>> FindChannelRecord(ChannelId id) = 0;
  // Only what deciding who may read the channel needs, for the reads that
  // show nothing of the channel itself (a field's value, a data age): the
  // cheapest lookup. The view is valid until the snapshot ends or this is
  // called again.
  virtual Result<std::optional<ChannelAccess>> FindChannelAccess(ChannelId id) = 0;
  // Every channel, in id order.
  virtual Result<std::vector<Channel>> ListChannels() = 0;
  // The channel's last entry: the newest by created_at, of entries in one
  // second the one with the highest entry id. The same entry ends
  // ListEntries without bounds, whatever order entries were written in
  // (back-dated updates, imports). last_entry_id is the highest id instead.
  virtual Result<std::optional<Entry>> LastEntry(ChannelId channel) = 0;
  // The last entry, in the same order, whose field `field` (1..8) is not
  // null.
  virtual Result<std::optional<Entry>> LastEntryWithField(ChannelId channel, int field) = 0;
  virtual Result<std::optional<Entry>> FindEntry(ChannelId channel, EntryId entry) = 0;
  // The `limit` newest entries within `range`, oldest first: by created_at,
  // or by entry id when `range` has only entry-id bounds. Walks an index
  // from the newest bound back; combining time and id bounds examines a
  // bounded number of index keys.
  virtual Result<std::vector<Entry>> ListEntries(ChannelId channel, const EntryRange& range,
                                                 std::size_t limit) = 0;
};

struct MetricsCounters;

// The size of what is stored, for /metrics.
struct StoreStats {
  std::uint64_t channels = 0;
  std::uint64_t entries = 0;
  std::uint64_t database_bytes = 0;  // of the data file, up to its last page in use
  std::uint64_t map_bytes = 0;       // the memory map it may grow into before growing it
};

// Thread-safe: any thread may open snapshots and submit writes concurrently.
class Store {
 public:
  virtual ~Store() = default;

  // The counters /metrics shows, which the store's commits add to; null
  // when metrics are off.
  virtual MetricsCounters* metrics() { return nullptr; }
  virtual Result<StoreStats> Stats() { return StoreStats{}; }

  virtual Result<std::unique_ptr<StoreSnapshot>> OpenSnapshot() = 0;

  // Appends one entry to the channel the key designates and returns it once
  // the transaction holding it is durably committed. Unauthorized if the key
  // is missing, unknown or may not write (checked inside the transaction:
  // one trip to storage). Concurrent calls are group-committed.
  virtual Result<Entry> Append(const EntryWrite& write) = 0;

  // The same without waiting: `done` gets the result once the commit
  // returns, on the committing thread (so it must be quick and must not
  // throw), or at once on the caller's thread when writes are stopped. No
  // thread waits, so one commit carries every write submitted meanwhile.
  using AppendDone = std::function<void(Result<Entry>)>;
  virtual void SubmitAppend(EntryWrite write, AppendDone done) = 0;

  // Creates a user with the given or a fresh API key; InvalidArgument if
  // the name or the key is taken or malformed.
  virtual Result<User> CreateUser(const NewUser& user) = 0;

  // Creates a channel with fresh write and read keys; NotFound if the owner
  // is set and is not a user.
  virtual Result<Channel> CreateChannel(const NewChannel& channel) = 0;

  // Stores every entry or none, in one durable transaction. Unauthorized
  // unless the key is the channel's write key; InvalidArgument if a
  // created_at repeats one in the request, or one in the channel unless
  // write.times_computed.
  virtual Result<std::vector<Entry>> AppendBulk(const BulkWrite& write) = 0;

  // Applies `change` to the channel's settings as stored at the moment of
  // the write, so concurrent updates of different settings both survive.
  // `change` may reject (its Status is returned) and must not block.
  // NotFound for an unknown channel.
  using SettingsChange = std::function<Status(ChannelSettings&)>;
  virtual Result<Channel> UpdateChannel(ChannelId id, const SettingsChange& change) = 0;

  // Deletes every entry of the channel (entry ids restart at 1). Large
  // channels are deleted over several transactions, so a reader may see a
  // channel partly cleared, and a write made during the clear may survive it.
  virtual Status ClearChannel(ChannelId id) = 0;

  // Deletes the channel, its entries and its keys; returns it as it was.
  virtual Result<Channel> DeleteChannel(ChannelId id) = 0;
};

}  // namespace fieldpost
