#include "storage/postgres/pg_rows.h"

namespace fieldpost {

Channel ChannelFromRow(const PgResult& result, int row, int first) {
  Channel channel;
  int column = first;
  const auto text = [&] { return std::string(result.Text(row, column++)); };
  channel.id = static_cast<ChannelId>(result.Int(row, column++));
  channel.name = text();
  channel.description = text();
  for (std::string& name : channel.field_names) name = text();
  channel.is_public = result.Bool(row, column++);
  channel.latitude = text();
  channel.longitude = text();
  channel.elevation = text();
  channel.metadata = text();
  channel.tags = text();
  channel.url = text();
  channel.min_write_interval_s = static_cast<std::uint32_t>(result.Int(row, column++));
  channel.retention_days = static_cast<std::uint32_t>(result.Int(row, column++));
  channel.write_key = text();
  channel.read_key = text();
  channel.owner = text();
  channel.station = text();
  channel.created_at = SecondsToTime(result.Int(row, column++));
  channel.updated_at = channel.created_at;
  return channel;
}

void ChannelDerivedFromRow(const PgResult& result, int row, int first, Channel& channel) {
  channel.last_entry_id = static_cast<EntryId>(result.Int(row, first));
  channel.used_fields = static_cast<std::uint8_t>(result.Int(row, first + 1));
  channel.updated_at = result.IsNull(row, first + 2) ? channel.created_at
                                                     : SecondsToTime(result.Int(row, first + 2));
}

void AddSettings(PgParams& params, const ChannelSettings& settings) {
  params.Add(settings.name).Add(settings.description);
  for (const std::string& name : settings.field_names) params.Add(name);
  params.Add(settings.is_public ? "true" : "false")
      .Add(settings.latitude)
      .Add(settings.longitude)
      .Add(settings.elevation)
      .Add(settings.metadata)
      .Add(settings.tags)
      .Add(settings.url)
      .Add(std::int64_t{settings.min_write_interval_s})
      .Add(std::int64_t{settings.retention_days});
}

Entry EntryFromRow(const PgResult& result, int row, int first) {
  Entry entry;
  int column = first;
  entry.channel_id = static_cast<ChannelId>(result.Int(row, column++));
  entry.entry_id = static_cast<EntryId>(result.Int(row, column++));
  entry.created_at = SecondsToTime(result.Int(row, column++));
  for (auto& field : entry.data.fields) field = result.OptionalText(row, column++);
  entry.data.latitude = result.OptionalText(row, column++);
  entry.data.longitude = result.OptionalText(row, column++);
  entry.data.elevation = result.OptionalText(row, column++);
  entry.data.status = result.OptionalText(row, column++);
  return entry;
}

}  // namespace fieldpost
