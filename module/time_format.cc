#include "module/time_format.h"

#include <date/date.h>

#include <charconv>
#include <cstdio>

namespace fieldpost {
namespace {

// Reads exactly `digits` decimal digits at `pos`, advancing it.
bool ReadNumber(std::string_view text, std::size_t& pos, int digits, int& out) {
  if (pos + digits > text.size()) return false;
  const char* first = text.data() + pos;
  for (int i = 0; i < digits; ++i) {
    if (first[i] < '0' || first[i] > '9') return false;
  }
  std::from_chars(first, first + digits, out);
  pos += digits;
  return true;
}

bool Expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// Parses the zone suffix at `pos` into an offset east of UTC, in seconds.
bool ParseZone(std::string_view text, std::size_t pos, int& offset_seconds) {
  const std::string_view zone = text.substr(pos);
  offset_seconds = 0;
  if (zone.empty() || zone == "Z" || zone == " UTC" || zone == "UTC") return true;
  if (zone[0] == ' ') ++pos;  // "2014-02-26 21:27:21 +0100"
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return false;
  const int sign = text[pos++] == '-' ? -1 : 1;
  int hours = 0, minutes = 0;
  if (!ReadNumber(text, pos, 2, hours)) return false;
  if (pos < text.size()) {
    if (text[pos] == ':') ++pos;
    if (!ReadNumber(text, pos, 2, minutes)) return false;
  }
  if (pos != text.size() || hours > 14 || minutes > 59) return false;
  offset_seconds = sign * (hours * 3600 + minutes * 60);
  return true;
}

}  // namespace

Result<Timestamp> ParseTimestamp(std::string_view text) {
  const auto invalid = [&] {
    return InvalidArgument("invalid date '" + std::string(text.substr(0, 40)) +
                           "', expected YYYY-MM-DD HH:MM:SS");
  };
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadNumber(text, pos, 4, year) || !Expect(text, pos, '-') ||
      !ReadNumber(text, pos, 2, month) || !Expect(text, pos, '-') ||
      !ReadNumber(text, pos, 2, day)) {
    return invalid();
  }
  if (pos >= text.size() || (text[pos] != ' ' && text[pos] != 'T')) return invalid();
  ++pos;
  if (!ReadNumber(text, pos, 2, hour) || !Expect(text, pos, ':') ||
      !ReadNumber(text, pos, 2, minute) || !Expect(text, pos, ':') ||
      !ReadNumber(text, pos, 2, second)) {
    return invalid();
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  }
  int offset_seconds = 0;
  if (!ParseZone(text, pos, offset_seconds)) return invalid();

  const date::year_month_day ymd{date::year{year}, date::month(static_cast<unsigned>(month)),
                                 date::day(static_cast<unsigned>(day))};
  if (year < 1970 || !ymd.ok() || hour > 23 || minute > 59 || second > 60) return invalid();
  const auto local = date::sys_days{ymd} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
                     std::chrono::seconds{second};
  const Timestamp utc = local - std::chrono::seconds{offset_seconds};
  if (utc.time_since_epoch().count() < 0) return invalid();
  return utc;
}

std::string FormatIso8601(Timestamp time) {
  const auto day = std::chrono::floor<date::days>(time);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss hms{time - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buffer;
}

}  // namespace fieldpost
