#include "api/metrics_render.h"

#include <map>
#include <utility>

namespace fieldpost {
namespace {

std::uint64_t Load(const std::atomic<std::uint64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

void Help(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void Sample(std::string& out, std::string_view name, std::string_view labels, std::uint64_t value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(std::to_string(value)).append("\n");
}

// A histogram's cumulative buckets, then _sum and _count.
template <std::size_t N>
void Histogram(std::string& out, std::string_view name, const std::array<std::uint64_t, N>& bounds,
               const std::atomic<std::uint64_t> (&buckets)[N + 1],
               std::string (*bound_text)(std::uint64_t), std::string_view sum) {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= N; ++i) {
    total += Load(buckets[i]);
    const std::string le = i < N ? bound_text(bounds[i]) : "+Inf";
    Sample(out, std::string(name) + "_bucket", "le=\"" + le + "\"", total);
  }
  out.append(name).append("_sum ").append(sum).append("\n");
  Sample(out, std::string(name) + "_count", "", total);
}

std::string Whole(std::uint64_t value) { return std::to_string(value); }

// Microseconds as seconds, exactly: "0.00025".
std::string Seconds(std::uint64_t micros) {
  std::string fraction = std::to_string(micros % 1000000);
  fraction.insert(0, 6 - fraction.size(), '0');
  while (fraction.size() > 1 && fraction.back() == '0') fraction.pop_back();
  return std::to_string(micros / 1000000) + "." + fraction;
}

}  // namespace

std::string RenderMetrics(const MetricsCounters& counters, std::span<const std::string_view> routes,
                          const StoreStats& stats) {
  std::string out;
  Help(out, "fieldpost_requests_total", "counter",
       "Requests answered, by route and status, by every process on this data directory.");
  // Routes that share a path (GET and PUT /channels/:channel) add up.
  std::map<std::pair<std::string_view, std::string>, std::uint64_t> requests;
  for (std::size_t route = 0; route < routes.size() && route < MetricsCounters::kRouteSlots;
       ++route) {
    for (std::size_t slot = 0; slot < MetricsCounters::kStatusSlots; ++slot) {
      const std::uint64_t count = Load(counters.requests[route][slot]);
      if (count == 0) continue;
      const std::string status =
          slot < kCountedStatuses.size() ? std::to_string(kCountedStatuses[slot]) : "other";
      requests[{routes[route], status}] += count;
    }
  }
  for (const auto& [labels, count] : requests) {
    Sample(out, "fieldpost_requests_total",
           "route=\"" + std::string(labels.first) + "\",status=\"" + labels.second + "\"", count);
  }

  Help(out, "fieldpost_write_batches_total", "counter",
       "Write transactions committed (each carries every write queued meanwhile).");
  Sample(out, "fieldpost_write_batches_total", "", Load(counters.batches));
  Help(out, "fieldpost_write_batch_failures_total", "counter",
       "Write transactions that failed (their writes were answered with an error).");
  Sample(out, "fieldpost_write_batch_failures_total", "", Load(counters.batch_failures));
  Help(out, "fieldpost_write_batch_size", "histogram",
       "Writes (an update, a bulk update, a channel change) per committed transaction.");
  Histogram(out, "fieldpost_write_batch_size", kBatchSizeBounds, counters.batch_size_buckets, Whole,
            std::to_string(Load(counters.batch_operations)));
  Help(out, "fieldpost_commit_seconds", "histogram",
       "Time to apply and durably commit one write transaction.");
  Histogram(out, "fieldpost_commit_seconds", kCommitMicrosBounds, counters.commit_micros_buckets,
            Seconds, Seconds(Load(counters.commit_micros_sum)));

  Help(out, "fieldpost_channels", "gauge", "Channels stored.");
  Sample(out, "fieldpost_channels", "", stats.channels);
  Help(out, "fieldpost_entries", "gauge", "Entries stored, in all channels.");
  Sample(out, "fieldpost_entries", "", stats.entries);
  Help(out, "fieldpost_database_bytes", "gauge",
       "Size of the data file up to its last page in use.");
  Sample(out, "fieldpost_database_bytes", "", stats.database_bytes);
  Help(out, "fieldpost_map_bytes", "gauge",
       "Size of the memory map the data file may fill before the map grows.");
  Sample(out, "fieldpost_map_bytes", "", stats.map_bytes);
  return out;
}

}  // namespace fieldpost
