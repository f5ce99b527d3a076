#include "storage/postgres/connection_pool.h"

namespace fieldpost {

ConnectionPool::ConnectionPool(std::string uri, std::vector<PgConnection::Statement> statements,
                               unsigned size)
    : uri_(std::move(uri)), statements_(std::move(statements)), size_(size) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->GiveBack(std::move(connection_));
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire(std::chrono::milliseconds wait) {
  {
    std::unique_lock lock(mutex_);
    const bool free = freed_.wait_for(
        lock, wait, [&] { return !idle_.empty() || idle_.size() + lent_or_connecting_ < size_; });
    if (!free) {
      return Unavailable("all " + std::to_string(size_) + " database connections are busy");
    }
    ++lent_or_connecting_;
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(connection));
    }
  }
  // Connecting takes a round trip or a timeout: not under the lock.
  auto connection = Connect();
  if (!connection.ok()) {
    std::lock_guard lock(mutex_);
    --lent_or_connecting_;
    freed_.notify_one();
    return connection.status();
  }
  return Lease(this, std::move(connection).value());
}

Result<std::unique_ptr<PgConnection>> ConnectionPool::Connect() {
  return PgConnection::Connect(uri_, statements_);
}

void ConnectionPool::GiveBack(std::unique_ptr<PgConnection> connection) {
  // A connection left inside a transaction or broken is not reused.
  if (!connection->healthy() || connection->in_transaction()) connection.reset();
  std::lock_guard lock(mutex_);
  --lent_or_connecting_;
  if (connection) idle_.push_back(std::move(connection));
  freed_.notify_one();
}

}  // namespace fieldpost
