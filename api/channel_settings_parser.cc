#include "api/channel_settings_parser.h"

#include <charconv>

#include "api/update_parser.h"

namespace fieldpost {
namespace {

// Descriptions and metadata are free text: longer, and may span lines.
constexpr std::size_t kMaxTextBytes = 4096;

Status CleanText(std::string_view name, const std::string& value) {
  if (value.size() > kMaxTextBytes) {
    return InvalidArgument(std::string(name) + " is longer than 4096 bytes");
  }
  for (unsigned char c : value) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      return InvalidArgument(std::string(name) + " contains a control character");
    }
  }
  return OkStatus();
}

// A whole decimal number from 0 to `max`.
bool ParseUpTo(std::string_view value, std::uint32_t max, std::uint32_t& out) {
  std::uint32_t number = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (ec != std::errc() || end != value.data() + value.size() || number > max) return false;
  out = number;
  return true;
}

}  // namespace

Status ApplyChannelSettings(const Params& params, ChannelSettings& settings) {
  for (const auto& [name, raw] : params) {
    std::string value = raw;
    Status status;
    if (name == "name" || name == "elevation" || name == "tags" || name == "url") {
      status = CleanValue(name, value);
      std::string& target = name == "name"        ? settings.name
                            : name == "elevation" ? settings.elevation
                            : name == "tags"      ? settings.tags
                                                  : settings.url;
      if (status.ok()) target = value;
    } else if (name == "description" || name == "metadata") {
      status = CleanText(name, value);
      if (status.ok()) (name == "description" ? settings.description : settings.metadata) = value;
    } else if (name == "latitude" || name == "longitude") {
      // An empty value clears the setting.
      if (!value.empty()) status = CleanCoordinate(name, value, name == "latitude" ? 90 : 180);
      if (status.ok()) (name == "latitude" ? settings.latitude : settings.longitude) = value;
    } else if (name == "min_write_interval") {
      // fieldpost's own setting (ThingSpeak ties the interval to a licence).
      if (!ParseUpTo(value, 86400, settings.min_write_interval_s)) {
        status = InvalidArgument("min_write_interval must be 0 to 86400 seconds");
      }
    } else if (name == "retention_days") {
      // fieldpost's own too: ThingSpeak keeps everything until a clear.
      if (!ParseUpTo(value, ChannelSettings::kMaxRetentionDays, settings.retention_days)) {
        status = InvalidArgument("retention_days must be 0 (the server's default) to 36500");
      }
    } else if (name == "public_flag") {
      if (value != "true" && value != "false") {
        status = InvalidArgument("public_flag must be true or false");
      } else {
        settings.is_public = value == "true";
      }
    } else if (name.size() == 6 && name.starts_with("field") && name[5] >= '1' && name[5] <= '8') {
      status = CleanValue(name, value);
      if (status.ok()) settings.field_names[name[5] - '1'] = value;
    }
    if (!status.ok()) return status;
  }
  return OkStatus();
}

}  // namespace fieldpost
