// The retention pass both backends make (AdminStore::PruneExpired): each
// channel with a retention, its own or the default, pruned channel by
// channel through the store's PruneChannel, and logged.
#pragma once

#include <cstdint>
#include <vector>

#include "core/admin_store.h"

namespace fieldpost {

Result<std::size_t> PruneExpiredChannels(AdminStore& store, const std::vector<Channel>& channels,
                                         std::uint32_t default_retention_days, Timestamp now);

}  // namespace fieldpost
