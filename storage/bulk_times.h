// The check every backend makes of a bulk write's times before it stores
// anything: no two entries of the request in one second.
#pragma once

#include <algorithm>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

// The request's times, sorted; InvalidArgument if two are the same.
inline Result<std::vector<Timestamp>> DistinctBulkTimes(const BulkWrite& write) {
  std::vector<Timestamp> times;
  times.reserve(write.entries.size());
  for (const BulkEntry& entry : write.entries) times.push_back(entry.created_at);
  std::sort(times.begin(), times.end());
  if (std::adjacent_find(times.begin(), times.end()) != times.end()) {
    return InvalidArgument("two updates have the same created_at");
  }
  return times;
}

// A write sooner than the channel's minimum write interval.
inline Status WriteIntervalRefusal(std::uint32_t interval_s) {
  return {StatusCode::kTooManyRequests,
          "the channel takes one write every " + std::to_string(interval_s) + " s"};
}

}  // namespace fieldpost
