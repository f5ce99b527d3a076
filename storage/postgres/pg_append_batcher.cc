#include "storage/postgres/pg_append_batcher.h"

#include <chrono>

#include "core/log.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_statements.h"
#include "storage/random_key.h"

namespace fieldpost {
namespace {

// fieldpost_append's rejection codes are StatusCode values.
Status Rejection(std::int64_t code, std::string message) {
  return {static_cast<StatusCode>(code), std::move(message)};
}

// The batch's outcome is unknown once COMMIT may have reached the server.
constexpr const char* kCommitUnknown =
    "the database connection was lost during the commit: this write may or may not be stored";

}  // namespace

PgAppendBatcher::PgAppendBatcher(ConnectionPool& pool, MetricsCounters* metrics,
                                 LastValues* last_values)
    : pool_(pool),
      metrics_(metrics),
      last_values_(last_values),
      writer_([this] { WriterLoop(); }) {}

PgAppendBatcher::~PgAppendBatcher() { Stop(); }

void PgAppendBatcher::Submit(EntryWrite write, Store::AppendDone done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(write), std::move(done)});
      work_ready_.notify_one();
      return;
    }
  }
  done(Unavailable("the server is shutting down"));
}

void PgAppendBatcher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    work_ready_.notify_one();
  }
  if (writer_.joinable()) writer_.join();
}

void PgAppendBatcher::WriterLoop() {
  std::unique_lock lock(mutex_);
  while (true) {
    const auto ready = [&] { return stopping_ || !queue_.empty(); };
    if (unannounced_.empty()) {
      work_ready_.wait(lock, ready);
    } else if (!work_ready_.wait_until(lock, last_announced_ + kAnnounceInterval, ready)) {
      lock.unlock();
      Announce();
      lock.lock();
      continue;
    }
    if (queue_.empty()) {  // stopping, with everything committed
      lock.unlock();
      if (!unannounced_.empty()) Announce();
      return;
    }
    std::vector<Pending> batch(std::make_move_iterator(queue_.begin()),
                               std::make_move_iterator(queue_.end()));
    queue_.clear();
    lock.unlock();
    CommitBatch(batch);
    lock.lock();
  }
}

void PgAppendBatcher::CommitBatch(std::vector<Pending>& batch) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<Result<Entry>> results;
  Status failure = TryBatch(batch, results);
  if (!failure.ok() && failure.code() == StatusCode::kInternal && batch.size() > 1) {
    // An SQL error fails its whole transaction: one write's trouble (a
    // race two frontends lost) must not fail the others, so each goes
    // again on its own.
    for (Pending& pending : batch) {
      std::vector<Pending> alone;
      alone.push_back(std::move(pending));
      CommitBatch(alone);
    }
    return;
  }
  if (metrics_ != nullptr) {
    RecordBatch(*metrics_, batch.size(),
                std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - started),
                failure.ok());
  }
  if (!failure.ok()) {
    LogError("write batch of " + std::to_string(batch.size()) + " failed: " + failure.message());
  }
  // Readers in this process and its siblings see the writes from the
  // moment they are answered; other frontends once announced. (After a
  // failure nothing is known stored; a write whose outcome is unknown is
  // bounded by kLastValueLifetime.)
  if (failure.ok()) {
    for (const Result<Entry>& result : results) {
      if (!result.ok()) continue;
      if (last_values_ != nullptr) last_values_->Wrote(result->channel_id);
      unannounced_.insert(result->channel_id);
    }
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    batch[i].done(failure.ok() ? std::move(results[i]) : Result<Entry>(failure));
  }
  if (!unannounced_.empty() && AnnouncementDue()) Announce();
}

Status PgAppendBatcher::TryBatch(const std::vector<Pending>& batch,
                                 std::vector<Result<Entry>>& results) {
  if (connection_ == nullptr || !connection_->healthy()) {
    connection_.reset();
    auto connected = pool_.Connect();
    if (!connected.ok()) return connected.status();
    connection_ = std::move(connected).value();
  }
  PgConnection& connection = *connection_;
  std::vector<std::string> keys, stations;
  // Fresh keys for a station's channel, used only if its first reading is
  // here; drawn before anything is sent, so a failure leaves no pipeline
  // half-sent.
  std::vector<std::optional<std::string>> new_keys;
  for (const Pending& pending : batch) {
    keys.push_back(pending.write.api_key);
    stations.push_back(pending.write.station);
    for (int i = 0; i < 2; ++i) {
      if (pending.write.station.empty()) {
        new_keys.emplace_back();
        continue;
      }
      auto key = NewApiKey();
      if (!key.ok()) return key.status();
      new_keys.emplace_back(std::move(key).value());
    }
  }
  // Until COMMIT is queued, a failure leaves nothing stored.
  bool commit_sent = false;
  Status sent = connection.EnterPipeline();
  if (sent.ok()) sent = connection.Send("BEGIN");
  if (sent.ok())
    sent = connection.SendPrepared(pg::kLockChannels, PgParams().AddArray(keys).AddArray(stations));
  for (std::size_t w = 0; w < batch.size() && sent.ok(); ++w) {
    const EntryWrite& write = batch[w].write;
    PgParams params;
    params.Add(write.api_key).Add(write.station);
    if (write.created_at) {
      params.Add(TimeToSeconds(*write.created_at));
    } else {
      params.AddNull();
    }
    for (const auto& field : write.data.fields) params.Add(field);
    params.Add(write.data.latitude)
        .Add(write.data.longitude)
        .Add(write.data.elevation)
        .Add(write.data.status);
    params.Add(new_keys[2 * w]).Add(new_keys[2 * w + 1]);
    sent = connection.SendPrepared(pg::kAppend, params);
  }
  if (sent.ok()) {
    commit_sent = true;
    sent = connection.Send("COMMIT");
  }
  if (sent.ok()) sent = connection.Sync();
  if (!sent.ok()) {
    connection_.reset();
    if (commit_sent) {
      LogError(std::string(kCommitUnknown) + " (" + sent.message() + ")");
      return Unavailable(kCommitUnknown);
    }
    return sent;
  }

  // BEGIN, the lock, each write, COMMIT: read in the order sent. The first
  // SQL error makes the rest come back aborted.
  Status failure;
  results.clear();
  const auto read = [&]() -> Result<PgResult> {
    auto result = connection.NextResult();
    if (!result.ok() && failure.ok()) failure = result.status();
    return result;
  };
  (void)read();
  (void)read();
  for (const Pending& pending : batch) {
    auto row = read();
    if (!row.ok() || row->rows() != 1) {
      results.push_back(failure.ok() ? Internal("fieldpost_append returned no row") : failure);
      continue;
    }
    if (const std::int64_t code = row->Int(0, 0); code != 0) {
      results.push_back(Rejection(code, std::string(row->Text(0, 1))));
      continue;
    }
    Entry entry;
    entry.channel_id = static_cast<ChannelId>(row->Int(0, 2));
    entry.entry_id = static_cast<EntryId>(row->Int(0, 3));
    entry.created_at = SecondsToTime(row->Int(0, 4));
    entry.data = pending.write.data;
    results.push_back(std::move(entry));
  }
  (void)read();  // COMMIT
  if (failure.ok() || failure.code() != StatusCode::kUnavailable) {
    if (Status ended = connection.EndPipeline(); !ended.ok() && failure.ok()) failure = ended;
  }
  if (failure.code() == StatusCode::kUnavailable) {
    connection_.reset();
    LogError(std::string(kCommitUnknown) + " (" + failure.message() + ")");
    return Unavailable(kCommitUnknown);
  }
  if (!failure.ok()) {
    // Leave the failed transaction, so the connection serves the next batch.
    if (connection.in_transaction()) (void)connection.Exec("ROLLBACK");
    return failure;
  }
  return OkStatus();
}

bool PgAppendBatcher::AnnouncementDue() const {
  return std::chrono::steady_clock::now() - last_announced_ >= kAnnounceInterval;
}

void PgAppendBatcher::Announce() {
  std::vector<std::string> ids;
  for (const ChannelId id : unannounced_) ids.push_back(std::to_string(id));
  unannounced_.clear();
  last_announced_ = std::chrono::steady_clock::now();
  // Should it be lost, the other frontends' kept values are read again
  // within their lifetime anyway.
  if (connection_ == nullptr || !connection_->healthy()) return;
  auto announced = connection_->ExecPrepared(pg::kAnnounceEntries, PgParams().AddArray(ids));
  if (!announced.ok()) {
    LogWarning("writes committed but not announced: " + announced.status().message());
    if (!connection_->healthy()) connection_.reset();
  }
}

}  // namespace fieldpost
