// What a write transaction has learnt while it ran appends, so that a
// batch carrying many appends to one channel (a station's bursts, an
// import, a benchmark) looks each thing up once instead of once per
// append: the channel a write key names, the channel's write interval and
// last write, its last entry id and its newest place in time.
//
// It is only ever a shortcut for what the transaction would read itself,
// so it must forget whatever the transaction changes by other ways than
// the appends that keep it: any delete forgets everything (clears, prunes
// and channel deletions change a channel's tail), and any put into a
// watched database (keys and channel records: a regenerated key, a new
// write interval) forgets the keys and intervals. A few slots of each, in
// place: a batch of appends to many channels gains nothing here, and a
// fixed array costs it no allocation.
#pragma once

#include <lmdb.h>

#include <algorithm>
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

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

// A channel's minimum seconds between writes, and when it was last written
// (seconds since the epoch; none before its first tracked write).
struct WriteInterval {
  std::uint32_t seconds = 0;
  std::optional<std::int64_t> last_write;
};

class WriteMemo {
 public:
  ChannelTail* Tail(ChannelId channel) { return tails_.Find(channel); }
  void RememberTail(ChannelId channel, const ChannelTail& tail) { tails_.Put(channel, tail); }

  // The channel `write_key` names, or 0 when not known.
  ChannelId WriteKeyChannel(std::string_view write_key) {
    const ChannelId* channel = keys_.Find(KeyText(write_key));
    return channel != nullptr ? *channel : 0;
  }
  void RememberWriteKey(std::string_view write_key, ChannelId channel) {
    if (write_key.empty() || write_key.size() > KeyText::kMax) return;
    keys_.Put(KeyText(write_key), channel);
  }

  WriteInterval* Interval(ChannelId channel) { return intervals_.Find(channel); }
  void RememberInterval(ChannelId channel, const WriteInterval& interval) {
    intervals_.Put(channel, interval);
  }

  // Puts into these databases forget keys and intervals (LmdbTxn::Put).
  void Watch(MDB_dbi keys, MDB_dbi channels) {
    watched_ = {keys, channels};
    watching_ = true;
  }
  bool Watches(MDB_dbi dbi) const {
    return watching_ && std::find(watched_.begin(), watched_.end(), dbi) != watched_.end();
  }

  void ForgetRecords() {
    keys_ = {};
    intervals_ = {};
  }
  void ForgetAll() {
    ForgetRecords();
    tails_ = {};
  }

 private:
  // An API key's text, held in place (keys are at most 64 characters).
  struct KeyText {
    static constexpr std::size_t kMax = 64;
    KeyText() = default;
    explicit KeyText(std::string_view text) : size(std::min(text.size(), kMax + 1)) {
      std::copy_n(text.begin(), std::min(text.size(), kMax), bytes.begin());
    }
    bool operator==(const KeyText& other) const {
      return size <= kMax && size == other.size &&
             std::equal(bytes.begin(), bytes.begin() + size, other.bytes.begin());
    }
    std::array<char, kMax> bytes{};
    std::size_t size = 0;  // kMax + 1: too long to remember, never equal to one
  };

  // Up to 8 keyed values; the oldest gives way.
  template <typename Key, typename Value>
  class Slots {
   public:
    Value* Find(const Key& key) {
      for (std::size_t i = 0; i < used_; ++i) {
        if (slots_[i].key == key) return &slots_[i].value;
      }
      return nullptr;
    }
    void Put(const Key& key, const Value& value) {
      if (Value* known = Find(key)) {
        *known = value;
        return;
      }
      slots_[next_] = {key, value};
      next_ = (next_ + 1) % slots_.size();
      used_ = std::max(used_, next_ == 0 ? slots_.size() : next_);
    }

   private:
    struct Slot {
      Key key{};
      Value value{};
    };
    std::array<Slot, 8> slots_{};
    std::size_t next_ = 0;
    std::size_t used_ = 0;
  };

  Slots<ChannelId, ChannelTail> tails_;
  Slots<KeyText, ChannelId> keys_;
  Slots<ChannelId, WriteInterval> intervals_;
  std::array<MDB_dbi, 2> watched_{};
  bool watching_ = false;
};

}  // namespace fieldpost
