#include "core/time_format.h"

#include <date/date.h>

#include <charconv>
#include <cstdio>

#include "core/utf8.h"

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
    return InvalidArgument("invalid date " + QuoteBytes(text) + ", expected YYYY-MM-DD HH:MM:SS");
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
  const int year = static_cast<int>(ymd.year());
  // By hand rather than snprintf: a feed formats one per entry, and
  // printf's machinery was a quarter of a 100-entry feeds.json.
  std::string text = "0000-00-00T00:00:00Z";
  const auto put = [&](std::size_t at, int width, unsigned value) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      text[at + i] = static_cast<char>('0' + value % 10);
  };
  if (year < 0 || year > 9999) {
    text = std::to_string(year) + text.substr(4);
  } else {
    put(0, 4, static_cast<unsigned>(year));
  }
  const std::size_t shift = text.size() - 20;  // a year of more than four digits
  put(5 + shift, 2, static_cast<unsigned>(ymd.month()));
  put(8 + shift, 2, static_cast<unsigned>(ymd.day()));
  put(11 + shift, 2, static_cast<unsigned>(hms.hours().count()));
  put(14 + shift, 2, static_cast<unsigned>(hms.minutes().count()));
  put(17 + shift, 2, static_cast<unsigned>(hms.seconds().count()));
  return text;
}

}  // namespace fieldpost
