// Typed writes inside one read-write transaction. Each operation checks
// everything that can reject it before it changes anything, so a rejected
// operation leaves the transaction clean for the rest of its batch; an LMDB
// failure instead shows in LmdbTxn::failure() and dooms the transaction.
#pragma once

#include <chrono>
#include <string_view>

#include "core/model.h"
#include "core/status.h"
#include "core/store.h"
#include "storage/lmdb/store_reader.h"

namespace fieldpost {

class StoreWriter : public StoreReader {
 public:
  using StoreReader::StoreReader;

  // InvalidArgument if the name is taken or not 1-64 of [A-Za-z0-9_.-], or
  // the given key is taken or not 1-64 of [A-Za-z0-9_.-].
  Result<User> InsertUser(const NewUser& request, Timestamp now);

  // NotFound if channel.owner is set and is not a user.
  Result<Channel> InsertChannel(const NewChannel& channel, Timestamp now);

  // Resolves the key to a channel (creating a station's channel for a user
  // key on first use) and appends the entry with the next entry id.
  // Unauthorized for an unknown or read-only key; InvalidArgument if a
  // given created_at is already taken in the channel. The entry comes back
  // without its data, which is the write's: a batch may run its operations
  // twice, so the caller moves the data in once the commit is done.
  Result<Entry> Append(const EntryWrite& write, Timestamp now);

  // All entries or none; see Store::AppendBulk.
  Result<std::vector<Entry>> AppendBulk(const BulkWrite& write, Timestamp now);

  Result<Channel> UpdateChannel(ChannelId id, const Store::SettingsChange& change);
  // Deletes at most `limit` of the channel's entries (with their index
  // keys); sets `done` once none are left. Bounded so that one clear never
  // holds the writer for long or outgrows a transaction.
  Status ClearChannelPart(ChannelId id, std::size_t limit, bool& done);
  // Deletes the channel record, keys and station mapping; the entries must
  // already be cleared.
  Result<Channel> DeleteChannel(ChannelId id);
  // Whether this process makes the background pruning pass due at `now`:
  // true, and recorded, unless a process on the directory claimed one less
  // than `interval` before.
  Result<bool> ClaimPrunePass(Timestamp now, std::chrono::seconds interval);

 protected:
  // A fresh API key no user or channel has.
  Result<std::string> UnusedKey();
  // The channel's last entry id and newest place: as this transaction's
  // appends left them, or read.
  Result<ChannelTail> Tail(ChannelId channel);
  // Appends with the entry id after `tail`'s, without checks (the caller
  // has made sure nothing can reject it), and advances `tail` (remembered
  // for the transaction's next append to the channel). The entry comes
  // back without `data`.
  Result<Entry> PutNextEntry(ChannelId channel, ChannelTail& tail, Timestamp created_at,
                             const EntryData& data);

 private:
  // The one rule for write keys, checked inside the write transaction:
  // Unauthorized for a missing, unknown or read key; a write or user key's
  // owner otherwise (what each may write is the caller's to check).
  Result<KeyOwner> WriteKeyOwner(std::string_view api_key);
  Result<ChannelId> WritableChannel(const EntryWrite& write, Timestamp now);
  // kTooManyRequests if the channel has a minimum write interval and the
  // last write was less than that before `now`; sets `tracked` when the
  // channel has an interval (the write must then be recorded).
  Status CheckWriteInterval(ChannelId channel, Timestamp now, bool& tracked);
  // Records a tracked channel's write at `now`, for the interval's check.
  Status NoteWrite(ChannelId channel, Timestamp now);
  // Deletes up to `limit` keys of `dbi` that start with the channel's 4
  // bytes; `deleted` counts them.
  Status DeleteChannelKeys(MDB_dbi dbi, ChannelId channel, std::size_t limit, std::size_t& deleted);
};

}  // namespace fieldpost
