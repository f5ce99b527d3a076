// Typed reads over one LMDB transaction (read-only or read-write). Each is a
// B-tree seek plus a short cursor walk; none scans a channel's history.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "storage/lmdb/lmdb_env.h"
#include "storage/lmdb/lmdb_txn.h"
#include "storage/lmdb/write_memo.h"

namespace fieldpost {

class StoreReader {
 public:
  // `txn` and `dbs` must outlive the reader.
  StoreReader(LmdbTxn& txn, const Databases& dbs) : txn_(txn), dbs_(dbs) {}

  Result<std::optional<KeyOwner>> FindKey(std::string_view api_key);
  Result<std::optional<User>> FindUser(std::string_view name);
  // With last_entry_id, used_fields and updated_at derived.
  Result<std::optional<Channel>> FindChannel(ChannelId id);
  // The stored record only (nothing derived): cheaper, for writes.
  Result<std::optional<Channel>> ChannelRecord(ChannelId id);
  // Views the record in the transaction's memory.
  Result<std::optional<ChannelAccess>> ChannelAccessRecord(ChannelId id);
  Result<std::vector<Channel>> ListChannels();
  // Every user, by name.
  Result<std::vector<User>> ListUsers();
  // The channel's highest entry id, 0 when it has none.
  Result<EntryId> LastEntryId(ChannelId channel);
  Result<std::optional<Entry>> FindEntry(ChannelId channel, EntryId entry);
  // The channel's newest entry in time order (see EntryPlace), and where
  // it stands; nothing when the channel has no entries.
  Result<std::optional<EntryPlace>> NewestPlace(ChannelId channel);
  Result<std::optional<Entry>> LastEntry(ChannelId channel);
  // The newest entry in time order that has `field`.
  Result<std::optional<Entry>> LastEntryWithField(ChannelId channel, int field);
  // At most this many index keys are examined per list read, when both
  // time and entry-id bounds are given (each alone is a direct seek).
  static constexpr std::size_t kMaxScannedKeys = 200000;

  // The `limit` newest within `range`, oldest first: by created_at, or by
  // entry id when only entry-id bounds are given.
  Result<std::vector<Entry>> ListEntries(ChannelId channel, const EntryRange& range,
                                         std::size_t limit);
  // Whether an entry of the channel with an id up to `up_to` has exactly
  // this created_at.
  Result<bool> HasEntryAt(ChannelId channel, Timestamp created_at, EntryId up_to = UINT64_MAX);
  Result<std::optional<ChannelId>> FindStationChannel(std::string_view owner,
                                                      std::string_view station);

 protected:
  LmdbTxn& txn_;
  const Databases& dbs_;

 private:
  Status FillDerived(Channel& channel);
  // The last item of the cursor's database whose key starts with the
  // channel's 4 bytes.
  Result<std::optional<LmdbCursor::Item>> LastOfChannel(LmdbCursor& cursor, ChannelId channel);
  Result<std::vector<EntryId>> IdsByTime(ChannelId channel, const EntryRange& range,
                                         std::size_t limit);
};

}  // namespace fieldpost
