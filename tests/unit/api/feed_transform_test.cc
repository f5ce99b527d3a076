#include "api/feed_transform.h"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <initializer_list>
#include <string>

#include "core/time_format.h"
#include "tests/unit/api/utc_time.h"

namespace fieldpost {
namespace {

// An entry of channel 7 whose field1, field2, ... hold `fields` (nullptr:
// null).
Entry Make(EntryId id, const char* created_at, std::initializer_list<const char*> fields) {
  Entry entry;
  entry.channel_id = 7;
  entry.entry_id = id;
  entry.created_at = UtcTime(created_at);
  int i = 0;
  for (const char* value : fields) {
    if (value != nullptr) entry.data.fields[i] = value;
    ++i;
  }
  return entry;
}

std::string Field(const Entry& entry, int field) {
  const auto& value = entry.data.fields[field - 1];
  return value ? *value : "null";
}

std::vector<EntryId> Ids(const std::vector<Entry>& entries) {
  std::vector<EntryId> ids;
  for (const Entry& entry : entries) ids.push_back(entry.entry_id);
  return ids;
}

bool AllNull(const Entry& entry) {
  for (const auto& value : entry.data.fields) {
    if (value) return false;
  }
  return !entry.data.latitude && !entry.data.longitude && !entry.data.elevation &&
         !entry.data.status;
}

BOOST_AUTO_TEST_SUITE(feed_transform)

BOOST_AUTO_TEST_CASE(is_numeric_follows_thingspeaks_pattern) {
  for (const char* text : {"0", "5", "-5", "+5", "3.14", "-0.5", "1,5", "007", "00.0100",
                           "123456789012345678901234567890"}) {
    BOOST_TEST(IsNumeric(text), text);
  }
  for (const char* text :
       {"",   "+",  "-",   "1e5",  ".5",  "5.",  "5,",   ",5",  "1.2.3", "1,234.5", "1,2,3",
        " 5", "5 ", "abc", "0x10", "inf", "nan", "1..2", "--1", "+-1",   "5\n",     "\xD9\xA5"}) {
    BOOST_TEST(!IsNumeric(text), text);
  }
  double value = 0;
  BOOST_TEST(IsNumeric("1,5", &value));
  BOOST_TEST(value == 1.5);
  BOOST_TEST(IsNumeric("+5", &value));
  BOOST_TEST(value == 5.0);
  BOOST_TEST(IsNumeric("-0.25", &value));
  BOOST_TEST(value == -0.25);
  BOOST_TEST(IsNumeric("-" + std::string(400, '9'), &value));
  BOOST_TEST((std::isinf(value) && value < 0));
  BOOST_TEST(IsNumeric("0." + std::string(400, '0') + "1", &value));
  BOOST_TEST(value == 0.0);
  value = 42;
  BOOST_TEST(!IsNumeric("x", &value));
  BOOST_TEST(value == 42.0);
}

BOOST_AUTO_TEST_CASE(min_max_drop_entries_with_any_numeric_field_outside) {
  const std::vector<Entry> entries = {
      Make(1, "2024-01-01 00:00:00", {"5", "text"}),
      Make(2, "2024-01-01 00:01:00", {"-3"}),
      Make(3, "2024-01-01 00:02:00", {"12", nullptr, "1"}),
      Make(4, "2024-01-01 00:03:00", {"abc", "1e9"}),
      Make(5, "2024-01-01 00:04:00", {"10", "0"}),
      Make(6, "2024-01-01 00:05:00", {"1,5"}),
  };
  auto filtered = entries;
  FilterMinMax(filtered, 0.0, std::nullopt);
  BOOST_TEST(Ids(filtered) == (std::vector<EntryId>{1, 3, 4, 5, 6}),
             boost::test_tools::per_element());
  filtered = entries;
  FilterMinMax(filtered, std::nullopt, 10.0);
  BOOST_TEST(Ids(filtered) == (std::vector<EntryId>{1, 2, 4, 5, 6}),
             boost::test_tools::per_element());
  filtered = entries;
  FilterMinMax(filtered, 1.0, 6.0);
  BOOST_TEST(Ids(filtered) == (std::vector<EntryId>{1, 4, 6}), boost::test_tools::per_element());
  filtered = entries;
  FilterMinMax(filtered, 1.6, std::nullopt);  // "1,5" is 1.5
  BOOST_TEST(Ids(filtered) == (std::vector<EntryId>{1, 4}), boost::test_tools::per_element());
  filtered = entries;
  FilterMinMax(filtered, std::nullopt, std::nullopt);
  BOOST_TEST(filtered.size() == entries.size());
}

BOOST_AUTO_TEST_CASE(min_max_of_one_field_ignore_the_others) {
  std::vector<Entry> entries = {
      Make(1, "2024-01-01 00:00:00", {"88", "56"}),
      Make(2, "2024-01-01 00:01:00", {"70", "90"}),
      Make(3, "2024-01-01 00:02:00", {nullptr, "99"}),
  };
  FilterMinMax(entries, 80.0, std::nullopt, 1);
  BOOST_TEST(Ids(entries) == (std::vector<EntryId>{1, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(min_max_look_only_at_fields) {
  std::vector<Entry> entries = {Make(1, "2024-01-01 00:00:00", {"5"})};
  entries[0].data.latitude = "-80";
  entries[0].data.elevation = "4000";
  entries[0].data.status = "-1";
  FilterMinMax(entries, 0.0, 10.0);
  BOOST_TEST(entries.size() == 1u);
}

BOOST_AUTO_TEST_CASE(round_renders_numeric_fields_with_n_decimals) {
  std::vector<Entry> entries = {
      Make(1, "2024-01-01 00:00:00", {"3.14159", "2", "text", nullptr, "1,26", "-0.04", "1e5"}),
  };
  entries[0].data.latitude = "1.23456";
  entries[0].data.status = "2.5";
  auto rounded = entries;
  RoundValues(rounded, 2);
  const Entry& e = rounded[0];
  BOOST_TEST(Field(e, 1) == "3.14");
  BOOST_TEST(Field(e, 2) == "2.00");
  BOOST_TEST(Field(e, 3) == "text");
  BOOST_TEST(Field(e, 4) == "null");
  BOOST_TEST(Field(e, 5) == "1,26");
  BOOST_TEST(Field(e, 6) == "-0.04");
  BOOST_TEST(Field(e, 7) == "1e5");
  BOOST_TEST(*e.data.latitude == "1.23456");
  BOOST_TEST(*e.data.status == "2.5");

  rounded = entries;
  RoundValues(rounded, 1);
  BOOST_TEST(Field(rounded[0], 1) == "3.1");
  BOOST_TEST(Field(rounded[0], 5) == "1,3");
  BOOST_TEST(Field(rounded[0], 6) == "-0.0");  // printf's "%.1f", as Ruby's sprintf
  for (int decimals : {0, -3}) {
    rounded = entries;
    RoundValues(rounded, decimals);
    BOOST_TEST(Field(rounded[0], 1) == "3");
    BOOST_TEST(Field(rounded[0], 2) == "2");
  }
}

// Entries at 00:01, 00:05 and 00:32: buckets 00:00, 00:10, 00:20 (both
// empty) and 00:30 with 10-minute buckets.
std::vector<Entry> Spread() {
  std::vector<Entry> entries = {
      Make(1, "2024-01-01 00:01:00", {"1", "text", "4", nullptr}),
      Make(2, "2024-01-01 00:05:00", {"2.5", "also text", nullptr, nullptr}),
      Make(3, "2024-01-01 00:32:00", {"10", "7"}),
  };
  entries[0].data.latitude = "52.5";
  entries[0].data.longitude = "13.4";
  entries[0].data.elevation = "34";
  entries[0].data.status = "first";
  entries[1].data.status = "second";
  return entries;
}

void CheckBuckets(const std::vector<Entry>& rows) {
  BOOST_REQUIRE(rows.size() == 4u);
  const char* starts[] = {"2024-01-01T00:00:00Z", "2024-01-01T00:10:00Z", "2024-01-01T00:20:00Z",
                          "2024-01-01T00:30:00Z"};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    BOOST_TEST(FormatIso8601(rows[i].created_at) == starts[i]);
    BOOST_TEST(rows[i].entry_id == 0u);
    BOOST_TEST(rows[i].channel_id == 7u);
  }
  BOOST_TEST(AllNull(rows[1]));
  BOOST_TEST(AllNull(rows[2]));
}

BOOST_AUTO_TEST_CASE(timescale_takes_the_first_entry_of_each_bucket) {
  const auto rows = Aggregate(Spread(), Aggregation::kTimescale, 10);
  CheckBuckets(rows);
  BOOST_TEST(Field(rows[0], 1) == "1");
  BOOST_TEST(Field(rows[0], 2) == "text");
  BOOST_TEST(Field(rows[0], 3) == "4");
  BOOST_TEST(Field(rows[0], 4) == "null");
  BOOST_TEST(*rows[0].data.latitude == "52.5");
  BOOST_TEST(*rows[0].data.longitude == "13.4");
  BOOST_TEST(*rows[0].data.elevation == "34");
  BOOST_TEST(*rows[0].data.status == "first");
  BOOST_TEST(Field(rows[3], 1) == "10");
  BOOST_TEST(Field(rows[3], 2) == "7");
}

BOOST_AUTO_TEST_CASE(sum_adds_numeric_values_only) {
  const auto rows = Aggregate(Spread(), Aggregation::kSum, 10);
  CheckBuckets(rows);
  BOOST_TEST(Field(rows[0], 1) == "3.5");
  BOOST_TEST(Field(rows[0], 2) == "null");  // text only
  BOOST_TEST(Field(rows[0], 3) == "4");
  BOOST_TEST(Field(rows[0], 4) == "null");
  BOOST_TEST(!rows[0].data.latitude.has_value());
  BOOST_TEST(!rows[0].data.status.has_value());
  BOOST_TEST(Field(rows[3], 1) == "10");
  BOOST_TEST(Field(rows[3], 2) == "7");
}

BOOST_AUTO_TEST_CASE(average_divides_by_the_buckets_entry_count) {
  const auto rows = Aggregate(Spread(), Aggregation::kAverage, 10);
  CheckBuckets(rows);
  BOOST_TEST(Field(rows[0], 1) == "1.75");
  BOOST_TEST(Field(rows[0], 3) == "2");  // 4 over two entries, one of them null
  BOOST_TEST(Field(rows[0], 2) == "null");
  BOOST_TEST(Field(rows[3], 1) == "10");
  BOOST_TEST(!rows[0].data.status.has_value());
}

BOOST_AUTO_TEST_CASE(median_of_odd_and_even_counts) {
  const std::vector<Entry> entries = {
      Make(1, "2024-01-01 00:00:00", {"5", "1"}),
      Make(2, "2024-01-01 00:01:00", {"1", "2"}),
      Make(3, "2024-01-01 00:02:00", {"3", "10"}),
      Make(4, "2024-01-01 00:03:00", {"x", "3"}),
      Make(5, "2024-01-01 00:04:00", {nullptr, nullptr}),
  };
  const auto rows = Aggregate(entries, Aggregation::kMedian, 15);
  BOOST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(Field(rows[0], 1) == "3");    // of 1, 3, 5
  BOOST_TEST(Field(rows[0], 2) == "2.5");  // of 1, 2, 3, 10
  BOOST_TEST(Field(rows[0], 3) == "null");
  const auto gaps = Aggregate(Spread(), Aggregation::kMedian, 10);
  CheckBuckets(gaps);
  BOOST_TEST(Field(gaps[0], 1) == "1.75");
}

BOOST_AUTO_TEST_CASE(daily_buckets_are_utc_days) {
  const std::vector<Entry> entries = {
      Make(1, "2024-03-01 23:59:59", {"1"}),
      Make(2, "2024-03-02 00:00:00", {"2"}),
      Make(3, "2024-03-02 18:00:00", {"3"}),
      Make(4, "2024-03-04 12:00:00", {"4"}),
  };
  const auto rows = Aggregate(entries, Aggregation::kSum, 1440);
  BOOST_REQUIRE(rows.size() == 4u);
  BOOST_TEST(FormatIso8601(rows[0].created_at) == "2024-03-01T00:00:00Z");
  BOOST_TEST(FormatIso8601(rows[1].created_at) == "2024-03-02T00:00:00Z");
  BOOST_TEST(FormatIso8601(rows[2].created_at) == "2024-03-03T00:00:00Z");
  BOOST_TEST(FormatIso8601(rows[3].created_at) == "2024-03-04T00:00:00Z");
  BOOST_TEST(Field(rows[0], 1) == "1");
  BOOST_TEST(Field(rows[1], 1) == "5");
  BOOST_TEST(AllNull(rows[2]));
  BOOST_TEST(Field(rows[3], 1) == "4");
}

BOOST_AUTO_TEST_CASE(buckets_align_to_epoch_multiples) {
  const auto rows = Aggregate({Make(1, "2024-01-01 05:00:00", {"1"})}, Aggregation::kSum, 240);
  BOOST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(FormatIso8601(rows[0].created_at) == "2024-01-01T04:00:00Z");
  const auto quarter = Aggregate({Make(1, "2024-01-01 05:44:59", {"1"})}, Aggregation::kSum, 15);
  BOOST_TEST(FormatIso8601(quarter[0].created_at) == "2024-01-01T05:30:00Z");
  const auto twelve = Aggregate({Make(1, "2024-01-01 13:00:00", {"1"})}, Aggregation::kSum, 720);
  BOOST_TEST(FormatIso8601(twelve[0].created_at) == "2024-01-01T12:00:00Z");
}

BOOST_AUTO_TEST_CASE(results_are_shortest_fixed_text) {
  const std::vector<Entry> entries = {
      Make(1, "2024-01-01 00:00:00", {"0.1", "0.00005", "-0", "1,5", "1000000", "2"}),
      Make(2, "2024-01-01 00:00:01", {"0.2", "0.00005", "0", "1", "1000000", "2"}),
  };
  const auto rows = Aggregate(entries, Aggregation::kSum, 10);
  BOOST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(Field(rows[0], 1) == "0.30000000000000004");
  BOOST_TEST(Field(rows[0], 2) == "0.0001");
  BOOST_TEST(Field(rows[0], 3) == "0");
  BOOST_TEST(Field(rows[0], 4) == "2,5");  // a decimal comma stays one
  BOOST_TEST(Field(rows[0], 5) == "2000000");
  BOOST_TEST(Field(rows[0], 6) == "4");
  BOOST_TEST(IsNumeric(Field(rows[0], 2)));
}

BOOST_AUTO_TEST_CASE(none_empty_and_capped_inputs) {
  const auto entries = Spread();
  const auto same = Aggregate(entries, Aggregation::kNone, 10);
  BOOST_TEST(Ids(same) == Ids(entries), boost::test_tools::per_element());
  BOOST_TEST(Aggregate(entries, Aggregation::kSum, 0).size() == entries.size());
  BOOST_TEST(Aggregate({}, Aggregation::kSum, 10).empty());
  // Only the newest max_rows buckets; entries in older ones are left out.
  const auto capped = Aggregate(entries, Aggregation::kSum, 10, 2);
  BOOST_REQUIRE(capped.size() == 2u);
  BOOST_TEST(FormatIso8601(capped[0].created_at) == "2024-01-01T00:20:00Z");
  BOOST_TEST(AllNull(capped[0]));
  BOOST_TEST(Field(capped[1], 1) == "10");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
