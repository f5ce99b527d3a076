// Reads of many requests on few connections: the servers' request threads
// hand their queries to a reader thread, which sends every query waiting
// as one pipeline (each with its own sync point, so one query's error
// stays its own) and hands each result back. PostgreSQL then answers a
// pipeline of queries per wake-up instead of one query per round trip: on
// a busy server most of a read's cost was the two processes waking each
// other for every query.
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/postgres/connection_pool.h"

namespace fieldpost {

class ReadPipeline {
 public:
  // `readers` threads, each with a connection of its own from `pool`.
  ReadPipeline(ConnectionPool& pool, unsigned readers);
  ~ReadPipeline();
  ReadPipeline(const ReadPipeline&) = delete;
  ReadPipeline& operator=(const ReadPipeline&) = delete;

  // Runs the prepared `statement` and waits for its result.
  Result<PgResult> Run(const char* statement, const PgParams& params);

 private:
  struct Query {
    const char* statement;
    const PgParams* params;
    std::promise<Result<PgResult>> result;
  };

  void Read();
  // Sends `queries` and answers each; false when the connection failed.
  void RunBatch(std::unique_ptr<PgConnection>& connection, std::vector<Query*>& queries);

  ConnectionPool& pool_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Query*> waiting_;
  bool stopping_ = false;
  std::vector<std::thread> readers_;  // last: start once the rest is ready
};

}  // namespace fieldpost
