// Group commit: one writer thread per process owns write transactions. A
// caller submits an operation, and either blocks (Run) or is called back
// (Submit); the writer takes every operation waiting, applies them in one
// transaction, commits durably, then gives each caller its own result.
// While it commits, new operations queue up and form the next batch, so the
// batch size follows the load without a timer, and with Submit it is not
// bounded by how many threads the callers have.
//
// A durable LMDB commit flushes the file twice in turn: the batch's pages,
// then the meta page that makes them current. The writer commits with the
// second flush deferred (LmdbEnv::DeferMetaSync) and answers the batch only
// once a later flush has put its meta page on disk: the next batch's commit
// flushes the file before anything else, so under load every batch costs
// one flush, not two. When no next batch is waiting, or the next stores
// nothing (its writes all refused) and so flushes nothing, the writer
// flushes at once (LmdbEnv::Sync) rather than keep anyone waiting. No
// write is answered before it is on disk.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/metrics.h"
#include "core/status.h"
#include "storage/lmdb/lmdb_env.h"
#include "storage/lmdb/lmdb_txn.h"

namespace fieldpost {

class GroupCommitter {
 public:
  // An operation applied inside the batch's transaction. A non-OK result
  // rejects only this operation and must leave the transaction unchanged;
  // an LMDB failure (LmdbTxn::failure()) fails the whole batch.
  using Operation = std::function<Status(LmdbTxn&)>;

  // `env` (and `metrics`, which each batch is counted in unless null) must
  // outlive the committer. Starts the writer thread.
  explicit GroupCommitter(LmdbEnv& env, MetricsCounters* metrics = nullptr);
  // Stop()s.
  ~GroupCommitter();

  // Called with the operation's outcome; must not throw.
  using Done = std::function<void(Status)>;

  // Thread-safe. Returns once the operation is durably committed (its own
  // Status), rejected, or its batch failed. After Stop(): kUnavailable.
  Status Run(Operation operation);

  // Thread-safe. Queues the operation and returns; `done` gets what Run
  // would return, on the writer thread once the batch is on disk (after
  // Stop(): at once, on this thread).
  void Submit(Operation operation, Done done);

  // Commits everything already submitted, then ends the writer thread.
  void Stop();

  // Batches committed so far (for tests and benchmarks).
  std::uint64_t batches_committed() const;

 private:
  struct Pending {
    Operation operation;
    Done on_done;  // Submit()'s; empty for Run(), whose caller waits
    Status result;
    bool done = false;
  };

  void WriterLoop();
  // Tells each operation of a finished batch its result, and empties it.
  void Finish(std::vector<Pending*>& batch);
  // Flushes the file and finishes `committed`, whose meta pages wait for it;
  // if the flush fails, what they stored may or may not be on disk.
  void FlushAndFinish(std::vector<Pending*>& committed);
  // Applies and commits `batch`, growing the map and retrying when full.
  // Returns whether it committed (else each operation holds the failure);
  // `flushed` tells whether the commit flushed the file (it committed and
  // changed something), and so put every earlier commit's meta page on
  // disk.
  bool CommitBatch(const std::vector<Pending*>& batch, bool& flushed);
  // One attempt; returns the batch-level failure (OK if committed) and
  // whether it was a full map.
  Status TryBatch(const std::vector<Pending*>& batch, bool& map_full, bool& flushed);

  LmdbEnv& env_;
  MetricsCounters* const metrics_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  std::uint64_t batches_committed_ = 0;
  std::thread writer_;
};

}  // namespace fieldpost
