// The /metrics counters of a data directory, shared by every process that
// serves it: a small file in the directory (metrics-LAYOUT, LAYOUT the
// counters' fingerprint) mapped into each, so their adds land in one place.
// The counters outlive restarts, as Prometheus counters may; deleting the
// file (with the servers stopped) starts them again from zero.
//
// No state of that file stops a server. The file is written whole (a
// header, then zeros) under another name and linked into place, so it never
// has holes a full disk could not fill. A file that cannot be made, read or
// mapped, or that is short or not ours, leaves the process counting on its
// own. One truncated while mapped turns into this process's own zeroed
// counters at the next touch (storage/lmdb/mapping_fault_guard.h), logged once.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/metrics.h"
#include "core/status.h"

namespace fieldpost {

class MappingFaultGuard;

class SharedMetrics {
 public:
  // Maps (creating if needed) the counters for `layout` in `data_dir`; an
  // error says why they cannot be shared.
  static Result<std::unique_ptr<SharedMetrics>> Open(const std::string& data_dir,
                                                     std::uint64_t layout);
  // Counters of this process alone.
  static std::unique_ptr<SharedMetrics> Private();
  ~SharedMetrics();
  SharedMetrics(const SharedMetrics&) = delete;
  SharedMetrics& operator=(const SharedMetrics&) = delete;

  // The counters, at an address that stays valid for this object's life.
  MetricsCounters& counters() {
    if (guard_ != nullptr && !fault_logged_.load(std::memory_order_relaxed)) LogFault();
    return *counters_;
  }
  // True while the counters are the shared file's.
  bool shared() const;

 private:
  SharedMetrics(void* mapping, std::string path);
  SharedMetrics();
  void LogFault();

  void* mapping_ = nullptr;  // the file's header and counters, or null
  MetricsCounters* counters_;
  std::unique_ptr<MetricsCounters> own_;  // when not mapped
  std::unique_ptr<MappingFaultGuard> guard_;
  std::atomic<bool> fault_logged_{false};
  std::string path_;
};

}  // namespace fieldpost
