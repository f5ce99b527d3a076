// The writes only the admin commands make, beyond the API's: new keys for
// a channel or a user, a channel's owner, and deleting a user. Inside one
// read-write transaction, checking everything before changing anything,
// as StoreWriter's operations do.
#pragma once

#include <string_view>
#include <vector>

#include "storage/lmdb/store_writer.h"

namespace fieldpost {

class AdminWriter : public StoreWriter {
 public:
  using StoreWriter::StoreWriter;

  // Replaces the channel's write or read key (`kind`) with a fresh one;
  // the old key stops working at once. NotFound for an unknown channel.
  Result<Channel> RegenerateChannelKey(ChannelId id, KeyKind kind);

  // Replaces the user's API key with a fresh one. NotFound if no such user.
  Result<User> RegenerateUserKey(std::string_view name);

  // Gives the channel to `owner` (a user), or to nobody when empty. A
  // station channel moves with its station mapping; InvalidArgument when
  // the new owner has a channel of that station already. NotFound for an
  // unknown channel or user.
  Result<Channel> SetChannelOwner(ChannelId id, std::string_view owner);

  // Appends `entries` (in the given order, any time order, ids after the
  // channel's last) as one import batch: all or none. Unlike a bulk update
  // it takes no key and no minimum write interval. Entries may share a
  // second with each other and with entries above `existing_up_to` (other
  // batches of the same import, live writes meanwhile), as a channel's own
  // export does; InvalidArgument if one has the created_at of an entry up
  // to `existing_up_to` (the file was imported already, or overlaps).
  // NotFound for an unknown channel.
  Result<std::vector<Entry>> ImportEntries(ChannelId id, const std::vector<BulkEntry>& entries,
                                           EntryId existing_up_to);

  // Deletes the user and its key. InvalidArgument while the user owns
  // channels (named in the message); NotFound if no such user.
  Result<User> DeleteUser(std::string_view name);
};

}  // namespace fieldpost
