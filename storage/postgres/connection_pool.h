// A process's connections to the database, at most `size`, made when first
// needed. A request borrows one (Lease) and gives it back; a connection
// that broke is dropped, so the next borrower connects afresh: when the
// database returns (or a standby is promoted behind a multi-host URI),
// service resumes on its own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/postgres/pg_connection.h"

namespace fieldpost {

class ConnectionPool {
 public:
  ConnectionPool(std::string uri, std::vector<PgConnection::Statement> statements, unsigned size);

  // A borrowed connection, given back when destroyed.
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<PgConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease();
    PgConnection& operator*() { return *connection_; }
    PgConnection* operator->() { return connection_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<PgConnection> connection_;
  };

  // A connection, once one is free (waiting at most `wait`); Unavailable
  // when none frees up or the database cannot be reached.
  Result<Lease> Acquire(std::chrono::milliseconds wait = std::chrono::seconds(10));

  // A connection of its own, outside the pool's count (the writer's).
  Result<std::unique_ptr<PgConnection>> Connect();

  const std::string& uri() const { return uri_; }

 private:
  void GiveBack(std::unique_ptr<PgConnection> connection);

  const std::string uri_;
  const std::vector<PgConnection::Statement> statements_;
  const unsigned size_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  unsigned lent_or_connecting_ = 0;
};

}  // namespace fieldpost
