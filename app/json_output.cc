#include "app/json_output.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/time_format.h"

namespace fieldpost {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Pair(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void ChannelObject(JsonWriter& w, const Channel& channel) {
  w.StartObject();
  w.Key("id");
  w.Uint(channel.id);
  Pair(w, "name", channel.name);
  Pair(w, "description", channel.description);
  Pair(w, "owner", channel.owner);
  Pair(w, "station", channel.station);
  w.Key("public");
  w.Bool(channel.is_public);
  Pair(w, "write_key", channel.write_key);
  Pair(w, "read_key", channel.read_key);
  for (int field = 1; field <= kFieldCount; ++field) {
    if (!channel.field_names[field - 1].empty()) {
      Pair(w, ("field" + std::to_string(field)).c_str(), channel.field_names[field - 1]);
    }
  }
  Pair(w, "created_at", FormatIso8601(channel.created_at));
  w.Key("last_entry_id");
  w.Uint64(channel.last_entry_id);
  w.Key("min_write_interval");
  w.Uint(channel.min_write_interval_s);
  w.Key("retention_days");
  w.Uint(channel.retention_days);
  w.EndObject();
}

void UserObject(JsonWriter& w, const User& user) {
  w.StartObject();
  Pair(w, "name", user.name);
  Pair(w, "api_key", user.api_key);
  Pair(w, "created_at", FormatIso8601(user.created_at));
  w.EndObject();
}

}  // namespace

std::string UserJson(const User& user) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  UserObject(w, user);
  return buffer.GetString();
}

std::string UserListJson(const std::vector<User>& users) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("users");
  w.StartArray();
  for (const User& user : users) UserObject(w, user);
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

std::string ChannelJson(const Channel& channel) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  ChannelObject(w, channel);
  return buffer.GetString();
}

std::string ChannelListJson(const std::vector<Channel>& channels) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("channels");
  w.StartArray();
  for (const Channel& channel : channels) ChannelObject(w, channel);
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

std::string BackupJson(const std::string& file, const std::string& data_dir, std::uint64_t channels,
                       std::uint64_t entries, std::uint64_t bytes) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Pair(w, "file", file);
  Pair(w, "data", data_dir);
  w.Key("channels");
  w.Uint64(channels);
  w.Key("entries");
  w.Uint64(entries);
  w.Key("bytes");
  w.Uint64(bytes);
  w.EndObject();
  return buffer.GetString();
}

}  // namespace fieldpost
