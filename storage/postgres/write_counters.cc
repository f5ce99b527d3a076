#include "storage/postgres/write_counters.h"

#include <sys/mman.h>

#include <atomic>
#include <mutex>

namespace fieldpost {
namespace {

constexpr std::size_t kSlots = 8192;  // 64 KiB

WriteCounters* shared = nullptr;
std::once_flag mapped;

}  // namespace

WriteCounters* WriteCounters::ShareWithChildren() {
  std::call_once(mapped, [] {
    // Anonymous and shared: the same pages in every process forked after,
    // gone with the last of them; no file another user could truncate.
    void* map = mmap(nullptr, kSlots * sizeof(std::uint64_t), PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (map != MAP_FAILED) shared = new WriteCounters(static_cast<std::uint64_t*>(map));
  });
  return shared;
}

WriteCounters* WriteCounters::Inherited() { return shared; }

std::uint64_t& WriteCounters::Slot(ChannelId channel) const { return slots_[channel % kSlots]; }

std::uint64_t WriteCounters::Read(ChannelId channel) const {
  return std::atomic_ref<std::uint64_t>(Slot(channel)).load(std::memory_order_acquire);
}

void WriteCounters::Count(ChannelId channel) {
  std::atomic_ref<std::uint64_t>(Slot(channel)).fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace fieldpost
