#include "api/feed_transform.h"
#include "core/utf8.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

namespace fieldpost {
namespace {

// `value` with a decimal comma turned into a point and no leading '+'; the
// form std::from_chars reads.
std::string Normalized(std::string_view value) {
  if (value.starts_with('+')) value.remove_prefix(1);
  std::string text(value);
  std::replace(text.begin(), text.end(), ',', '.');
  return text;
}

// printf's "%.Nf".
std::string Fixed(double value, int decimals) {
  const int size = std::snprintf(nullptr, 0, "%.*f", decimals, value);
  std::string text(static_cast<std::size_t>(size) + 1, '\0');
  std::snprintf(text.data(), text.size(), "%.*f", decimals, value);
  text.pop_back();
  return text;
}

// Shortest round-trip text in fixed notation, so the result is numeric
// again and round= can still apply to it.
std::string Shortest(double value, bool comma) {
  char buffer[400];  // enough for any finite double in fixed notation
  value += 0.0;      // -0.0 + 0.0 is +0.0: no "-0"
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  std::string text = ec == std::errc() ? std::string(buffer, end) : std::to_string(value);
  if (comma) std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

// The numeric values one field takes in one bucket.
struct Numbers {
  std::vector<double> values;
  bool comma = false;
};

std::optional<std::string> Combine(Numbers& numbers, Aggregation aggregation, std::size_t entries) {
  std::vector<double>& v = numbers.values;
  if (v.empty()) return std::nullopt;
  double result = 0;
  if (aggregation == Aggregation::kMedian) {
    std::sort(v.begin(), v.end());
    const std::size_t mid = v.size() / 2;
    result = v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  } else {
    for (double x : v) result += x;
    // Rails' feeds_into_averages divides by the bucket's entry count, so
    // entries where this field is null or text pull the average down.
    if (aggregation == Aggregation::kAverage) result /= static_cast<double>(entries);
  }
  return Shortest(result, numbers.comma);
}

Entry Reduce(const std::vector<const Entry*>& bucket, Aggregation aggregation) {
  Entry row;
  if (bucket.empty()) return row;
  if (aggregation == Aggregation::kTimescale) {
    row.data = bucket.front()->data;
    return row;
  }
  for (int i = 0; i < kFieldCount; ++i) {
    Numbers numbers;
    for (const Entry* entry : bucket) {
      const std::optional<std::string>& value = entry->data.fields[i];
      double number = 0;
      if (value && IsNumeric(*value, &number)) {
        numbers.values.push_back(number);
        numbers.comma = numbers.comma || value->find(',') != std::string::npos;
      }
    }
    row.data.fields[i] = Combine(numbers, aggregation, bucket.size());
  }
  return row;
}

}  // namespace

bool IsNumeric(std::string_view value, double* parsed) {
  std::size_t i = 0;
  if (i < value.size() && (value[i] == '+' || value[i] == '-')) ++i;
  const std::size_t int_start = i;
  while (i < value.size() && IsAsciiDigit(value[i])) ++i;
  const std::size_t int_end = i;
  if (int_end == int_start) return false;
  if (i < value.size() && (value[i] == '.' || value[i] == ',')) {
    const std::size_t frac_start = ++i;
    while (i < value.size() && IsAsciiDigit(value[i])) ++i;
    if (i == frac_start) return false;
  }
  if (i != value.size()) return false;
  if (parsed == nullptr) return true;

  const std::string text = Normalized(value);
  double number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec == std::errc::result_out_of_range) {
    // Too large (any non-zero integer digit) or too small to represent.
    const bool large = std::any_of(value.begin() + int_start, value.begin() + int_end,
                                   [](char c) { return c != '0'; });
    number = large ? std::numeric_limits<double>::infinity() : 0.0;
    if (value[0] == '-') number = -number;
  }
  *parsed = number;
  return true;
}

void FilterMinMax(std::vector<Entry>& entries, std::optional<double> min, std::optional<double> max,
                  int field) {
  if (!min && !max) return;
  const int first = field > 0 ? field - 1 : 0;
  const int last = field > 0 ? field : kFieldCount;
  std::erase_if(entries, [&](const Entry& entry) {
    for (int i = first; i < last; ++i) {
      const std::optional<std::string>& value = entry.data.fields[i];
      double number = 0;
      if (!value || !IsNumeric(*value, &number)) continue;
      if ((min && number < *min) || (max && number > *max)) return true;
    }
    return false;
  });
}

void RoundValues(std::span<Entry> entries, int decimals) {
  decimals = std::max(decimals, 0);
  for (Entry& entry : entries) {
    for (std::optional<std::string>& value : entry.data.fields) {
      double number = 0;
      if (!value || !IsNumeric(*value, &number)) continue;
      const bool comma = value->find(',') != std::string::npos;
      *value = Fixed(number, decimals);
      if (comma) std::replace(value->begin(), value->end(), '.', ',');
    }
  }
}

std::vector<Entry> Aggregate(const std::vector<Entry>& entries, Aggregation aggregation,
                             int bucket_minutes, std::size_t max_rows) {
  if (aggregation == Aggregation::kNone || bucket_minutes <= 0) return entries;
  if (entries.empty() || max_rows == 0) return {};
  const std::chrono::seconds width = std::chrono::minutes{bucket_minutes};
  const auto bucket_of = [&](Timestamp t) {  // floor to a multiple of width
    const std::int64_t s = t.time_since_epoch().count(), w = width.count();
    return Timestamp{std::chrono::seconds{(s / w - (s % w < 0 ? 1 : 0)) * w}};
  };
  // Min and max rather than front and back: cheap, and safe if the order is off.
  const auto [oldest, newest] = std::minmax_element(
      entries.begin(), entries.end(),
      [](const Entry& a, const Entry& b) { return a.created_at < b.created_at; });
  Timestamp first = bucket_of(oldest->created_at);
  const Timestamp last = bucket_of(newest->created_at);
  std::size_t count = static_cast<std::size_t>((last - first) / width) + 1;
  if (count > max_rows) {
    first = last - static_cast<std::int64_t>(max_rows - 1) * width;
    count = max_rows;
  }

  std::vector<std::vector<const Entry*>> buckets(count);
  for (const Entry& entry : entries) {
    if (entry.created_at < first) continue;
    buckets[static_cast<std::size_t>((bucket_of(entry.created_at) - first) / width)].push_back(
        &entry);
  }
  std::vector<Entry> rows;
  rows.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    Entry row = Reduce(buckets[i], aggregation);
    row.channel_id = entries.front().channel_id;
    row.entry_id = 0;
    row.created_at = first + static_cast<std::int64_t>(i) * width;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace fieldpost
