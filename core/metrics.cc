#include "core/metrics.h"

#include <algorithm>
#include <string>

namespace fieldpost {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

template <std::size_t N>
std::size_t Bucket(const std::array<std::uint64_t, N>& bounds, std::uint64_t value) {
  return static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), value) -
                                  bounds.begin());
}

// FNV-1a: small, and stable across builds and processes.
void Mix(std::uint64_t& hash, std::string_view bytes) {
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211u;
  hash = (hash ^ 0xFF) * 1099511628211u;
}

}  // namespace

std::uint64_t MetricsLayout(std::span<const std::string_view> routes) {
  std::uint64_t hash = 14695981039346656037u;
  // 2: the file begins with a header (storage/lmdb/shared_metrics.cc).
  Mix(hash, "fieldpost metrics 2");
  for (std::string_view route : routes) Mix(hash, route);
  for (int status : kCountedStatuses) Mix(hash, std::to_string(status));
  for (auto bound : kBatchSizeBounds) Mix(hash, std::to_string(bound));
  for (auto bound : kCommitMicrosBounds) Mix(hash, std::to_string(bound));
  Mix(hash, std::to_string(sizeof(MetricsCounters)));
  return hash;
}

void RecordRequest(MetricsCounters& counters, std::size_t route, int status) {
  const auto counted = std::find(kCountedStatuses.begin(), kCountedStatuses.end(), status);
  const auto slot = static_cast<std::size_t>(counted - kCountedStatuses.begin());
  counters.requests[std::min(route, MetricsCounters::kRouteSlots - 1)][slot].fetch_add(1, kRelaxed);
}

void RecordBatch(MetricsCounters& counters, std::size_t operations,
                 std::chrono::microseconds duration, bool committed) {
  if (!committed) {
    counters.batch_failures.fetch_add(1, kRelaxed);
    return;
  }
  counters.batches.fetch_add(1, kRelaxed);
  counters.batch_operations.fetch_add(operations, kRelaxed);
  counters.batch_size_buckets[Bucket(kBatchSizeBounds, operations)].fetch_add(1, kRelaxed);
  const auto micros = static_cast<std::uint64_t>(std::max<std::int64_t>(duration.count(), 0));
  counters.commit_micros_sum.fetch_add(micros, kRelaxed);
  counters.commit_micros_buckets[Bucket(kCommitMicrosBounds, micros)].fetch_add(1, kRelaxed);
}

}  // namespace fieldpost
