#include "storage/postgres/read_pipeline.h"

namespace fieldpost {
namespace {

// A pipeline carries at most this many queries, so that the first of a
// long queue is answered soon.
constexpr std::size_t kMaxBatch = 64;

}  // namespace

ReadPipeline::ReadPipeline(ConnectionPool& pool, unsigned readers) : pool_(pool) {
  for (unsigned i = 0; i < readers; ++i) readers_.emplace_back([this] { Read(); });
}

ReadPipeline::~ReadPipeline() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& reader : readers_) reader.join();
}

Result<PgResult> ReadPipeline::Run(const char* statement, const PgParams& params) {
  Query query{statement, &params, {}};
  std::future<Result<PgResult>> result = query.result.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Unavailable("the server is shutting down");
    waiting_.push_back(&query);
  }
  ready_.notify_one();
  return result.get();
}

void ReadPipeline::Read() {
  std::unique_ptr<PgConnection> connection;
  std::unique_lock lock(mutex_);
  while (true) {
    ready_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
    if (waiting_.empty()) return;  // stopping, every query answered
    std::vector<Query*> batch;
    while (!waiting_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(waiting_.front());
      waiting_.pop_front();
    }
    lock.unlock();
    RunBatch(connection, batch);
    lock.lock();
  }
}

void ReadPipeline::RunBatch(std::unique_ptr<PgConnection>& connection,
                            std::vector<Query*>& queries) {
  const auto fail_all = [&](std::size_t from, const Status& status) {
    for (std::size_t i = from; i < queries.size(); ++i) queries[i]->result.set_value(status);
  };
  if (connection == nullptr || !connection->healthy()) {
    connection.reset();
    auto connected = pool_.Connect();
    if (!connected.ok()) return fail_all(0, connected.status());
    connection = std::move(connected).value();
  }
  Status sent = connection->EnterPipeline();
  for (std::size_t i = 0; i < queries.size() && sent.ok(); ++i) {
    sent = connection->SendPrepared(queries[i]->statement, *queries[i]->params);
    if (sent.ok()) sent = connection->Sync();
  }
  if (!sent.ok()) {
    connection.reset();
    return fail_all(0, sent);
  }
  for (std::size_t i = 0; i < queries.size(); ++i) {
    auto result = connection->NextResult();
    // Its sync point: a read that failed (an SQL error) leaves the others
    // alone.
    auto sync = result.ok() || result.status().code() != StatusCode::kUnavailable
                    ? connection->NextResult()
                    : Result<PgResult>(result.status());
    if (!sync.ok() && sync.status().code() == StatusCode::kUnavailable) {
      connection.reset();
      queries[i]->result.set_value(result.ok() ? Result<PgResult>(sync.status())
                                               : std::move(result));
      return fail_all(i + 1, sync.status());
    }
    queries[i]->result.set_value(std::move(result));
  }
  if (Status left = connection->LeavePipeline(); !left.ok()) connection.reset();
}

}  // namespace fieldpost
