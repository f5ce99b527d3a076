#include "api/metrics_render.h"

#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>
#include <vector>

namespace fieldpost {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

BOOST_AUTO_TEST_SUITE(metrics_render)

BOOST_AUTO_TEST_CASE(requests_add_up_by_route_label_and_zero_series_are_left_out) {
  auto counters = std::make_unique<MetricsCounters>();
  const std::vector<std::string_view> routes = {"/update", "/channels/:channel",
                                                "/channels/:channel", "none"};
  RecordRequest(*counters, 0, 200);
  RecordRequest(*counters, 0, 200);
  RecordRequest(*counters, 1, 200);  // GET and PUT of one path: one series
  RecordRequest(*counters, 2, 200);
  RecordRequest(*counters, 2, 418);  // not counted one by one
  RecordRequest(*counters, 3, 404);
  const std::string text = RenderMetrics(*counters, routes, StoreStats{2, 30, 4096, 65536});
  BOOST_TEST(Has(text, "fieldpost_requests_total{route=\"/update\",status=\"200\"} 2"), text);
  BOOST_TEST(Has(text, "fieldpost_requests_total{route=\"/channels/:channel\",status=\"200\"} 2"),
             text);
  BOOST_TEST(Has(text, "fieldpost_requests_total{route=\"/channels/:channel\",status=\"other\"} 1"),
             text);
  BOOST_TEST(Has(text, "fieldpost_requests_total{route=\"none\",status=\"404\"} 1"), text);
  BOOST_TEST(text.find("status=\"201\"") == std::string::npos, text);
  BOOST_TEST(Has(text, "fieldpost_channels 2"), text);
  BOOST_TEST(Has(text, "fieldpost_entries 30"), text);
  BOOST_TEST(Has(text, "fieldpost_database_bytes 4096"), text);
  BOOST_TEST(Has(text, "fieldpost_map_bytes 65536"), text);
  // Every family is announced once, before its samples.
  BOOST_TEST(text.starts_with("# HELP fieldpost_requests_total "));
  BOOST_TEST(Has(text, "# TYPE fieldpost_commit_seconds histogram"), text);
}

BOOST_AUTO_TEST_CASE(batches_fill_cumulative_buckets_with_exact_sums) {
  auto counters = std::make_unique<MetricsCounters>();
  RecordBatch(*counters, 1, std::chrono::microseconds(250), true);
  RecordBatch(*counters, 3, std::chrono::microseconds(1500), true);
  RecordBatch(*counters, 5000, std::chrono::microseconds(2000000), true);
  RecordBatch(*counters, 7, std::chrono::microseconds(10), false);
  const std::string text = RenderMetrics(*counters, {}, StoreStats{});
  BOOST_TEST(Has(text, "fieldpost_write_batches_total 3"), text);
  BOOST_TEST(Has(text, "fieldpost_write_batch_failures_total 1"), text);
  BOOST_TEST(Has(text, "fieldpost_write_batch_size_bucket{le=\"1\"} 1"), text);
  BOOST_TEST(Has(text, "fieldpost_write_batch_size_bucket{le=\"2\"} 1"), text);
  BOOST_TEST(Has(text, "fieldpost_write_batch_size_bucket{le=\"4\"} 2"), text);
  BOOST_TEST(Has(text, "fieldpost_write_batch_size_bucket{le=\"1024\"} 2"), text);
  BOOST_TEST(Has(text, "fieldpost_write_batch_size_bucket{le=\"+Inf\"} 3"), text);
  BOOST_TEST(Has(text, "fieldpost_write_batch_size_sum 5004"), text);
  BOOST_TEST(Has(text, "fieldpost_write_batch_size_count 3"), text);
  BOOST_TEST(Has(text, "fieldpost_commit_seconds_bucket{le=\"0.00025\"} 1"), text);
  BOOST_TEST(Has(text, "fieldpost_commit_seconds_bucket{le=\"0.002\"} 2"), text);
  BOOST_TEST(Has(text, "fieldpost_commit_seconds_bucket{le=\"1.0\"} 2"), text);
  BOOST_TEST(Has(text, "fieldpost_commit_seconds_bucket{le=\"+Inf\"} 3"), text);
  BOOST_TEST(Has(text, "fieldpost_commit_seconds_sum 2.00175"), text);
}

BOOST_AUTO_TEST_CASE(the_layout_changes_with_the_routes) {
  const std::vector<std::string_view> routes = {"/update", "none"};
  const std::vector<std::string_view> more = {"/update", "/health", "none"};
  BOOST_TEST(MetricsLayout(routes) == MetricsLayout(routes));
  BOOST_TEST(MetricsLayout(routes) != MetricsLayout(more));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
