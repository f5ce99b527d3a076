// Typed writes inside one read-write transaction. Each operation checks
// everything that can reject it before it changes anything, so a rejected
// operation leaves the transaction clean for the rest of its batch; an LMDB
// failure instead shows in LmdbTxn::failure() and dooms the transaction.
#pragma once

#include <string_view>

#include "module/model.h"
#include "module/status.h"
#include "storage/store_reader.h"

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
  // Unauthorized for an unknown or read-only key.
  Result<Entry> Append(const EntryWrite& write, Timestamp now);

 private:
  Result<ChannelId> WritableChannel(const EntryWrite& write, Timestamp now);
  Result<std::string> UnusedKey();
};

}  // namespace fieldpost
