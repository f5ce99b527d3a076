// Group commit on PostgreSQL: one writer thread per process takes every
// /update waiting and sends them as one pipelined transaction (BEGIN, lock
// the batch's channels in ascending id order, one fieldpost_append per
// write, COMMIT) in one round trip; each write is answered once COMMIT
// returned (synchronous_commit: on the primary's disk, and the standby's
// when synchronous_standby_names asks for it). While a batch commits, the
// next one gathers.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/metrics.h"
#include "core/store.h"
#include "storage/postgres/connection_pool.h"

namespace fieldpost {

class PgAppendBatcher {
 public:
  // `pool` (which gives the writer its own connection) and `metrics`
  // (null: none) outlive the batcher. Starts the writer thread.
  PgAppendBatcher(ConnectionPool& pool, MetricsCounters* metrics);
  ~PgAppendBatcher();
  PgAppendBatcher(const PgAppendBatcher&) = delete;
  PgAppendBatcher& operator=(const PgAppendBatcher&) = delete;

  // `done` gets the stored entry or why not, on the writer thread (after
  // Stop(): at once, kUnavailable).
  void Submit(EntryWrite write, Store::AppendDone done);
  // Commits everything submitted, then ends the writer thread.
  void Stop();

 private:
  struct Pending {
    EntryWrite write;
    Store::AppendDone done;
  };

  void WriterLoop();
  // Commits `batch` and answers each write.
  void CommitBatch(std::vector<Pending>& batch);
  // One pipelined transaction; fills `results` (one per write). Returns a
  // batch-wide failure, after which `results` mean nothing.
  Status TryBatch(const std::vector<Pending>& batch, std::vector<Result<Entry>>& results);

  ConnectionPool& pool_;
  MetricsCounters* const metrics_;
  std::unique_ptr<PgConnection> connection_;  // the writer thread's
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::thread writer_;  // last: starts once the rest is ready
};

}  // namespace fieldpost
