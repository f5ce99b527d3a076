#include "storage/retention_pruner.h"

#include <exception>
#include <string>

#include "core/admin_store.h"
#include "core/log.h"

namespace fieldpost {
namespace {

// The first pass waits a little, so that a server's start (and a test's
// first requests) do not meet it.
constexpr std::chrono::seconds kFirstPassDelay{5};

}  // namespace

RetentionPruner::RetentionPruner(AdminStore& store, std::chrono::seconds interval)
    : store_(store), interval_(interval), thread_([this] { Run(); }) {}

RetentionPruner::~RetentionPruner() { Stop(); }

void RetentionPruner::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RetentionPruner::Run() {
  auto wait = std::min<std::chrono::seconds>(kFirstPassDelay, interval_);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, wait, [this] { return stopping_.load(); })) return;
    }
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    // A failed pass is tried again at the next interval; the servers go on.
    // Nothing may escape the thread (bad_alloc would end the process).
    try {
      // One pass per interval for the directory, not one per process
      // (every nginx worker and Apache child has a pruner).
      auto claimed = store_.ClaimPrunePass(now, interval_);
      Status failed = claimed.status();
      if (claimed.ok() && *claimed) failed = store_.PruneExpired(now).status();
      if (!failed.ok() && !stopping()) {
        LogWarning("pruning old entries failed: " + failed.message());
      }
    } catch (const std::exception& e) {
      LogWarning(std::string("pruning old entries failed: ") + e.what());
    }
    wait = interval_;
  }
}

}  // namespace fieldpost
