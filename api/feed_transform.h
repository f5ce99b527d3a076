// What a list read does to its entries after fetching them and before
// rendering: ThingSpeak's min/max filter, rounding and time-bucket
// aggregation (spec section 3.2). Pure functions over entries ordered oldest
// first; only field1..field8 are treated as numbers.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "api/feed_query.h"
#include "core/model.h"

namespace fieldpost {

// ThingSpeak's numeric test: /\A[+-]?\d+?(\.\d+)?\Z/ after ',' -> '.', so
// "1,5" is 1.5 while "1e5", ".5", "5." and " 5" are text. When numeric and
// `parsed` is not null, stores the value there (overflow gives +-infinity).
bool IsNumeric(std::string_view value, double* parsed = nullptr);

// Drops entries having any numeric field < min or > max; with `field`
// (1..8) only that field is tested, 0 tests all of them. Text and null
// fields never drop an entry.
void FilterMinMax(std::vector<Entry>& entries, std::optional<double> min, std::optional<double> max,
                  int field = 0);

// Renders numeric field values with printf's "%.Nf" (N = decimals, negative
// counts as 0); a value written with a decimal comma keeps it ("1,25" ->
// "1,3"). Non-numeric values stay as they are.
void RoundValues(std::span<Entry> entries, int decimals);

// More buckets than this are not emitted: the newest ones are kept.
inline constexpr std::size_t kMaxAggregateRows = 100000;

// Groups entries into buckets of `bucket_minutes` aligned to multiples of
// that length since the epoch (UTC; 1440 = UTC days) and returns one entry
// per bucket from the first entry's bucket to the last one's, oldest first,
// at most `max_rows` of them (the newest). Each has entry_id 0, created_at =
// bucket start and the channel_id of the input. Empty buckets have every
// member null. Otherwise:
//  kTimescale  the first entry of the bucket (in input order) as it is,
//              fields, position and status included;
//  kSum, kAverage, kMedian  per field, over the values that are numeric
//              (IsNumeric); a field with none is null. Average divides the
//              sum by the number of entries in the bucket, numeric or not,
//              as ThingSpeak (Rails) does. Median of an even count is the
//              mean of the middle two. Results are the shortest decimal
//              text that reads back as the same double, without exponent
//              ("3.5", "4", "0.0001"), with a decimal comma if any value it
//              came from had one. Position and status are null.
// kNone or bucket_minutes <= 0 returns the entries unchanged; no entries
// give no rows.
std::vector<Entry> Aggregate(const std::vector<Entry>& entries, Aggregation aggregation,
                             int bucket_minutes, std::size_t max_rows = kMaxAggregateRows);

}  // namespace fieldpost
