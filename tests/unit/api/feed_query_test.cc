#include "api/feed_query.h"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>

#include "core/time_format.h"
#include "tests/unit/api/utc_time.h"

namespace fieldpost {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

const Timestamp kQueryNow = UtcTime("2024-06-15 12:00:00");

Result<FeedQuery> Parse(const Params& params) {
  return ParseFeedQuery(params, kQueryNow, 100, 8000);
}

FeedQuery Parsed(const Params& params) {
  auto query = Parse(params);
  BOOST_REQUIRE_MESSAGE(query.ok(), query.status().message());
  return *query;
}

BOOST_AUTO_TEST_SUITE(feed_query)

BOOST_AUTO_TEST_CASE(defaults_to_the_last_24_hours) {
  const FeedQuery query = Parsed({{"api_key", "X"}, {"headers", "false"}});
  BOOST_TEST(query.results == 100u);
  BOOST_TEST(!query.results_given);
  BOOST_TEST((query.start == kQueryNow - hours{24}));
  BOOST_TEST((query.end == kQueryNow));
  BOOST_TEST(!query.start_entry_id.has_value());
  BOOST_TEST(!query.end_entry_id.has_value());
  BOOST_TEST(!query.status);
  BOOST_TEST(!query.location);
  BOOST_TEST(!query.metadata);
  BOOST_TEST(!query.min.has_value());
  BOOST_TEST(!query.max.has_value());
  BOOST_TEST(!query.round.has_value());
  BOOST_TEST((query.aggregation == Aggregation::kNone));
  BOOST_TEST(query.bucket_minutes == 0);
  BOOST_TEST(query.callback.empty());
  BOOST_TEST(query.prepend.empty());
  BOOST_TEST(query.append.empty());
  BOOST_TEST(query.zone.is_utc());
}

BOOST_AUTO_TEST_CASE(uses_the_callers_limits) {
  BOOST_TEST(ParseFeedQuery({}, kQueryNow, 50, 8000)->results == 50u);
  BOOST_TEST(ParseFeedQuery({}, kQueryNow, 500, 200)->results == 200u);
  BOOST_TEST(ParseFeedQuery({{"results", "300"}}, kQueryNow, 100, 200)->results == 200u);
  BOOST_TEST(ParseFeedQuery({{"days", "2"}}, kQueryNow, 100, 200)->results == 200u);
}

BOOST_AUTO_TEST_CASE(results_is_the_newest_n_without_a_window) {
  FeedQuery query = Parsed({{"results", "10"}});
  BOOST_TEST(query.results == 10u);
  BOOST_TEST(query.results_given);
  BOOST_TEST(!query.start.has_value());
  BOOST_TEST(!query.end.has_value());
  BOOST_TEST(Parsed({{"results", "0"}}).results == 0u);
  BOOST_TEST(Parsed({{"results", "8000"}}).results == 8000u);
  BOOST_TEST(Parsed({{"results", "9000"}}).results == 8000u);
  BOOST_TEST(Parsed({{"results", "99999999999999999999999999"}}).results == 8000u);
  // The first of repeated names counts.
  BOOST_TEST(Parsed({{"results", "5"}, {"results", "7"}}).results == 5u);
}

BOOST_AUTO_TEST_CASE(results_keeps_an_explicit_window_and_lifts_the_cap) {
  FeedQuery query = Parsed({{"results", "5"}, {"minutes", "100000"}});
  BOOST_TEST(query.results == 5u);
  BOOST_TEST((query.start == kQueryNow - minutes{100000}));
  BOOST_TEST((query.end == kQueryNow));
  query = Parsed({{"results", "5"}, {"end", "2024-01-01 00:00:00"}});
  BOOST_TEST((query.start == Timestamp{}));  // not 30 days before end
  BOOST_TEST((query.end == UtcTime("2024-01-01 00:00:00")));
}

BOOST_AUTO_TEST_CASE(days_and_minutes_end_now) {
  FeedQuery query = Parsed({{"days", "3"}});
  BOOST_TEST((query.start == kQueryNow - days{3}));
  BOOST_TEST((query.end == kQueryNow));
  BOOST_TEST(query.results == 8000u);
  BOOST_TEST(!query.results_given);
  BOOST_TEST((Parsed({{"days", "0"}}).start == kQueryNow));
  BOOST_TEST((Parsed({{"days", "45"}}).start == kQueryNow - days{45}));  // days lifts the cap
  BOOST_TEST((Parsed({{"days", "999999999999"}}).start == Timestamp{}));
  BOOST_TEST((Parsed({{"days", "99999999999999999999999"}}).start == Timestamp{}));
  query = Parsed({{"minutes", "90"}});
  BOOST_TEST((query.start == kQueryNow - minutes{90}));
  BOOST_TEST((query.end == kQueryNow));
  BOOST_TEST(query.results == 8000u);
  // Days win over minutes.
  BOOST_TEST((Parsed({{"minutes", "90"}, {"days", "2"}}).start == kQueryNow - days{2}));
}

BOOST_AUTO_TEST_CASE(caps_windows_at_30_days_unless_start_or_days) {
  // minutes is not among results/start/days, so its window is capped.
  BOOST_TEST((Parsed({{"minutes", "43200"}}).start == kQueryNow - days{30}));
  BOOST_TEST((Parsed({{"minutes", "43201"}}).start == kQueryNow - days{30}));
  BOOST_TEST((Parsed({{"minutes", "100000"}}).start == kQueryNow - days{30}));
  // end alone: the 30 days before end.
  FeedQuery query = Parsed({{"end", "2024-03-01 00:00:00"}});
  BOOST_TEST((query.start == UtcTime("2024-01-31 00:00:00")));
  BOOST_TEST((query.end == UtcTime("2024-03-01 00:00:00")));
  BOOST_TEST(query.results == 8000u);
  // end with a long minutes window: cut to 30 days before end.
  query = Parsed({{"end", "2024-06-10 00:00:00"}, {"minutes", "100000"}});
  BOOST_TEST((query.start == UtcTime("2024-05-11 00:00:00")));
  // end with a short minutes window: as given.
  query = Parsed({{"end", "2024-06-15 10:00:00"}, {"minutes", "60"}});
  BOOST_TEST((query.start == UtcTime("2024-06-15 11:00:00")));
  BOOST_TEST((query.end == UtcTime("2024-06-15 10:00:00")));
  // start or days: no cap.
  query = Parsed({{"start", "2020-01-01 00:00:00"}});
  BOOST_TEST((query.start == UtcTime("2020-01-01 00:00:00")));
  BOOST_TEST((query.end == kQueryNow));
  query = Parsed({{"days", "400"}, {"end", "2024-06-01 00:00:00"}});
  BOOST_TEST((query.start == kQueryNow - days{400}));
  BOOST_TEST((query.end == UtcTime("2024-06-01 00:00:00")));
  // Near the epoch the window starts at the epoch.
  BOOST_TEST((Parsed({{"end", "1970-01-02 00:00:00"}}).start == Timestamp{}));
}

BOOST_AUTO_TEST_CASE(start_and_end_are_inclusive_bounds_and_start_wins) {
  FeedQuery query = Parsed({{"start", "2024-06-01 00:00:00"}, {"end", "2024-06-02 23:59:59"}});
  BOOST_TEST((query.start == UtcTime("2024-06-01 00:00:00")));
  BOOST_TEST((query.end == UtcTime("2024-06-02 23:59:59")));
  BOOST_TEST(query.results == 8000u);
  query = Parsed({{"start", "2024-06-01 00:00:00"}, {"days", "1"}, {"minutes", "5"}});
  BOOST_TEST((query.start == UtcTime("2024-06-01 00:00:00")));
  // An inverted window is kept as given: it selects nothing.
  query = Parsed({{"start", "2024-06-02 00:00:00"}, {"end", "2024-06-01 00:00:00"}});
  BOOST_TEST((*query.start > *query.end));
  BOOST_TEST(Parsed({{"start", "2024-06-01T00:00:00Z"}}).start.has_value());
}

BOOST_AUTO_TEST_CASE(dates_are_read_in_the_request_zone) {
  FeedQuery query = Parsed({{"timezone", "America/New_York"},
                            {"start", "2024-06-01 00:00:00"},
                            {"end", "2024-06-01 23:59:59"}});
  BOOST_TEST(!query.zone.is_utc());
  BOOST_TEST((query.start == UtcTime("2024-06-01 04:00:00")));
  BOOST_TEST((query.end == UtcTime("2024-06-02 03:59:59")));
  query = Parsed({{"offset", "5.5"}, {"start", "2024-06-01 05:30:00"}});
  BOOST_TEST((query.start == UtcTime("2024-06-01 00:00:00")));
  query = Parsed({{"offset", "5.5"}, {"start", "2024-06-01 05:30:00Z"}});
  BOOST_TEST((query.start == UtcTime("2024-06-01 05:30:00")));
}

BOOST_AUTO_TEST_CASE(entry_id_bounds_replace_the_default_window) {
  FeedQuery query = Parsed({{"start_entry_id", "5"}, {"end_entry_id", "10"}});
  BOOST_TEST(*query.start_entry_id == 5u);
  BOOST_TEST(*query.end_entry_id == 10u);
  BOOST_TEST(!query.start.has_value());
  BOOST_TEST(!query.end.has_value());
  BOOST_TEST(query.results == 8000u);
  query = Parsed({{"end_entry_id", "3"}, {"results", "2"}});
  BOOST_TEST(!query.start_entry_id.has_value());
  BOOST_TEST(*query.end_entry_id == 3u);
  BOOST_TEST(query.results == 2u);
  query = Parsed({{"start_entry_id", "1"}, {"days", "2"}});
  BOOST_TEST((query.start == kQueryNow - days{2}));
  BOOST_TEST(*query.start_entry_id == 1u);
}

BOOST_AUTO_TEST_CASE(flags_need_true) {
  FeedQuery query = Parsed({{"status", "true"}, {"location", "TRUE"}, {"metadata", "True"}});
  BOOST_TEST(query.status);
  BOOST_TEST(query.location);
  BOOST_TEST(query.metadata);
  for (const char* value : {"", "1", "yes", "false", "truee", "tru", "on"}) {
    query = Parsed({{"status", value}, {"location", value}, {"metadata", value}});
    BOOST_TEST(!query.status, value);
    BOOST_TEST(!query.location, value);
    BOOST_TEST(!query.metadata, value);
  }
}

BOOST_AUTO_TEST_CASE(reads_min_and_max) {
  FeedQuery query = Parsed({{"min", "-5"}, {"max", "2.5"}});
  BOOST_TEST(*query.min == -5.0);
  BOOST_TEST(*query.max == 2.5);
  BOOST_TEST(*Parsed({{"min", "1,5"}}).min == 1.5);
  BOOST_TEST(*Parsed({{"min", "+3"}}).min == 3.0);
  BOOST_TEST(*Parsed({{"max", "1e3"}}).max == 1000.0);
  BOOST_TEST(*Parsed({{"max", "0"}}).max == 0.0);
}

BOOST_AUTO_TEST_CASE(reads_round) {
  BOOST_TEST(*Parsed({{"round", "2"}}).round == 2);
  BOOST_TEST(*Parsed({{"round", "0"}}).round == 0);
  BOOST_TEST(*Parsed({{"round", "30"}}).round == 30);
  BOOST_TEST(!Parsed({{"round", ""}}).round.has_value());
}

BOOST_AUTO_TEST_CASE(reads_each_aggregation) {
  const std::pair<const char*, Aggregation> kinds[] = {{"timescale", Aggregation::kTimescale},
                                                       {"sum", Aggregation::kSum},
                                                       {"average", Aggregation::kAverage},
                                                       {"median", Aggregation::kMedian}};
  for (const auto& [name, kind] : kinds) {
    for (int minutes : {10, 15, 20, 30, 60, 240, 720, 1440}) {
      const FeedQuery query = Parsed({{name, std::to_string(minutes)}});
      BOOST_TEST((query.aggregation == kind), name);
      BOOST_TEST(query.bucket_minutes == minutes);
    }
    const FeedQuery daily = Parsed({{name, "daily"}});
    BOOST_TEST((daily.aggregation == kind));
    BOOST_TEST(daily.bucket_minutes == 1440);
    for (const char* value : {"", "5", "7", "0", "-60", "60.5", "060", "60 ", "Daily", "hourly",
                              "1441", "99999999999999999999"}) {
      const FeedQuery ignored = Parsed({{name, value}});
      BOOST_TEST((ignored.aggregation == Aggregation::kNone), name << "=" << value);
      BOOST_TEST(ignored.bucket_minutes == 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(aggregation_precedence_is_timescale_sum_average_median) {
  FeedQuery query =
      Parsed({{"median", "10"}, {"average", "15"}, {"sum", "20"}, {"timescale", "30"}});
  BOOST_TEST((query.aggregation == Aggregation::kTimescale));
  BOOST_TEST(query.bucket_minutes == 30);
  query = Parsed({{"median", "10"}, {"average", "15"}, {"sum", "20"}});
  BOOST_TEST((query.aggregation == Aggregation::kSum));
  BOOST_TEST(query.bucket_minutes == 20);
  query = Parsed({{"median", "10"}, {"average", "15"}});
  BOOST_TEST((query.aggregation == Aggregation::kAverage));
  // An invalid value does not take precedence.
  query = Parsed({{"timescale", "7"}, {"median", "daily"}});
  BOOST_TEST((query.aggregation == Aggregation::kMedian));
  BOOST_TEST(query.bucket_minutes == 1440);
  // results and aggregation combine: the handler aggregates the newest N.
  query = Parsed({{"results", "120"}, {"sum", "60"}});
  BOOST_TEST(query.results == 120u);
  BOOST_TEST((query.aggregation == Aggregation::kSum));
}

BOOST_AUTO_TEST_CASE(accepts_identifier_callbacks) {
  for (const char* name :
       {"cb", "jQuery1910123456789_1400000000000", "$", "$.cb", "a.b.c", "_x", "A1"}) {
    BOOST_TEST(Parsed({{"callback", name}}).callback == name);
  }
  BOOST_TEST(Parsed({{"callback", ""}}).callback.empty());
}

BOOST_AUTO_TEST_CASE(keeps_prepend_and_append_as_text) {
  const FeedQuery query = Parsed({{"prepend", "<b>T = "}, {"append", " °C</b>\r\n"}});
  BOOST_TEST(query.prepend == "<b>T = ");
  BOOST_TEST(query.append == " °C</b>\r\n");
}

BOOST_AUTO_TEST_CASE(empty_values_count_as_absent) {
  const FeedQuery query = Parsed({{"results", ""},
                                  {"days", ""},
                                  {"minutes", ""},
                                  {"start", ""},
                                  {"end", ""},
                                  {"start_entry_id", ""},
                                  {"min", ""},
                                  {"round", ""},
                                  {"sum", ""}});
  BOOST_TEST(query.results == 100u);
  BOOST_TEST(!query.results_given);
  BOOST_TEST((query.start == kQueryNow - hours{24}));
  BOOST_TEST(!query.start_entry_id.has_value());
  BOOST_TEST(!query.min.has_value());
  BOOST_TEST(!query.round.has_value());
}

BOOST_AUTO_TEST_CASE(rejects_malformed_values_naming_the_parameter) {
  const std::pair<const char*, const char*> bad[] = {
      {"results", "abc"},
      {"results", "-1"},
      {"results", "1.5"},
      {"results", " 5"},
      {"days", "x"},
      {"days", "-2"},
      {"minutes", "1h"},
      {"start", "garbage"},
      {"start", "2024-06-01"},
      {"end", "2014-02-30 00:00:00"},
      {"end", "1969-12-31 23:59:59"},
      {"start_entry_id", "x"},
      {"end_entry_id", "-1"},
      {"min", "foo"},
      {"min", "0x10"},
      {"max", "inf"},
      {"max", "nan"},
      {"max", "1e999"},
      {"max", "1 "},
      {"round", "x"},
      {"round", "-1"},
      {"round", "1.5"},
      {"round", "31"},
      {"callback", "alert(1)"},
      {"callback", "1abc"},
      {"callback", "a b"},
      {"callback", "x;y"},
      {"callback", "</script><script>"},
      {"callback", ".a"},
      {"callback", "caf\xC3\xA9"},
  };
  for (const auto& [name, value] : bad) {
    auto query = Parse({{name, value}});
    BOOST_TEST(!query.ok(), name << "=" << value);
    if (query.ok()) continue;
    BOOST_TEST((query.status().code() == StatusCode::kInvalidArgument));
    BOOST_TEST(query.status().message().starts_with(name), query.status().message());
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
