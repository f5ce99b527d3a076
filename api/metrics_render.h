// The /metrics page in Prometheus's text exposition format (version 0.0.4).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/metrics.h"
#include "core/store.h"

namespace fieldpost {

inline constexpr const char* kPrometheusType = "text/plain; version=0.0.4; charset=utf-8";

// `routes` labels the counters' route slots (api/router.h's RouteLabels());
// slots with one label are added together, and series still at zero are
// left out.
std::string RenderMetrics(const MetricsCounters& counters, std::span<const std::string_view> routes,
                          const StoreStats& stats);

}  // namespace fieldpost
