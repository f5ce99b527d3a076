#include "api/feed_query.h"
#include "core/utf8.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

namespace fieldpost {
namespace {

using std::chrono::seconds;

constexpr seconds kDay{24 * 60 * 60};
constexpr seconds kMaxWindow = 30 * kDay;

// ASCII only: the <cctype> classes depend on the locale.
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The value of `name`, or nullptr when absent or empty.
const std::string* Get(const Params& params, std::string_view name) {
  const std::string* value = FindParam(params, name);
  return value != nullptr && !value->empty() ? value : nullptr;
}

// Unsigned decimal digits; values beyond uint64 saturate.
Status ParseCount(const Params& params, std::string_view name, std::optional<std::uint64_t>& out) {
  const std::string* text = Get(params, name);
  if (text == nullptr) return OkStatus();
  if (!std::all_of(text->begin(), text->end(), IsAsciiDigit)) {
    return InvalidArgument(std::string(name) + " must be a non-negative integer");
  }
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  out = ec == std::errc::result_out_of_range ? std::numeric_limits<std::uint64_t>::max() : value;
  return OkStatus();
}

// A finite decimal number; ',' may stand for '.', a leading '+' is allowed.
Status ParseNumber(const Params& params, std::string_view name, std::optional<double>& out) {
  const std::string* text = Get(params, name);
  if (text == nullptr) return OkStatus();
  std::string number = *text;
  std::replace(number.begin(), number.end(), ',', '.');
  if (number.starts_with('+') && number.size() > 1 && number[1] != '-') number.erase(0, 1);
  // from_chars would also take "inf", "nan" and hex digits.
  const bool plain = std::all_of(number.begin(), number.end(), [](char c) {
    return IsAsciiDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
  });
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (!plain || ec != std::errc() || end != number.data() + number.size() ||
      !std::isfinite(value)) {
    return InvalidArgument(std::string(name) + " must be a decimal number");
  }
  out = value;
  return OkStatus();
}

Status ParseDate(const Params& params, std::string_view name, const TimeZone& zone,
                 std::optional<Timestamp>& out) {
  const std::string* text = Get(params, name);
  if (text == nullptr) return OkStatus();
  auto time = zone.ParseLocal(*text);
  if (!time.ok()) {
    return InvalidArgument(std::string(name) + ": " + time.status().message());
  }
  out = *time;
  return OkStatus();
}

// `time` minus `count` units of `unit`, not earlier than the epoch.
Timestamp Before(Timestamp time, std::uint64_t count, seconds unit) {
  const auto available =
      static_cast<std::uint64_t>(std::max<seconds::rep>(time.time_since_epoch().count(), 0));
  const std::uint64_t units = static_cast<std::uint64_t>(unit.count());
  if (count >= available / units + 1) return Timestamp{};
  return time - seconds{static_cast<seconds::rep>(count * units)};
}

// Minutes for a valid bucket value, 0 for anything else.
int BucketMinutes(const std::string* value) {
  if (value == nullptr) return 0;
  if (*value == "daily") return 1440;
  for (int minutes : {10, 15, 20, 30, 60, 240, 720, 1440}) {
    if (*value == std::to_string(minutes)) return minutes;
  }
  return 0;
}

bool IsCallback(const std::string& name) {
  const auto head = [](char c) { return IsAlpha(c) || c == '_' || c == '$'; };
  const auto tail = [&](char c) { return head(c) || IsAsciiDigit(c) || c == '.'; };
  return !name.empty() && head(name[0]) && std::all_of(name.begin() + 1, name.end(), tail);
}

bool IsTrue(const Params& params, std::string_view name) {
  const std::string* value = Get(params, name);
  if (value == nullptr || value->size() != 4) return false;
  std::string lower = *value;
  for (char& c : lower) c = static_cast<char>(c | 0x20);  // ASCII letters only matter here
  return lower == "true";
}

}  // namespace

Result<FeedQuery> ParseEntryQuery(const Params& params) {
  FeedQuery query;
  auto zone = TimeZone::FromParams(params);
  if (!zone.ok()) return zone.status();
  query.zone = *zone;
  std::optional<std::uint64_t> round;
  if (Status s = ParseCount(params, "round", round); !s.ok()) return s;
  if (round && *round > static_cast<std::uint64_t>(kMaxRoundDecimals)) {
    return InvalidArgument("round must be an integer from 0 to " +
                           std::to_string(kMaxRoundDecimals));
  }
  if (round) query.round = static_cast<int>(*round);
  query.status = IsTrue(params, "status");
  query.location = IsTrue(params, "location");
  if (const std::string* callback = Get(params, "callback")) {
    if (!IsCallback(*callback)) {
      return InvalidArgument(
          "callback must be a JavaScript identifier ([A-Za-z_$][A-Za-z0-9_$.]*)");
    }
    query.callback = *callback;
  }
  if (const std::string* prepend = FindParam(params, "prepend")) query.prepend = *prepend;
  if (const std::string* append = FindParam(params, "append")) query.append = *append;
  return query;
}

Result<FeedQuery> ParseFeedQuery(const Params& params, Timestamp now, std::size_t default_results,
                                 std::size_t max_results) {
  auto parsed = ParseEntryQuery(params);
  if (!parsed.ok()) return parsed;
  FeedQuery& query = *parsed;

  std::optional<std::uint64_t> results, days, minutes, first_id, last_id;
  std::optional<Timestamp> start, end;
  Status s = ParseCount(params, "results", results);
  if (s.ok()) s = ParseCount(params, "days", days);
  if (s.ok()) s = ParseCount(params, "minutes", minutes);
  if (s.ok()) s = ParseDate(params, "start", query.zone, start);
  if (s.ok()) s = ParseDate(params, "end", query.zone, end);
  if (s.ok()) s = ParseCount(params, "start_entry_id", first_id);
  if (s.ok()) s = ParseCount(params, "end_entry_id", last_id);
  if (s.ok()) s = ParseNumber(params, "min", query.min);
  if (s.ok()) s = ParseNumber(params, "max", query.max);
  if (!s.ok()) return s;
  query.start_entry_id = first_id;
  query.end_entry_id = last_id;

  const bool window = days || minutes || start || end;
  query.results_given = results.has_value();
  if (results) {
    query.results = static_cast<std::size_t>(std::min<std::uint64_t>(*results, max_results));
  } else if (window || first_id || last_id) {
    query.results = max_results;
  } else {
    query.results = std::min(default_results, max_results);
  }

  if (window) {
    query.end = end.value_or(now);
    if (start) {
      query.start = start;
    } else if (days) {
      query.start = Before(now, *days, kDay);
    } else if (minutes) {
      query.start = Before(now, *minutes, seconds{60});
    } else {
      // end alone: the 30 days before it, or everything before it when
      // results lifts the cap (Rails then starts at its beginning of time).
      query.start = results ? Timestamp{} : Before(*query.end, 30, kDay);
    }
    // ThingSpeak's rule taken literally: only results, start and days lift
    // the cap, so a long minutes= window or an end= alone is cut to 30 days.
    if (!results && !start && !days && *query.end - *query.start > kMaxWindow) {
      query.start = Before(*query.end, 30, kDay);
    }
  } else if (!results && !first_id && !last_id) {
    query.start = Before(now, 1, kDay);
    query.end = now;
  }

  query.metadata = IsTrue(params, "metadata");

  constexpr std::array<std::pair<std::string_view, Aggregation>, 4> kAggregations = {{
      {"timescale", Aggregation::kTimescale},
      {"sum", Aggregation::kSum},
      {"average", Aggregation::kAverage},
      {"median", Aggregation::kMedian},
  }};
  for (const auto& [name, kind] : kAggregations) {
    if (int bucket = BucketMinutes(Get(params, name)); bucket != 0) {
      query.aggregation = kind;
      query.bucket_minutes = bucket;
      break;
    }
  }
  return parsed;
}

}  // namespace fieldpost
