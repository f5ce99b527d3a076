// Deleting a channel's entries older than a moment: what retention and
// `fieldpost channel prune` do, one bounded part per transaction so that
// writers get the write lock between parts.
#pragma once

#include <array>
#include <cstddef>

#include "storage/lmdb/store_writer.h"

namespace fieldpost {

class PruneWriter : public StoreWriter {
 public:
  using StoreWriter::StoreWriter;

  // Deletes up to `limit` of the channel's entries created before `before`,
  // oldest first, with their by_time keys, and adds their number to
  // `pruned`; sets `done` once none older is left. Two entries are always
  // kept: the highest id (entry ids go on from it; a channel whose entries
  // were all gone would start again at 1) and the last in time order (its
  // reading stays readable). field_last is kept naming each field's last
  // remaining value. NotFound for an unknown channel.
  Status PruneChannelPart(ChannelId id, Timestamp before, std::size_t limit, std::size_t& pruned,
                          bool& done);

 private:
  // The part's deletes, but never of `kept`, counted in `deleted`, then
  // field_last mended.
  Status DeleteOldest(ChannelId id, Timestamp before, const std::array<EntryId, 2>& kept,
                      std::size_t limit, std::size_t& deleted, bool& done);
  // Points field_last at the last entry before `below` (where the field's
  // deleted last value stood) that has `field`, or removes it when there
  // is none.
  Status RepointFieldLast(ChannelId id, int field, EntryPlace below);
};

}  // namespace fieldpost
