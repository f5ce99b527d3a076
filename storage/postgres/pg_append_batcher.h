// Group commit on PostgreSQL: one writer thread per process takes every
// /update waiting and sends them as one pipelined transaction (BEGIN, lock
// the batch's channels in ascending id order, one fieldpost_append per
// write, COMMIT) in one round trip; each write is answered once COMMIT
// returned (synchronous_commit: on the primary's disk, and the standby's
// when synchronous_standby_names asks for it). While a batch commits, the
// next one gathers.
//
// The channels written are dropped from this process's last values before
// any write is answered, and announced to the other frontends once the
// writes are answered, by a statement of its own (migration 0003 says why
// not from inside the transaction): at once when the last announcement is
// at least kAnnounceInterval old, else once it is, so that under a heavy
// write load each frontend's listener is woken at most once an interval
// per frontend, not once a batch.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/metrics.h"
#include "core/store.h"
#include "storage/postgres/connection_pool.h"
#include "storage/postgres/last_values.h"

namespace fieldpost {

// The longest a write waits to be announced to other frontends.
inline constexpr std::chrono::milliseconds kAnnounceInterval{10};

class PgAppendBatcher {
 public:
  // `pool` (which gives the writer its own connection), `metrics` and
  // `last_values` (null: none) outlive the batcher. Starts the writer
  // thread.
  PgAppendBatcher(ConnectionPool& pool, MetricsCounters* metrics, LastValues* last_values);
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
  // Whether the last announcement is kAnnounceInterval old.
  bool AnnouncementDue() const;
  // Announces the channels written since the last announcement, in a
  // statement of its own.
  void Announce();

  ConnectionPool& pool_;
  MetricsCounters* const metrics_;
  LastValues* const last_values_;
  std::unique_ptr<PgConnection> connection_;  // the writer thread's
  // The writer thread's too: the channels written but not announced yet,
  // and when the last announcement went.
  std::set<ChannelId> unannounced_;
  std::chrono::steady_clock::time_point last_announced_{};
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::thread writer_;  // last: starts once the rest is ready
};

}  // namespace fieldpost
