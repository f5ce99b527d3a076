#include "api/json_render.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/time_format.h"

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

// ThingSpeak omits blank channel attributes.
void TextIfSet(JsonWriter& w, std::string_view key, const std::string& value) {
  if (value.empty()) return;
  Key(w, key);
  Text(w, value);
}

std::string FieldKey(int field) { return "field" + std::to_string(field); }

void EntryObject(JsonWriter& w, const Entry& entry, const Columns& columns, const TimeZone& zone) {
  w.StartObject();
  Key(w, "created_at");
  Text(w, zone.FormatIso(entry.created_at));
  if (entry.entry_id != 0) {
    Key(w, "entry_id");
    w.Uint64(entry.entry_id);
  }
  for (int field : columns.fields) OptionalText(w, FieldKey(field), entry.data.fields[field - 1]);
  if (columns.location) {
    OptionalText(w, "latitude", entry.data.latitude);
    OptionalText(w, "longitude", entry.data.longitude);
    OptionalText(w, "elevation", entry.data.elevation);
  }
  if (columns.status) OptionalText(w, "status", entry.data.status);
  w.EndObject();
}

void ChannelObject(JsonWriter& w, const FeedDocument& document) {
  const Channel& channel = document.channel;
  w.StartObject();
  if (document.channel_view == ChannelView::kStatus) {
    Key(w, "name");
    Text(w, channel.name);
    TextIfSet(w, "latitude", channel.latitude);
    TextIfSet(w, "longitude", channel.longitude);
    TextIfSet(w, "elevation", channel.elevation);
    w.EndObject();
    return;
  }
  Key(w, "id");
  w.Uint(channel.id);
  Key(w, "name");
  Text(w, channel.name);
  TextIfSet(w, "description", channel.description);
  TextIfSet(w, "latitude", channel.latitude);
  TextIfSet(w, "longitude", channel.longitude);
  TextIfSet(w, "elevation", channel.elevation);
  for (int field = 1; field <= kFieldCount; ++field) {
    TextIfSet(w, FieldKey(field), channel.field_names[field - 1]);
  }
  Key(w, "created_at");
  Text(w, document.zone.FormatIso(channel.created_at));
  Key(w, "updated_at");
  Text(w, document.zone.FormatIso(channel.updated_at));
  if (document.metadata) {
    Key(w, "metadata");
    Text(w, channel.metadata);
  }
  Key(w, "last_entry_id");
  if (channel.last_entry_id == 0) {
    w.Null();
  } else {
    w.Uint64(channel.last_entry_id);
  }
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

std::string RenderEntryJson(const Entry& entry, const Columns& columns, const TimeZone& zone) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  EntryObject(w, entry, columns, zone);
  return Finish(buffer);
}

std::string RenderChannelObjectJson(const FeedDocument& document) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  ChannelObject(w, document);
  return Finish(buffer);
}

std::string RenderFeedJson(const FeedDocument& document) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Key(w, "channel");
  ChannelObject(w, document);
  Key(w, "feeds");
  w.StartArray();
  for (const Entry& entry : document.entries) {
    EntryObject(w, entry, document.columns, document.zone);
  }
  w.EndArray();
  w.EndObject();
  return Finish(buffer);
}

namespace {

void ManagedChannelObject(JsonWriter& w, const Channel& channel, bool owner_view) {
  w.StartObject();
  Key(w, "id");
  w.Uint(channel.id);
  Key(w, "name");
  Text(w, channel.name);
  Key(w, "description");
  Text(w, channel.description);
  Key(w, "latitude");
  Text(w, channel.latitude);
  Key(w, "longitude");
  Text(w, channel.longitude);
  Key(w, "created_at");
  Text(w, FormatIso8601(channel.created_at));
  Key(w, "elevation");
  Text(w, channel.elevation);
  Key(w, "last_entry_id");
  if (channel.last_entry_id == 0) {
    w.Null();
  } else {
    w.Uint64(channel.last_entry_id);
  }
  Key(w, "public_flag");
  w.Bool(channel.is_public);
  Key(w, "url");
  Text(w, channel.url);
  for (int field = 1; field <= kFieldCount; ++field) {
    TextIfSet(w, FieldKey(field), channel.field_names[field - 1]);
  }
  Key(w, "username");
  Text(w, channel.owner);
  // ThingSpeak lists tags as objects; fieldpost keeps only their names.
  Key(w, "tags");
  w.StartArray();
  for (const std::string_view tag : ChannelTags(channel)) {
    w.StartObject();
    Key(w, "name");
    Text(w, tag);
    w.EndObject();
  }
  w.EndArray();
  if (owner_view) {
    Key(w, "metadata");
    Text(w, channel.metadata);
    Key(w, "api_keys");
    w.StartArray();
    for (const auto& [key, write] :
         {std::pair{&channel.write_key, true}, std::pair{&channel.read_key, false}}) {
      w.StartObject();
      Key(w, "api_key");
      Text(w, *key);
      Key(w, "write_flag");
      w.Bool(write);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace

std::string RenderChannelJson(const Channel& channel, bool owner_view) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  ManagedChannelObject(w, channel, owner_view);
  return Finish(buffer);
}

std::string RenderChannelListJson(const std::vector<Channel>& channels) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartArray();
  for (const Channel& channel : channels) ManagedChannelObject(w, channel, true);
  w.EndArray();
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

std::string RenderHealthJson(std::string_view failure_reason) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Key(w, "status");
  Text(w, failure_reason.empty() ? "ok" : "unavailable");
  if (!failure_reason.empty()) {
    Key(w, "reason");
    Text(w, failure_reason);
  }
  w.EndObject();
  return Finish(buffer);
}

std::string RenderPublicChannelsJson(const std::vector<Channel>& page, std::size_t current_page,
                                     std::size_t per_page, std::size_t total) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Key(w, "pagination");
  w.StartObject();
  Key(w, "current_page");
  w.Uint64(current_page);
  Key(w, "per_page");
  w.Uint64(per_page);
  Key(w, "total_entries");
  w.Uint64(total);
  w.EndObject();
  Key(w, "channels");
  w.StartArray();
  for (const Channel& channel : page) ManagedChannelObject(w, channel, false);
  w.EndArray();
  w.EndObject();
  return Finish(buffer);
}

std::string RenderUserJson(const User& user) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Key(w, "login");
  Text(w, user.name);
  Key(w, "created_at");
  Text(w, FormatIso8601(user.created_at));
  w.EndObject();
  return Finish(buffer);
}

std::string RenderUserChannelsJson(const std::vector<Channel>& channels, bool owner_view) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Key(w, "channels");
  w.StartArray();
  for (const Channel& channel : channels) ManagedChannelObject(w, channel, owner_view);
  w.EndArray();
  w.EndObject();
  return Finish(buffer);
}

std::string RenderDataAgeJson(std::int64_t seconds) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Key(w, "last_data_age");
  Text(w, std::to_string(seconds));
  Key(w, "last_data_age_units");
  Text(w, "s");
  w.EndObject();
  return Finish(buffer);
}

}  // namespace fieldpost
