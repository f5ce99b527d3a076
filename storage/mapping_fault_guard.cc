#include "storage/mapping_fault_guard.h"

#include <signal.h>
#include <sys/mman.h>

#include <atomic>
#include <cstdint>
#include <mutex>

namespace fieldpost {
namespace {

// Read by the signal handler: lock-free atomics only. A slot is in use
// while its start is non-zero; length is set before start and cleared
// after it.
struct Slot {
  std::atomic<std::uintptr_t> start{0};
  std::atomic<std::size_t> length{0};
  std::atomic<bool> faulted{false};
};
constexpr int kSlots = 16;
Slot slots[kSlots];
std::mutex slots_mutex;  // between guards, never taken by the handler

struct sigaction previous_action;  // written under slots_mutex

void OnBusError(int signal, siginfo_t* info, void* context) {
  const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
  for (Slot& slot : slots) {
    const std::uintptr_t start = slot.start.load(std::memory_order_acquire);
    const std::size_t length = slot.length.load(std::memory_order_acquire);
    if (start == 0 || address < start || address - start >= length) continue;
    // mmap is a plain system call here, safe in a handler on Linux.
    if (mmap(reinterpret_cast<void*>(start), length, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
      slot.faulted.store(true, std::memory_order_release);
      return;  // the access runs again, on the new memory
    }
    break;
  }
  if ((previous_action.sa_flags & SA_SIGINFO) != 0 && previous_action.sa_sigaction != nullptr) {
    previous_action.sa_sigaction(signal, info, context);
    return;
  }
  if (previous_action.sa_handler != SIG_DFL && previous_action.sa_handler != SIG_IGN) {
    previous_action.sa_handler(signal);
    return;
  }
  // Not ours, and nobody else's: the default action, when the access
  // faults again on return.
  struct sigaction fallback {};
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  sigaction(SIGBUS, &fallback, nullptr);
}

// Installs the handler unless it is the one in place: whoever set another
// since (a test framework does, per test) becomes the one to fall back to.
bool InstallHandler() {
  struct sigaction current {};
  if (sigaction(SIGBUS, nullptr, &current) != 0) return false;
  if ((current.sa_flags & SA_SIGINFO) != 0 && current.sa_sigaction == OnBusError) return true;
  struct sigaction action {};
  action.sa_sigaction = OnBusError;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&action.sa_mask);
  previous_action = current;
  return sigaction(SIGBUS, &action, nullptr) == 0;
}

}  // namespace

MappingFaultGuard::MappingFaultGuard(void* start, std::size_t length) {
  std::lock_guard<std::mutex> lock(slots_mutex);
  if (!InstallHandler()) return;
  for (int i = 0; i < kSlots; ++i) {
    if (slots[i].start.load(std::memory_order_relaxed) != 0) continue;
    slots[i].faulted.store(false, std::memory_order_relaxed);
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
  return slot_ >= 0 && slots[slot_].faulted.load(std::memory_order_acquire);
}

}  // namespace fieldpost
