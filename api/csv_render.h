// CSV renderings (RFC 4180): a header naming exactly the selected columns,
// then one row per entry; absent values are empty, times as
// "2014-02-26 21:27:21 UTC" (ThingSpeak's Rails form).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/feed_document.h"

namespace fieldpost {

// Quotes `value` if it holds a comma, quote or line break.
std::string CsvField(std::string_view value);

// Header and rows for the document's entries (the channel is not shown).
std::string RenderFeedCsv(const FeedDocument& document);

// The parts of RenderFeedCsv, for a writer that streams rows: the header
// line, and one row appended to `out`.
std::string RenderCsvHeader(const Columns& columns, bool entry_ids);
void AppendCsvRow(std::string& out, const Entry& entry, const Columns& columns,
                  const TimeZone& zone, bool entry_ids);

// feeds/last_data_age.csv: a header and one row, as the JSON's members.
std::string RenderDataAgeCsv(std::int64_t seconds);

}  // namespace fieldpost
