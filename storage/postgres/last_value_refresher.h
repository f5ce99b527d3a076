// Reads channels' last values again in the background once they pass
// their lifetime (last_values.h), so that no request waits on the database
// for a value that was never dropped: readers go on being answered with it
// meanwhile. One thread per process, on a pooled connection.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "storage/postgres/connection_pool.h"
#include "storage/postgres/last_values.h"

namespace fieldpost {

class LastValueRefresher {
 public:
  // `pool` and `values` outlive this. Starts the thread.
  LastValueRefresher(ConnectionPool& pool, LastValues& values);
  // Ends the thread; what is still queued is not read.
  ~LastValueRefresher();
  LastValueRefresher(const LastValueRefresher&) = delete;
  LastValueRefresher& operator=(const LastValueRefresher&) = delete;

  // Queues a read of `channel`'s value `field` (as LastValues::Find has
  // it), kept if it succeeds. Never waits on the database.
  void ReadAgain(ChannelId channel, int field);

 private:
  void Run();

  ConnectionPool& pool_;
  LastValues& values_;
  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::pair<ChannelId, int>> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace fieldpost
