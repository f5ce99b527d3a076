#include "module/time_zone.h"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "module/time_format.h"

namespace fieldpost {
namespace {

// Zones that render as "Z": the aliases of UTC (Rails' TimeWithZone#utc?
// looks for the abbreviation UTC/UCT; GMT and Europe/London are "+00:00").
constexpr std::array<std::string_view, 8> kUtcNames = {
    "UTC", "Etc/UTC", "UCT", "Etc/UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu"};

// The zone named `name`, or nullptr. date throws for unknown names and for
// an unreadable database; both mean UTC here. Asking for one offset forces
// the lazy load of the zone's file now, so later calls cannot throw.
const date::time_zone* LocateZone(const std::string& name) {
  try {
    const date::time_zone* zone = date::locate_zone(name);
    zone->get_info(date::sys_seconds{});
    return zone;
  } catch (...) {
    return nullptr;
  }
}

// Hours east of UTC as whole minutes, if `text` is a decimal number in
// -12..14 ("5.5", "-5", "+1").
std::optional<std::chrono::minutes> ParseOffset(std::string_view text) {
  // An unencoded '+' in a query string arrives as a space: "offset=+1".
  while (text.starts_with(' ')) text.remove_prefix(1);
  while (text.ends_with(' ')) text.remove_suffix(1);
  if (text.starts_with('+')) {
    text.remove_prefix(1);
    if (text.starts_with('-')) return std::nullopt;
  }
  for (char c : text) {
    if ((c < '0' || c > '9') && c != '.' && c != '-') return std::nullopt;  // no "inf", "1e3"
  }
  double hours = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), hours);
  if (ec != std::errc() || end != text.data() + text.size() || !(hours >= -12 && hours <= 14)) {
    return std::nullopt;
  }
  return std::chrono::minutes{std::lround(hours * 60)};
}

// "+05:30" / "+0530" for an offset east of UTC.
std::string FormatOffset(std::chrono::seconds offset, bool colon) {
  const long total = static_cast<long>(offset.count()) / 60;
  const long minutes = std::labs(total);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, colon ? "%c%02ld:%02ld" : "%c%02ld%02ld",
                total < 0 ? '-' : '+', minutes / 60, minutes % 60);
  return buffer;
}

// Whether `text`, which ParseTimestamp accepted, names its own zone: the
// date and time take 19 characters, optionally followed by a fraction.
bool HasZone(std::string_view text) {
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  }
  return pos < text.size();
}

}  // namespace

TimeZone TimeZone::FromParams(const Params& params) {
  TimeZone zone;
  if (const std::string* param = FindParam(params, "timezone"); param && !param->empty()) {
    // Zone names hold no spaces; one here was an unencoded '+' ("Etc/GMT+5").
    std::string name = *param;
    std::replace(name.begin(), name.end(), ' ', '+');
    for (std::string_view utc : kUtcNames) {
      if (name == utc) return zone;
    }
    zone.zone_ = LocateZone(name);
    // Links such as "Etc/Zulu" may resolve to a UTC zone under another name.
    if (zone.zone_ != nullptr) {
      for (std::string_view utc : kUtcNames) {
        if (zone.zone_->name() == utc) zone.zone_ = nullptr;
      }
    }
    return zone;
  }
  if (const std::string* offset = FindParam(params, "offset"); offset && !offset->empty()) {
    if (auto minutes = ParseOffset(*offset)) zone.offset_ = *minutes;
  }
  return zone;
}

std::chrono::seconds TimeZone::OffsetAt(Timestamp time) const {
  return zone_ != nullptr ? zone_->get_info(time).offset : offset_;
}

std::string TimeZone::FormatIso(Timestamp time) const {
  if (is_utc()) return FormatIso8601(time);
  const std::chrono::seconds offset = OffsetAt(time);
  std::string text = FormatIso8601(time + offset);
  text.pop_back();  // the 'Z'
  return text + FormatOffset(offset, true);
}

std::string TimeZone::FormatCsv(Timestamp time) const {
  const std::chrono::seconds offset = is_utc() ? std::chrono::seconds{0} : OffsetAt(time);
  std::string text = FormatIso8601(time + offset);
  text[10] = ' ';
  text.pop_back();
  return text + (is_utc() ? " UTC" : " " + FormatOffset(offset, false));
}

Result<Timestamp> TimeZone::ParseLocal(std::string_view text) const {
  auto parsed = ParseTimestamp(text);
  if (!parsed.ok() || is_utc() || HasZone(text)) return parsed;
  std::chrono::seconds offset = offset_;
  if (zone_ != nullptr) {
    // For a skipped or repeated local time `first` is the period before the
    // change; for any other time it is the only one.
    offset = zone_->get_info(date::local_seconds{parsed->time_since_epoch()}).first.offset;
  }
  const Timestamp utc = *parsed - offset;
  if (utc.time_since_epoch().count() < 0) {
    return InvalidArgument("invalid date '" + std::string(text.substr(0, 40)) +
                           "', before 1970-01-01 00:00:00 UTC");
  }
  return utc;
}

}  // namespace fieldpost
