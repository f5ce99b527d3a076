#include "storage/lmdb/group_commit.h"

#include <chrono>
#include <memory>
#include <utility>

#include "core/log.h"
#include "core/metrics.h"

namespace fieldpost {

GroupCommitter::GroupCommitter(LmdbEnv& env, MetricsCounters* metrics)
    : env_(env), metrics_(metrics) {
  // Before the writer starts: every commit reads the flag.
  env_.DeferMetaSync(true);
  writer_ = std::thread([this] { WriterLoop(); });
}

GroupCommitter::~GroupCommitter() { Stop(); }

Status GroupCommitter::Run(Operation operation) {
  Pending pending{std::move(operation), {}, {}, false};
  std::unique_lock lock(mutex_);
  if (stopping_) return {StatusCode::kUnavailable, "shutting down"};
  queue_.push_back(&pending);
  work_ready_.notify_one();
  work_done_.wait(lock, [&] { return pending.done; });
  return pending.result;
}

void GroupCommitter::Submit(Operation operation, Done done) {
  auto pending =
      std::make_unique<Pending>(Pending{std::move(operation), std::move(done), {}, false});
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(pending.release());
      work_ready_.notify_one();
      return;
    }
  }
  pending->on_done({StatusCode::kUnavailable, "shutting down"});
}

void GroupCommitter::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_one();
  if (writer_.joinable()) writer_.join();
  // The writer flushed before it ended; any later commit on this
  // environment flushes its own meta page again.
  env_.DeferMetaSync(false);
}

std::uint64_t GroupCommitter::batches_committed() const {
  std::lock_guard lock(mutex_);
  return batches_committed_;
}

void GroupCommitter::WriterLoop() {
  std::vector<Pending*> batch;
  // Committed, and answered once their meta pages are flushed.
  std::vector<Pending*> unflushed;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      // With commits waiting for a flush, never wait for work: a batch
      // waiting now carries the flush, and none means flush at once.
      if (unflushed.empty()) {
        work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      }
      batch.assign(queue_.begin(), queue_.end());
      queue_.clear();
    }
    if (batch.empty()) {
      // Stop only once the queue is drained and flushed: every submitted
      // write commits.
      if (unflushed.empty()) return;
      FlushAndFinish(unflushed);
      continue;
    }
    bool flushed = false;
    CommitBatch(batch, flushed);
    if (flushed) {
      // This commit's flush put every earlier meta page on disk; its own
      // waits for the next flush.
      Finish(unflushed);
      unflushed.swap(batch);
      continue;
    }
    // The batch stored nothing (every write in it refused, or the commit
    // failed): nothing of it waits for a flush, and a stream of such
    // batches must not keep earlier writes waiting: flush for them now.
    if (!unflushed.empty()) FlushAndFinish(unflushed);
    Finish(batch);
  }
}

void GroupCommitter::FlushAndFinish(std::vector<Pending*>& committed) {
  if (Status synced = env_.Sync(); !synced.ok()) {
    LogError("flushing committed writes to disk failed: " + synced.message());
    for (Pending* pending : committed) {
      // A rejected operation stored nothing either way.
      if (!pending->result.ok()) continue;
      pending->result = {StatusCode::kUnavailable,
                         "the write was committed but flushing it to disk failed (" +
                             synced.message() + "): it may or may not be stored"};
    }
  }
  Finish(committed);
}

void GroupCommitter::Finish(std::vector<Pending*>& batch) {
  // Callbacks first, outside the mutex: they reply to clients, and a
  // Submit() from inside one must not deadlock.
  bool waiters = false;
  for (Pending*& pending : batch) {
    if (pending->on_done) {
      // Callbacks must not throw; one that does is logged, and the rest of
      // the batch still gets its results.
      try {
        pending->on_done(std::move(pending->result));
      } catch (const std::exception& e) {
        LogError(std::string("a write's completion failed: ") + e.what());
      }
      delete std::exchange(pending, nullptr);
    } else {
      waiters = true;
    }
  }
  if (waiters) {
    std::lock_guard lock(mutex_);
    for (Pending* pending : batch) {
      if (pending != nullptr) pending->done = true;
    }
  }
  batch.clear();
  if (waiters) work_done_.notify_all();
}

bool GroupCommitter::CommitBatch(const std::vector<Pending*>& batch, bool& flushed) {
  const auto start = std::chrono::steady_clock::now();
  bool map_full = false;
  Status failure = TryBatch(batch, map_full, flushed);
  // A full map is grown and the whole batch retried; Grow() fails once the
  // map is at its maximum, which ends the loop. A full disk is not retried:
  // a larger map would not help.
  while (map_full) {
    if (Status grown = env_.Grow(); !grown.ok()) {
      failure = grown;
      break;
    }
    failure = TryBatch(batch, map_full, flushed);
  }
  if (metrics_ != nullptr) {
    RecordBatch(*metrics_, batch.size(),
                std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - start),
                failure.ok());
  }
  if (!failure.ok()) {
    LogError("write batch of " + std::to_string(batch.size()) + " failed: " + failure.message());
    for (Pending* pending : batch) pending->result = failure;
    return false;
  }
  std::lock_guard lock(mutex_);
  ++batches_committed_;
  return true;
}

Status GroupCommitter::TryBatch(const std::vector<Pending*>& batch, bool& map_full, bool& flushed) {
  map_full = false;
  flushed = false;
  auto txn = env_.Begin(true);
  if (!txn.ok()) return txn.status();
  for (Pending* pending : batch) {
    try {
      pending->result = pending->operation(*txn);
    } catch (const std::exception& e) {
      // Operations are written not to throw; one that does (bad_alloc) may
      // have changed the transaction halfway, so the whole batch fails.
      return Internal(std::string("write operation threw: ") + e.what());
    }
    if (!txn->failure().ok()) {
      map_full = txn->map_full();
      return txn->failure();
    }
  }
  Status committed = txn->Commit();
  map_full = txn->map_full();
  // LMDB flushes the file (mdb_env_sync) before it writes a commit's meta
  // page, and a commit that changed nothing writes nothing. A failed commit
  // may have failed before its flush.
  flushed = committed.ok() && txn->changed();
  return committed;
}

}  // namespace fieldpost
