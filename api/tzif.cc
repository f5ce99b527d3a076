#include "api/tzif.h"

#include <algorithm>
#include <limits>
#include <string>
#include <tuple>

namespace fieldpost {
namespace {

constexpr std::int64_t kMinTime = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMaxTime = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kDay = 86400;
// RFC 8536 3.2: an offset SHOULD be more than -25 h and less than 26 h.
// Holding every file to it is what lets callers rely on the bound.
constexpr std::int32_t kMinOffset = -89999;
constexpr std::int32_t kMaxOffset = 93599;
constexpr int kFirstRuleYear = 1;
constexpr int kLastRuleYear = 9999;

bool IsOffset(std::int64_t offset) { return offset >= kMinOffset && offset <= kMaxOffset; }

// The unsigned big-endian number in `bytes` (at most 8 of them).
std::uint64_t BigEndian(std::string_view bytes) {
  std::uint64_t value = 0;
  for (char c : bytes) value = value << 8 | static_cast<unsigned char>(c);
  return value;
}

Status Malformed(const char* what) {
  return InvalidArgument(std::string("malformed TZif data: ") + what);
}

struct TzifHeader {
  char version = 0;
  std::uint64_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;

  // The size of the data block after this header. Counts are 32-bit, so no
  // overflow, and a huge count is caught before anything is allocated.
  std::uint64_t DataSize(std::uint64_t time_size) const {
    return timecnt * (time_size + 1) + typecnt * 6 + charcnt + leapcnt * (time_size + 4) +
           isstdcnt + isutcnt;
  }
};

// Reads the 44-byte header at the front of `bytes` and drops it from them.
Result<TzifHeader> ReadHeader(std::string_view& bytes) {
  if (bytes.size() < 44) return Malformed("truncated header");
  if (bytes.substr(0, 4) != "TZif") return Malformed("no TZif magic");
  TzifHeader header;
  header.version = bytes[4];
  if (header.version != 0 && header.version < '2') return Malformed("unknown version");
  std::uint64_t* counts[] = {&header.isutcnt, &header.isstdcnt, &header.leapcnt,
                             &header.timecnt, &header.typecnt,  &header.charcnt};
  for (std::size_t i = 0; i < 6; ++i) *counts[i] = BigEndian(bytes.substr(20 + 4 * i, 4));
  if (header.typecnt == 0 || header.charcnt == 0 ||
      (header.isutcnt != 0 && header.isutcnt != header.typecnt) ||
      (header.isstdcnt != 0 && header.isstdcnt != header.typecnt)) {
    return Malformed("inconsistent counts");
  }
  bytes.remove_prefix(44);
  return header;
}

// The Gregorian year that `time` + `offset` falls in; times beyond the years
// 0..10000 count as those years, which keeps the arithmetic in range.
int YearOf(std::int64_t time, std::int32_t offset) {
  namespace chrono = std::chrono;
  constexpr std::int64_t kYear0 = -62167219200;      // 0000-01-01T00:00:00Z
  constexpr std::int64_t kYear10000 = 253402300800;  // 10000-01-01T00:00:00Z
  const chrono::sys_seconds local{chrono::seconds{std::clamp(time, kYear0, kYear10000) + offset}};
  return static_cast<int>(chrono::year_month_day{chrono::floor<chrono::days>(local)}.year());
}

// A cursor over a POSIX TZ string. Each Read* consumes what it reads, and
// returns false (leaving the cursor anywhere) when the text does not match.
struct TzCursor {
  std::string_view text;

  bool Eat(char c) {
    if (text.empty() || text.front() != c) return false;
    text.remove_prefix(1);
    return true;
  }

  // 1 to 3 digits, within [min, max].
  bool ReadNumber(int min, int max, int& value) {
    std::size_t digits = 0;
    value = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
      if (++digits > 3) return false;
      value = value * 10 + (text[digits - 1] - '0');
    }
    text.remove_prefix(digits);
    return digits > 0 && value >= min && value <= max;
  }

  // A zone abbreviation: three or more letters, or "<+0530>" style.
  bool ReadName() {
    const bool quoted = Eat('<');
    std::size_t length = 0;
    while (length < text.size()) {
      const char c = text[length];
      const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      if (!letter && !(quoted && ((c >= '0' && c <= '9') || c == '+' || c == '-'))) break;
      ++length;
    }
    text.remove_prefix(length);
    return length >= 3 && (!quoted || Eat('>'));
  }

  // [+|-]hh[:mm[:ss]] as seconds, hh at most `max_hours`.
  bool ReadDuration(int max_hours, std::int32_t& seconds) {
    const bool negative = Eat('-');
    if (!negative) Eat('+');
    int hours = 0, minutes = 0, secs = 0;
    if (!ReadNumber(0, max_hours, hours)) return false;
    if (Eat(':') && (!ReadNumber(0, 59, minutes) || (Eat(':') && !ReadNumber(0, 59, secs)))) {
      return false;
    }
    seconds = (hours * 3600 + minutes * 60 + secs) * (negative ? -1 : 1);
    return true;
  }
};

}  // namespace

// Parsing lives here rather than in Tzif so that the header shows only the
// data; being a friend, it may fill in Tzif's private members.
class TzifParser {
 public:
  static Result<Tzif> Parse(std::string_view bytes) {
    auto header = ReadHeader(bytes);
    if (!header.ok()) return header.status();
    std::uint64_t time_size = 4;
    if (header->version != 0) {
      // The 32-bit block is for version 1 readers; the 64-bit one follows it.
      const std::uint64_t skip = header->DataSize(4);
      if (bytes.size() < skip) return Malformed("truncated data");
      bytes.remove_prefix(skip);
      header = ReadHeader(bytes);
      if (!header.ok()) return header.status();
      time_size = 8;
    }
    const std::uint64_t size = header->DataSize(time_size);
    if (bytes.size() < size) return Malformed("truncated data");
    Tzif zone;
    if (Status status = ReadData(*header, bytes, time_size, zone); !status.ok()) return status;
    if (time_size == 4) return zone;
    bytes.remove_prefix(size);
    const std::size_t close = bytes.find('\n', 1);
    if (bytes.empty() || bytes.front() != '\n' || close == std::string_view::npos) {
      return Malformed("missing footer");
    }
    if (close > 1) {
      zone.footer_ = ReadFooter(TzCursor{bytes.substr(1, close - 1)});
      if (!zone.footer_) return Malformed("bad footer TZ string");
    }
    return zone;
  }

 private:
  // The data block at the front of `data`, which holds all of it.
  static Status ReadData(const TzifHeader& header, std::string_view data, std::uint64_t time_size,
                         Tzif& zone) {
    std::vector<std::int32_t> type_offsets;
    const std::string_view types = data.substr(header.timecnt * (time_size + 1));
    for (std::uint64_t i = 0; i < header.typecnt; ++i) {
      const std::string_view record = types.substr(6 * i, 6);
      const auto offset = static_cast<std::int32_t>(BigEndian(record.substr(0, 4)));
      if (!IsOffset(offset)) return Malformed("UTC offset out of range");
      if (static_cast<unsigned char>(record[4]) > 1) return Malformed("bad DST flag");
      if (static_cast<unsigned char>(record[5]) >= header.charcnt) {
        return Malformed("bad designation index");
      }
      type_offsets.push_back(offset);
    }
    zone.initial_offset_ = type_offsets.front();
    zone.times_.reserve(header.timecnt);
    zone.offsets_.reserve(header.timecnt);
    for (std::uint64_t i = 0; i < header.timecnt; ++i) {
      const std::uint64_t bits = BigEndian(data.substr(i * time_size, time_size));
      const std::int64_t time =
          time_size == 4 ? static_cast<std::int32_t>(bits) : static_cast<std::int64_t>(bits);
      if (!zone.times_.empty() && time <= zone.times_.back()) {
        return Malformed("transition times not increasing");
      }
      const auto type = static_cast<unsigned char>(data[header.timecnt * time_size + i]);
      if (type >= header.typecnt) return Malformed("bad local time type");
      zone.times_.push_back(time);
      zone.offsets_.push_back(type_offsets[type]);
    }
    return OkStatus();
  }

  // std offset [dst [offset] ,start[/time],end[/time]], RFC 8536 3.3.
  static std::optional<Tzif::Footer> ReadFooter(TzCursor tz) {
    Tzif::Footer footer;
    std::int32_t west = 0;
    if (!tz.ReadName() || !tz.ReadDuration(24, west)) return std::nullopt;
    footer.std_offset = footer.dst_offset = -west;
    if (!tz.text.empty()) {
      if (!tz.ReadName()) return std::nullopt;
      footer.dst_offset = footer.std_offset + 3600;
      if (!tz.text.empty() && tz.text.front() != ',') {
        if (!tz.ReadDuration(24, west)) return std::nullopt;
        footer.dst_offset = -west;
      }
      // POSIX leaves DST without rules to the implementation; zic never
      // writes it.
      footer.start = ReadRule(tz);
      footer.end = ReadRule(tz);
      if (!footer.start || !footer.end) return std::nullopt;
    }
    if (!tz.text.empty() || !IsOffset(footer.std_offset) || !IsOffset(footer.dst_offset)) {
      return std::nullopt;
    }
    return footer;
  }

  // ,Jn[/time]  ,n[/time]  ,Mm.w.d[/time]
  static std::optional<Tzif::Rule> ReadRule(TzCursor& tz) {
    Tzif::Rule rule;
    if (!tz.Eat(',')) return std::nullopt;
    bool ok = false;
    if (tz.Eat('J')) {
      rule.kind = Tzif::Rule::kJulian1;
      ok = tz.ReadNumber(1, 365, rule.day);
    } else if (tz.Eat('M')) {
      rule.kind = Tzif::Rule::kMonthWeekDay;
      ok = tz.ReadNumber(1, 12, rule.month) && tz.Eat('.') && tz.ReadNumber(1, 5, rule.week) &&
           tz.Eat('.') && tz.ReadNumber(0, 6, rule.day);
    } else {
      rule.kind = Tzif::Rule::kJulian0;
      ok = tz.ReadNumber(0, 365, rule.day);
    }
    // RFC 8536 widens POSIX's 0..24 hours to -167..167.
    if (ok && tz.Eat('/')) ok = tz.ReadDuration(167, rule.time);
    return ok ? std::optional(rule) : std::nullopt;
  }
};

Result<Tzif> Tzif::Parse(std::string_view bytes) { return TzifParser::Parse(bytes); }

std::chrono::seconds Tzif::OffsetAt(std::chrono::sys_seconds time) const {
  return std::chrono::seconds{PeriodAt(time.time_since_epoch().count()).offset};
}

std::chrono::seconds Tzif::LocalOffset(std::chrono::local_seconds time) const {
  // Beyond any date anyone means; clamping keeps the sums below in range.
  constexpr std::int64_t kLimit = std::int64_t{1} << 62;
  const std::int64_t local =
      std::clamp<std::int64_t>(time.time_since_epoch().count(), -kLimit, kLimit);
  // Offsets are under 26 h, so every instant that reads as `local` lies after
  // local - 2 days: walk forward from there to the first period that has one.
  Period period = PeriodAt(local - 2 * kDay);
  std::int32_t before = period.offset;
  while (true) {
    const std::int64_t utc = local - period.offset;
    if (utc < period.begin) return std::chrono::seconds{before};  // skipped by the change
    if (utc < period.end) return std::chrono::seconds{period.offset};
    before = period.offset;
    period = PeriodAt(period.end);
  }
}

Tzif::Period Tzif::PeriodAt(std::int64_t time) const {
  const auto next = std::upper_bound(times_.begin(), times_.end(), time);
  if (next == times_.begin() && next != times_.end()) return {kMinTime, *next, initial_offset_};
  if (next != times_.end()) return {next[-1], *next, offsets_[next - times_.begin() - 1]};
  const std::int64_t last = times_.empty() ? kMinTime : times_.back();
  if (!footer_) return {last, kMaxTime, times_.empty() ? initial_offset_ : offsets_.back()};
  Period period = FooterPeriodAt(time);
  period.begin = std::max(period.begin, last);
  return period;
}

Tzif::Period Tzif::FooterPeriodAt(std::int64_t time) const {
  const Footer& footer = *footer_;
  if (!footer.start) return {kMinTime, kMaxTime, footer.std_offset};
  // Each rule changes once a year, 364 to 371 days apart and at most about
  // 8 days outside its year, so the changes either side of `time` are among
  // those of the two years either side of its own. On a tie the start of DST wins: that is how "DST
  // all year"
  // (",0/0,J365/25", which ends at the instant it starts again) reads.
  const int year = YearOf(time, footer.std_offset);
  Period period{kMinTime, kMaxTime, 0};
  bool found = false;
  for (int y = std::max(year - 2, kFirstRuleYear); y <= std::min(year + 2, kLastRuleYear); ++y) {
    const std::int64_t start = ChangeAt(*footer.start, y, footer.std_offset);
    const std::int64_t end = ChangeAt(*footer.end, y, footer.dst_offset);
    for (const auto& [at, offset, is_start] :
         {std::tuple(start, footer.dst_offset, true), std::tuple(end, footer.std_offset, false)}) {
      if (at > time) {
        period.end = std::min(period.end, at);
      } else if (!found || at > period.begin || (at == period.begin && is_start)) {
        period.begin = at;
        period.offset = offset;
        found = true;
      }
    }
  }
  if (!found) {
    // Before the first rule year's changes: the offset its last change leaves.
    const bool dst_last = ChangeAt(*footer.start, kFirstRuleYear, footer.std_offset) >=
                          ChangeAt(*footer.end, kFirstRuleYear, footer.dst_offset);
    period.offset = dst_last ? footer.dst_offset : footer.std_offset;
  }
  return period;
}

std::int64_t Tzif::ChangeAt(const Rule& rule, int year, std::int32_t offset_before) {
  namespace chrono = std::chrono;
  const chrono::year y{year};
  chrono::sys_days day{y / chrono::January / 1};
  switch (rule.kind) {
    case Rule::kJulian1:  // February 29 is not counted: J60 is always March 1
      day += chrono::days{rule.day - 1 + (rule.day >= 60 && y.is_leap() ? 1 : 0)};
      break;
    case Rule::kJulian0:
      day += chrono::days{rule.day};
      break;
    case Rule::kMonthWeekDay: {
      const chrono::month month{static_cast<unsigned>(rule.month)};
      const chrono::weekday weekday{static_cast<unsigned>(rule.day)};
      day = rule.week == 5
                ? chrono::sys_days{y / month / weekday[chrono::last]}
                : chrono::sys_days{y / month / weekday[static_cast<unsigned>(rule.week)]};
      break;
    }
  }
  return day.time_since_epoch().count() * kDay + rule.time - offset_before;
}

}  // namespace fieldpost
