// What /metrics counts: requests by route and status, write batches by
// size, and commit latency. The counters are lock-free atomics in one
// plain struct, so that every process serving a data directory can add to
// the same mapped copy (storage/lmdb/shared_metrics.h) and a scrape of any of
// them shows the directory's totals. Recording is a few relaxed atomic adds.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

namespace fieldpost {

// The statuses counted one by one; any other is counted as "other".
inline constexpr std::array<int, 21> kCountedStatuses = {200, 201, 202, 204, 301, 302, 304,
                                                         400, 401, 403, 404, 405, 409, 411,
                                                         413, 414, 415, 429, 500, 503, 507};
// Upper bounds of the histograms' buckets; a last bucket takes the rest.
inline constexpr std::array<std::uint64_t, 10> kBatchSizeBounds = {1,  2,  4,   8,   16,
                                                                   32, 64, 128, 256, 1024};
inline constexpr std::array<std::uint64_t, 12> kCommitMicrosBounds = {
    250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 250000, 500000, 1000000};

struct MetricsCounters {
  // Route slots: the router's routes, then one for requests no route took.
  static constexpr std::size_t kRouteSlots = 64;
  static constexpr std::size_t kStatusSlots = kCountedStatuses.size() + 1;

  std::atomic<std::uint64_t> requests[kRouteSlots][kStatusSlots];
  std::atomic<std::uint64_t> batches;
  std::atomic<std::uint64_t> batch_failures;
  std::atomic<std::uint64_t> batch_operations;
  std::atomic<std::uint64_t> batch_size_buckets[kBatchSizeBounds.size() + 1];
  std::atomic<std::uint64_t> commit_micros_sum;
  std::atomic<std::uint64_t> commit_micros_buckets[kCommitMicrosBounds.size() + 1];
};
// Shared between processes: no locks inside, and all zeros is a valid start.
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
static_assert(std::is_standard_layout_v<MetricsCounters>);

// A fingerprint of the layout and of the route names: processes whose
// counters mean the same share them (storage/lmdb/shared_metrics.h names the
// file after it), others keep theirs apart.
std::uint64_t MetricsLayout(std::span<const std::string_view> routes);

void RecordRequest(MetricsCounters& counters, std::size_t route, int status);
// One committed batch of `operations` writes (or a failed one).
void RecordBatch(MetricsCounters& counters, std::size_t operations,
                 std::chrono::microseconds duration, bool committed);

}  // namespace fieldpost
