#include "storage/postgres/channel_cache.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <memory>

#include "core/log.h"
#include "storage/postgres/pg_connection.h"

namespace fieldpost {
namespace {

constexpr const char* kChannelChanges = "fieldpost_channel_changes";
constexpr const char* kEntryChanges = "fieldpost_entry_changes";
// Between two attempts to reconnect the listener.
constexpr int kRetryMillis = 1000;

}  // namespace

ChannelCache::ChannelCache(std::string uri)
    : uri_(std::move(uri)),
      last_values_(WriteCounters::Inherited()),
      wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      listener_([this] { Listen(); }) {}

ChannelCache::~ChannelCache() {
  stopping_ = true;
  const std::uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!write(wake_fd_, &one, sizeof one);
  if (listener_.joinable()) listener_.join();
  if (wake_fd_ >= 0) close(wake_fd_);
}

std::optional<Channel> ChannelCache::Find(ChannelId id) {
  if (!listening_.load(std::memory_order_acquire)) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto found = records_.find(id);
  if (found == records_.end()) return std::nullopt;
  return found->second;
}

void ChannelCache::Put(const Channel& record, std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  // Under the lock, so that a drop cannot come between the check and the
  // insertion.
  if (!listening_.load(std::memory_order_acquire) ||
      generation_.load(std::memory_order_acquire) != generation) {
    return;
  }
  records_.insert_or_assign(record.id, record);
}

void ChannelCache::Drop(ChannelId id) {
  {
    std::lock_guard lock(mutex_);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    records_.erase(id);
  }
  last_values_.Drop(id);
}

void ChannelCache::DropAll() {
  {
    std::lock_guard lock(mutex_);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    records_.clear();
  }
  last_values_.DropAll();
}

void ChannelCache::Heard(std::string_view name, std::string_view ids) {
  // Space-separated channel ids.
  const bool entries_only = name == kEntryChanges;
  for (const char* at = ids.data(); at < ids.data() + ids.size();) {
    ChannelId id = 0;
    const auto [end, error] = std::from_chars(at, ids.data() + ids.size(), id);
    if (error == std::errc()) {
      if (entries_only) {
        last_values_.Drop(id);
      } else {
        Drop(id);
      }
    }
    at = end + 1;
  }
}

void ChannelCache::Listen() {
  bool said_lost = false;
  while (!stopping_) {
    std::unique_ptr<PgConnection> connection;
    auto connected = PgConnection::Connect(uri_, {});
    if (connected.ok()) {
      connection = std::move(connected).value();
      if (!connection
               ->ExecScript(std::string("LISTEN ") + kChannelChanges + "; LISTEN " + kEntryChanges)
               .ok()) {
        connection.reset();
      }
    }
    if (connection != nullptr) {
      // Whatever changed while nobody listened is unknown: start empty.
      DropAll();
      listening_ = true;
      last_values_.Enable();
      if (said_lost) LogInfo("channel cache: listening for changes again");
      said_lost = false;
      PGconn* raw = connection->raw();
      while (!stopping_) {
        pollfd waits[2] = {{PQsocket(raw), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
        if (poll(waits, 2, -1) < 0) continue;  // EINTR
        if (stopping_) break;
        if (PQconsumeInput(raw) != 1) break;  // the connection is gone
        while (PGnotify* notify = PQnotifies(raw)) {
          Heard(notify->relname, notify->extra);
          PQfreemem(notify);
        }
      }
      listening_ = false;
      DropAll();
    }
    if (stopping_) break;
    if (!said_lost) {
      LogWarning(
          "channel cache: not listening for changes (the database is unreachable); "
          "reading channels from the database until it is back");
      said_lost = true;
    }
    pollfd wait{wake_fd_, POLLIN, 0};
    poll(&wait, 1, kRetryMillis);
  }
}

}  // namespace fieldpost
