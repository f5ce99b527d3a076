#include "storage/lmdb/mapping_fault_guard.h"

#include <signal.h>
#include <sys/mman.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <mutex>

namespace fieldpost {
namespace {

// Read by the signal handler: lock-free atomics only. A slot is in use
// while its start is non-zero; length is set before start and cleared
// after it. `state` goes from kMapped to kReplacing (one handler claims the
// region) to kReplaced.
enum SlotState : int { kMapped, kReplacing, kReplaced };
struct Slot {
  std::atomic<std::uintptr_t> start{0};
  std::atomic<std::size_t> length{0};
  std::atomic<int> state{kMapped};
};
constexpr int kSlots = 16;
Slot slots[kSlots];
std::mutex slots_mutex;  // between guards, never taken by the handler

// The handler in place before ours, for faults elsewhere. Each install
// keeps its own copy, never freed: a handler may be reading an older one.
std::atomic<const struct sigaction*> previous_action{nullptr};

void FallBack(int signal, siginfo_t* info, void* context) {
  const struct sigaction* previous = previous_action.load(std::memory_order_acquire);
  if (previous != nullptr && (previous->sa_flags & SA_SIGINFO) != 0 &&
      previous->sa_sigaction != nullptr) {
    previous->sa_sigaction(signal, info, context);
    return;
  }
  if (previous != nullptr && previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN) {
    previous->sa_handler(signal);
    return;
  }
  // Nobody else's: the default action, as if we had never been here. The
  // raised signal is delivered once the handler returns (a kill -BUS too,
  // which would not fault again).
  struct sigaction fallback {};
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  sigaction(SIGBUS, &fallback, nullptr);
  raise(SIGBUS);
}

void OnBusError(int signal, siginfo_t* info, void* context) {
  const int saved_errno = errno;
  const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
  for (Slot& slot : slots) {
    const std::uintptr_t start = slot.start.load(std::memory_order_acquire);
    const std::size_t length = slot.length.load(std::memory_order_acquire);
    if (info->si_code <= 0 || start == 0 || address < start || address - start >= length) continue;
    int expected = kMapped;
    if (slot.state.compare_exchange_strong(expected, kReplacing, std::memory_order_acq_rel)) {
      // mmap is a plain system call here, safe in a handler on Linux.
      if (mmap(reinterpret_cast<void*>(start), length, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
        break;
      }
      slot.state.store(kReplaced, std::memory_order_release);
    } else {
      // Another thread faulted first: wait for its new memory, and do not
      // replace it again (that would drop what was added since).
      while (slot.state.load(std::memory_order_acquire) != kReplaced) {
      }
    }
    errno = saved_errno;
    return;  // the access runs again, on the new memory
  }
  errno = saved_errno;
  FallBack(signal, info, context);
}

// Installs the handler unless it is the one in place: whoever set another
// since (a test framework does, per test) becomes the one to fall back to.
bool InstallHandler() {
  struct sigaction current {};
  if (sigaction(SIGBUS, nullptr, &current) != 0) return false;
  if ((current.sa_flags & SA_SIGINFO) != 0 && current.sa_sigaction == OnBusError) return true;
  previous_action.store(new struct sigaction(current), std::memory_order_release);
  struct sigaction action {};
  action.sa_sigaction = OnBusError;
  // On the alternate stack if the one before was (ASan's is).
  action.sa_flags = SA_SIGINFO | SA_RESTART | (current.sa_flags & SA_ONSTACK);
  sigemptyset(&action.sa_mask);
  return sigaction(SIGBUS, &action, nullptr) == 0;
}

}  // namespace

MappingFaultGuard::MappingFaultGuard(void* start, std::size_t length) {
  std::lock_guard<std::mutex> lock(slots_mutex);
  if (!InstallHandler()) return;
  for (int i = 0; i < kSlots; ++i) {
    if (slots[i].start.load(std::memory_order_relaxed) != 0) continue;
    slots[i].state.store(kMapped, std::memory_order_relaxed);
    slots[i].length.store(length, std::memory_order_release);
    slots[i].start.store(reinterpret_cast<std::uintptr_t>(start), std::memory_order_release);
    slot_ = i;
    return;
  }
}

MappingFaultGuard::~MappingFaultGuard() {
  if (slot_ < 0) return;
  std::lock_guard<std::mutex> lock(slots_mutex);
  slots[slot_].start.store(0, std::memory_order_release);
  slots[slot_].length.store(0, std::memory_order_release);
}

bool MappingFaultGuard::faulted() const {
  return slot_ >= 0 && slots[slot_].state.load(std::memory_order_acquire) != kMapped;
}

}  // namespace fieldpost
