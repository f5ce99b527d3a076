#include "api/csv_render.h"

namespace fieldpost {

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string RenderCsvHeader(const Columns& columns, bool entry_ids) {
  std::string out = entry_ids ? "created_at,entry_id" : "created_at";
  for (int field : columns.fields) out += ",field" + std::to_string(field);
  if (columns.location) out += ",latitude,longitude,elevation";
  if (columns.status) out += ",status";
  return out + "\n";
}

void AppendCsvRow(std::string& out, const Entry& entry, const Columns& columns,
                  const TimeZone& zone, bool entry_ids) {
  const auto cell = [&out](const std::optional<std::string>& value) {
    out += ',';
    if (value) out += CsvField(*value);
  };
  out += CsvField(zone.FormatCsv(entry.created_at));
  if (entry_ids) out += "," + std::to_string(entry.entry_id);
  for (int field : columns.fields) cell(entry.data.fields[field - 1]);
  if (columns.location) {
    cell(entry.data.latitude);
    cell(entry.data.longitude);
    cell(entry.data.elevation);
  }
  if (columns.status) cell(entry.data.status);
  out += "\n";
}

std::string RenderFeedCsv(const FeedDocument& document) {
  const bool entry_ids = !document.aggregated;
  std::string out = RenderCsvHeader(document.columns, entry_ids);
  for (const Entry& entry : document.entries) {
    AppendCsvRow(out, entry, document.columns, document.zone, entry_ids);
  }
  return out;
}

std::string RenderDataAgeCsv(std::int64_t seconds) {
  return "last_data_age,last_data_age_units\n" + std::to_string(seconds) + ",s\n";
}

}  // namespace fieldpost
