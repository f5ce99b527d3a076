// Channels' last values kept in the process: a channel's newest entry and
// its newest with each field, the answers of last.txt, last.json and
// fields/N/last. Many readers ask for them, often of one channel, and on
// PostgreSQL a query costs far more than the reply: mostly the two
// processes waking each other, not the database's work.
//
// Kept right by dropping: every change of a channel's entries drops its
// values: this process's own writes as soon as they commit, before they
// are answered; its sibling processes' (nginx's workers, Apache's children)
// the same way, through shared write counters (write_counters.h); other
// frontends' when their announcement arrives (channel_cache.h). A value is
// read again after kLastValueLifetime, in the background, the bound should
// an announcement never come (kLastValueLongest at worst). A
// value read from the database is kept only if no drop of its channel came
// since the read began (the read may predate the change).
//
// Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "core/model.h"
#include "storage/postgres/write_counters.h"

namespace fieldpost {

// How old a value, never dropped, may be before it is read again (in the
// background: readers are answered with it meanwhile), and before it is
// given no more (its readings again failing, or slower than that).
inline constexpr std::chrono::milliseconds kLastValueLifetime{1000};
inline constexpr std::chrono::milliseconds kLastValueLongest{5000};

class LastValues {
 public:
  using Clock = std::chrono::steady_clock;
  // Taken before a read whose value is to be kept.
  struct Ticket {
    std::uint64_t drops;
    std::uint64_t writes;  // the channel's shared write count
  };

  // `siblings` (null: none) are the write counters shared with the other
  // processes of this frontend; they outlive this.
  explicit LastValues(WriteCounters* siblings = nullptr) : siblings_(siblings) {}

  // `field` 0 is the newest entry; 1–8 the newest with that field. The
  // kept value (which may be "no entry"), if any. Past its lifetime it is
  // still given (it was not dropped: only a lost announcement could have
  // made it old) up to kLastValueLongest, and `*read_again` is set for the
  // first caller then, who is to have it read again and Put.
  std::optional<std::optional<Entry>> Find(ChannelId channel, int field, bool* read_again,
                                           Clock::time_point now = Clock::now());
  Ticket Take(ChannelId channel);
  // Keeps `value` unless `channel` was dropped since `ticket` was taken,
  // or keeping is off.
  void Put(ChannelId channel, int field, const std::optional<Entry>& value, Ticket ticket,
           Clock::time_point now = Clock::now());
  // A change of `channel`'s entries by this process committed: drops its
  // values here and in the sibling processes. Before it is answered.
  void Wrote(ChannelId channel);
  // A change made elsewhere was heard of: drops its values here.
  void Drop(ChannelId channel);
  // Drops everything; keeps nothing until enabled again. Off at first.
  void DropAll();
  void Enable();

 private:
  struct Kept {
    Clock::time_point at;
    std::uint64_t writes;  // the shared write count when its read began
    std::optional<Entry> value;
    bool reading_again = false;  // past its lifetime, asked for again
  };
  struct Slot {
    std::uint64_t dropped_at = 0;
    std::array<std::optional<Kept>, kFieldCount + 1> values;
  };

  WriteCounters* const siblings_;
  std::mutex mutex_;
  std::unordered_map<ChannelId, Slot> slots_;
  std::uint64_t drops_ = 0;  // counts drops; a ticket is its value when taken
  std::uint64_t floor_ = 0;  // tickets below it are refused (DropAll)
  bool enabled_ = false;
};

}  // namespace fieldpost
