// The /metrics counters of a data directory, shared by every process that
// serves it: a small file in the directory (metrics-LAYOUT, LAYOUT the
// counters' fingerprint) mapped into each, so their adds land in one place.
// The counters outlive restarts, as Prometheus counters may; deleting the
// file (with the servers stopped) starts them again from zero. A file
// that cannot be made or mapped leaves the process counting on its own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "api/metrics.h"
#include "api/status.h"

namespace fieldpost {

class SharedMetrics {
 public:
  // Maps (creating if needed) the counters for `layout` in `data_dir`.
  static Result<std::unique_ptr<SharedMetrics>> Open(const std::string& data_dir,
                                                     std::uint64_t layout);
  // Counters of this process alone.
  static std::unique_ptr<SharedMetrics> Private();
  ~SharedMetrics();
  SharedMetrics(const SharedMetrics&) = delete;
  SharedMetrics& operator=(const SharedMetrics&) = delete;

  MetricsCounters& counters() { return *counters_; }

 private:
  SharedMetrics(MetricsCounters* counters, bool mapped) : counters_(counters), mapped_(mapped) {}

  MetricsCounters* counters_;
  bool mapped_;  // else allocated
};

}  // namespace fieldpost
