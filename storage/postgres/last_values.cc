#include "storage/postgres/last_values.h"

namespace fieldpost {
namespace {

// Channels kept at most (a few MB of values at worst); beyond, all are
// dropped and kept again as they are read.
constexpr std::size_t kMaxChannels = 4096;

}  // namespace

std::optional<std::optional<Entry>> LastValues::Find(ChannelId channel, int field, bool* read_again,
                                                     Clock::time_point now) {
  *read_again = false;
  std::lock_guard lock(mutex_);
  const auto slot = slots_.find(channel);
  if (slot == slots_.end()) return std::nullopt;
  std::optional<Kept>& kept = slot->second.values[field];
  if (!kept) return std::nullopt;
  if (siblings_ != nullptr && siblings_->Read(channel) != kept->writes) return std::nullopt;
  const auto age = now - kept->at;
  if (age >= kLastValueLongest) return std::nullopt;
  // Past its lifetime but never dropped: read again once, while readers go
  // on being answered with it, not waiting on the database.
  if (age >= kLastValueLifetime && !kept->reading_again) {
    kept->reading_again = true;
    *read_again = true;
  }
  return kept->value;
}

LastValues::Ticket LastValues::Take(ChannelId channel) {
  // The write count first: a sibling's write counted after it is seen by
  // Find; one counted before committed before, so the read sees it.
  const std::uint64_t writes = siblings_ != nullptr ? siblings_->Read(channel) : 0;
  std::lock_guard lock(mutex_);
  return {drops_, writes};
}

void LastValues::Put(ChannelId channel, int field, const std::optional<Entry>& value, Ticket ticket,
                     Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (!enabled_ || ticket.drops < floor_) return;
  auto slot = slots_.find(channel);
  if (slot == slots_.end()) {
    if (slots_.size() >= kMaxChannels) {
      // Forgetting a channel forgets when it was dropped: refuse every
      // read that began before.
      slots_.clear();
      floor_ = ++drops_;
      return;
    }
    slot = slots_.emplace(channel, Slot()).first;
  }
  if (slot->second.dropped_at > ticket.drops) return;
  slot->second.values[field] = Kept{now, ticket.writes, value};
}

void LastValues::Wrote(ChannelId channel) {
  if (siblings_ != nullptr) siblings_->Count(channel);
  Drop(channel);
}

void LastValues::Drop(ChannelId channel) {
  std::lock_guard lock(mutex_);
  ++drops_;
  const auto slot = slots_.find(channel);
  if (slot != slots_.end()) {
    slot->second.values = {};
    slot->second.dropped_at = drops_;
    return;
  }
  // A read of it may be under way: remember the drop.
  if (slots_.size() < kMaxChannels) {
    slots_[channel].dropped_at = drops_;
  } else {
    slots_.clear();
    floor_ = drops_;
  }
}

void LastValues::DropAll() {
  std::lock_guard lock(mutex_);
  slots_.clear();
  floor_ = ++drops_;
  enabled_ = false;
}

void LastValues::Enable() {
  std::lock_guard lock(mutex_);
  enabled_ = true;
}

}  // namespace fieldpost
