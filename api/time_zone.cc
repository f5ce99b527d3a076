#include "api/time_zone.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "api/tzif.h"
#include "core/time_format.h"
#include "core/utf8.h"

namespace fieldpost {
namespace {

// Zones that render as "Z": the aliases of UTC (Rails' TimeWithZone#utc?
// looks for the abbreviation UTC/UCT; GMT and Europe/London are "+00:00").
constexpr std::array<std::string_view, 8> kUtcNames = {
    "UTC", "Etc/UTC", "UCT", "Etc/UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu"};

constexpr std::string_view kZoneDir = "/usr/share/zoneinfo/";

// Real zone files are a few kilobytes; anything much bigger is not one.
constexpr std::size_t kMaxZoneFileSize = 256 * 1024;

// Whether `name` may be looked up as kZoneDir + name: no way out of the
// directory (no "..", no leading '/'), nothing but the characters of real
// zone names, no empty components. Like libdate-tz, which fieldpost used
// before, it leaves out the "posix*" and "right" trees (the latter's times
// count leap seconds) and "Factory", a placeholder for "zone not set".
bool IsZoneName(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : name) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && c != '/' && c != '_' && c != '+' && c != '-') return false;
  }
  std::size_t begin = 0;
  while (begin <= name.size()) {
    const std::size_t end = std::min(name.find('/', begin), name.size());
    const std::string_view part = name.substr(begin, end - begin);
    if (part.empty() || part.starts_with("posix") || part == "right" || part == "Factory") {
      return false;
    }
    begin = end + 1;
  }
  return true;
}

// The bytes of the file at `path`, or nullopt if it cannot be read or is too
// big to be a zone (a directory reads as no bytes, which no parse accepts).
std::optional<std::string> ReadZoneFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > kMaxZoneFileSize) return std::nullopt;
  }
  if (in.bad()) return std::nullopt;
  return bytes;
}

// The zone named `name`, or nullptr if there is none. Parsed zones stay for
// the life of the process, so a TimeZone can point at one and each file is
// read once. Only names whose file parsed are kept: the map is bounded by
// the files under kZoneDir, however many names clients make up. The file is
// read outside the lock; if two threads read the same zone, the first to
// finish wins. Leaked on purpose: TimeZone values may outlive static
// destruction.
const Tzif* LocateZone(const std::string& name) {
  static std::mutex& mutex = *new std::mutex;
  static auto& zones = *new std::map<std::string, const Tzif, std::less<>>;
  if (!IsZoneName(name)) return nullptr;
  {
    const std::lock_guard lock(mutex);
    if (const auto it = zones.find(name); it != zones.end()) return &it->second;
  }
  const std::optional<std::string> bytes = ReadZoneFile(std::string(kZoneDir) + name);
  if (!bytes) return nullptr;
  Result<Tzif> zone = Tzif::Parse(*bytes);
  if (!zone.ok()) return nullptr;
  const std::lock_guard lock(mutex);
  return &zones.try_emplace(name, std::move(*zone)).first->second;
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
  char buffer[48];  // roomy: GCC cannot see that the hours fit in two digits
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

Result<TimeZone> TimeZone::FromParams(const Params& params) {
  TimeZone zone;
  if (const std::string* param = FindParam(params, "timezone"); param && !param->empty()) {
    // Zone names hold no spaces; one here was an unencoded '+' ("Etc/GMT+5").
    std::string name = *param;
    std::replace(name.begin(), name.end(), ' ', '+');
    for (std::string_view utc : kUtcNames) {
      if (name == utc) return zone;
    }
    zone.zone_ = LocateZone(name);
    // Read as UTC, a misspelt zone would shift every time by hours without
    // a word; refused, the client learns of it.
    if (zone.zone_ == nullptr) {
      return InvalidArgument("timezone must name a known zone, such as America/New_York");
    }
    return zone;
  }
  if (const std::string* offset = FindParam(params, "offset"); offset && !offset->empty()) {
    if (auto minutes = ParseOffset(*offset)) zone.offset_ = *minutes;
  }
  return zone;
}

std::chrono::seconds TimeZone::OffsetAt(Timestamp time) const {
  return zone_ != nullptr ? zone_->OffsetAt(time) : offset_;
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
  const std::chrono::seconds offset =
      zone_ != nullptr ? zone_->LocalOffset(std::chrono::local_seconds{parsed->time_since_epoch()})
                       : offset_;
  const Timestamp utc = *parsed - offset;
  if (utc.time_since_epoch().count() < 0) {
    return InvalidArgument("invalid date " + QuoteBytes(text) + ", before 1970-01-01 00:00:00 UTC");
  }
  return utc;
}

}  // namespace fieldpost
