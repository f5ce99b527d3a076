#include "storage/prune_expired.h"

#include <string>

#include "core/log.h"

namespace fieldpost {

Result<std::size_t> PruneExpiredChannels(AdminStore& store, const std::vector<Channel>& channels,
                                         std::uint32_t default_retention_days, Timestamp now) {
  std::size_t total = 0;
  for (const Channel& channel : channels) {
    const std::uint32_t days =
        channel.retention_days != 0 ? channel.retention_days : default_retention_days;
    if (days == 0) continue;
    auto pruned = store.PruneChannel(channel.id, now - std::chrono::days(days));
    // A channel deleted meanwhile has nothing left to prune.
    if (!pruned.ok() && pruned.status().code() == StatusCode::kNotFound) continue;
    if (!pruned.ok()) return pruned.status();
    if (*pruned > 0) {
      LogInfo("channel " + std::to_string(channel.id) + ": pruned " + std::to_string(*pruned) +
              (*pruned == 1 ? " entry" : " entries") + " older than " + std::to_string(days) +
              (days == 1 ? " day" : " days"));
    }
    total += *pruned;
  }
  return total;
}

}  // namespace fieldpost
