#include "storage/postgres/last_value_refresher.h"

#include "storage/postgres/pg_snapshot.h"

namespace fieldpost {

LastValueRefresher::LastValueRefresher(ConnectionPool& pool, LastValues& values)
    : pool_(pool), values_(values), thread_([this] { Run(); }) {}

LastValueRefresher::~LastValueRefresher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  thread_.join();
}

void LastValueRefresher::ReadAgain(ChannelId channel, int field) {
  {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(channel, field);
  }
  queued_.notify_one();
}

void LastValueRefresher::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const auto [channel, field] = queue_.front();
    queue_.pop_front();
    lock.unlock();
    const LastValues::Ticket ticket = values_.Take(channel);
    // Not through the kept values: the database's answer.
    PgSnapshot snapshot(pool_);
    auto value =
        field == 0 ? snapshot.LastEntry(channel) : snapshot.LastEntryWithField(channel, field);
    // A failure leaves the old value to end at kLastValueLongest; readers
    // then read it themselves.
    if (value.ok()) values_.Put(channel, field, *value, ticket);
    lock.lock();
  }
}

}  // namespace fieldpost
