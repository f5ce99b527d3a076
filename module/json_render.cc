#include "module/json_render.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "module/time_format.h"

namespace fieldpost {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Key(JsonWriter& w, std::string_view key) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

void Text(JsonWriter& w, std::string_view text) {
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void OptionalText(JsonWriter& w, std::string_view key, const std::optional<std::string>& value) {
  Key(w, key);
  if (value) {
    Text(w, *value);
  } else {
    w.Null();
  }
}

std::string FieldKey(int field) { return "field" + std::to_string(field); }

void EntryHead(JsonWriter& w, const Entry& entry) {
  Key(w, "created_at");
  Text(w, FormatIso8601(entry.created_at));
  Key(w, "entry_id");
  w.Uint64(entry.entry_id);
}

// ThingSpeak's column order: fields, then location, then status.
void EntryObject(JsonWriter& w, const Channel& channel, const Entry& entry, EntryColumns columns) {
  w.StartObject();
  EntryHead(w, entry);
  for (int field = 1; field <= kFieldCount; ++field) {
    if (channel.FieldEnabled(field)) OptionalText(w, FieldKey(field), entry.data.fields[field - 1]);
  }
  if (columns.location) {
    OptionalText(w, "latitude", entry.data.latitude);
    OptionalText(w, "longitude", entry.data.longitude);
    OptionalText(w, "elevation", entry.data.elevation);
  }
  if (columns.status) OptionalText(w, "status", entry.data.status);
  w.EndObject();
}

std::string Finish(const rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string RenderUpdateJson(const Entry& entry) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Key(w, "channel_id");
  w.Uint(entry.channel_id);
  for (int field = 1; field <= kFieldCount; ++field) {
    OptionalText(w, FieldKey(field), entry.data.fields[field - 1]);
  }
  Key(w, "created_at");
  Text(w, FormatIso8601(entry.created_at));
  Key(w, "entry_id");
  w.Uint64(entry.entry_id);
  OptionalText(w, "status", entry.data.status);
  OptionalText(w, "latitude", entry.data.latitude);
  OptionalText(w, "longitude", entry.data.longitude);
  OptionalText(w, "elevation", entry.data.elevation);
  w.EndObject();
  return Finish(buffer);
}

std::string RenderEntryJson(const Channel& channel, const Entry& entry, EntryColumns columns) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  EntryObject(w, channel, entry, columns);
  return Finish(buffer);
}

std::string RenderFieldEntryJson(const Entry& entry, int field) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  EntryHead(w, entry);
  OptionalText(w, FieldKey(field), entry.data.fields[field - 1]);
  w.EndObject();
  return Finish(buffer);
}

std::string RenderFeedJson(const Channel& channel, const std::vector<Entry>& entries,
                           EntryColumns columns) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Key(w, "channel");
  w.StartObject();
  Key(w, "id");
  w.Uint(channel.id);
  Key(w, "name");
  Text(w, channel.name);
  // ThingSpeak lists optional channel attributes only when they are set.
  if (!channel.description.empty()) {
    Key(w, "description");
    Text(w, channel.description);
  }
  for (int field = 1; field <= kFieldCount; ++field) {
    if (!channel.field_names[field - 1].empty()) {
      Key(w, FieldKey(field));
      Text(w, channel.field_names[field - 1]);
    }
  }
  Key(w, "created_at");
  Text(w, FormatIso8601(channel.created_at));
  Key(w, "last_entry_id");
  if (channel.last_entry_id == 0) {
    w.Null();
  } else {
    w.Uint64(channel.last_entry_id);
  }
  w.EndObject();
  Key(w, "feeds");
  w.StartArray();
  for (const Entry& entry : entries) EntryObject(w, channel, entry, columns);
  w.EndArray();
  w.EndObject();
  return Finish(buffer);
}

std::string RenderErrorJson(std::string_view status, std::string_view error_code,
                            std::string_view message, std::string_view details) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Key(w, "status");
  Text(w, status);
  Key(w, "error");
  w.StartObject();
  Key(w, "error_code");
  Text(w, error_code);
  Key(w, "message");
  Text(w, message);
  Key(w, "details");
  Text(w, details);
  w.EndObject();
  w.EndObject();
  return Finish(buffer);
}

}  // namespace fieldpost
