// Channel records (settings and keys, not the entries' counters) kept in
// the process, so that a read of a channel's last value is one query, not
// two. Kept right by PostgreSQL's notifications: every change of a
// channel's settings, keys or owner, and its deletion, notifies
// `fieldpost_channel_changes` (migration 0002's trigger) at commit, and a
// listener thread on a connection of its own drops that channel here. A
// change made through this process is dropped at once; one made elsewhere
// is seen once its notification arrives, within a millisecond or so. While
// the listener is not connected (at start, the database away) nothing is
// cached, and all of it is dropped whenever it reconnects, so no
// notification missed meanwhile can leave a stale record.
//
// The same listener keeps the channels' last values (last_values.h) right:
// it hears `fieldpost_entry_changes` (migration 0003) too.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "core/model.h"
#include "storage/postgres/last_values.h"

namespace fieldpost {

class ChannelCache {
 public:
  // Starts the listener on `uri`.
  explicit ChannelCache(std::string uri);
  ~ChannelCache();
  ChannelCache(const ChannelCache&) = delete;
  ChannelCache& operator=(const ChannelCache&) = delete;

  // The record if cached.
  std::optional<Channel> Find(ChannelId id);
  // What Put needs: taken before the query whose result it keeps.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Keeps a record read from the database, unless a change was heard of
  // since `generation` (the record may predate it) or nothing is heard.
  void Put(const Channel& record, std::uint64_t generation);
  // Drops a channel this process changed, at once (its last values too).
  void Drop(ChannelId id);
  // The channels' last values, kept while the listener listens.
  LastValues& last_values() { return last_values_; }

 private:
  void DropAll();
  // Drops what notification `name` with payload `ids` names.
  void Heard(std::string_view name, std::string_view ids);
  void Listen();

  const std::string uri_;
  std::mutex mutex_;
  std::unordered_map<ChannelId, Channel> records_;
  LastValues last_values_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> listening_{false};
  std::atomic<bool> stopping_{false};
  int wake_fd_ = -1;      // an eventfd that ends the listener's wait
  std::thread listener_;  // last: starts once the rest is ready
};

}  // namespace fieldpost
