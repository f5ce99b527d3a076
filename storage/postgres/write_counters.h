// Counts of committed writes by channel, in memory shared by the processes
// of one frontend: mapped by the parent (nginx's master, Apache's parent)
// before it forks its workers or children, and inherited by them. A
// process's kept last values (last_values.h) are right for its own writes
// at once; with these counters they are right at once for its siblings'
// writes too, as on LMDB, where a write committed by one worker is in
// every worker's next read. Other frontends hear of writes through the
// database's announcements instead.
//
// Channels share slots (id modulo the slot count): a write to one only
// makes its slot-mates' kept values be read again. Thread- and
// process-safe (atomic counters).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/model.h"

namespace fieldpost {

class WriteCounters {
 public:
  // The counters this process maps for the processes it will fork, mapped
  // by its first call (null when that failed; then nothing is shared).
  // Call before forking; the children find them with Inherited().
  static WriteCounters* ShareWithChildren();
  // What ShareWithChildren mapped in this process or a parent; null if
  // nothing.
  static WriteCounters* Inherited();

  std::uint64_t Read(ChannelId channel) const;
  // After a write to `channel` committed, before it is answered.
  void Count(ChannelId channel);

 private:
  explicit WriteCounters(std::uint64_t* slots) : slots_(slots) {}
  std::uint64_t& Slot(ChannelId channel) const;

  std::uint64_t* const slots_;  // kSlots counters, never unmapped
};

}  // namespace fieldpost
