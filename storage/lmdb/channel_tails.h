// What a write transaction has learnt of the newest entries of the
// channels it appends to. A batch often carries many appends to one
// channel (a station's bursts, an import, a benchmark); each append needs
// the channel's last entry id and its newest place in time, two B-tree
// seeks, which the appends after the first then take from here. Every
// append updates what it read, and any delete in the transaction forgets
// everything (clears, prunes and channel deletions change a channel's
// tail without going through an append).
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <optional>

#include "core/model.h"

namespace fieldpost {

// Where an entry stands in a channel's time order: by created_at, then by
// entry id (of entries in one second, the later written is the newer).
// The newest is the channel's "last" entry everywhere: feeds/last,
// fields/N/last, last_data_age, updated_at and feeds.json?results=1.
struct EntryPlace {
  Timestamp created_at{};
  EntryId entry_id = 0;
  auto operator<=>(const EntryPlace&) const = default;
};

struct ChannelTail {
  EntryId last_entry_id = 0;
  std::optional<EntryPlace> newest;  // none while the channel is empty
};

class ChannelTails {
 public:
  // The tail remembered for `channel`, or null.
  ChannelTail* Find(ChannelId channel) {
    for (Slot& slot : slots_) {
      if (slot.channel == channel && channel != 0) return &slot.tail;
    }
    return nullptr;
  }
  // Remembers `tail` for `channel`, in place of the oldest remembered.
  void Remember(ChannelId channel, const ChannelTail& tail) {
    if (ChannelTail* known = Find(channel)) {
      *known = tail;
      return;
    }
    slots_[next_] = {channel, tail};
    next_ = (next_ + 1) % slots_.size();
  }
  void Forget() { slots_ = {}; }

 private:
  // A few channels: a batch of appends to many channels gains nothing
  // here, and a fixed array costs it no allocation.
  struct Slot {
    ChannelId channel = 0;  // 0: empty (channel ids start at 1)
    ChannelTail tail;
  };
  std::array<Slot, 8> slots_{};
  std::size_t next_ = 0;
};

}  // namespace fieldpost
