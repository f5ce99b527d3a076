#include "api/tzif.h"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

namespace fieldpost {
namespace {

namespace chrono = std::chrono;

std::string ReadZoneFile(const std::string& name) {
  std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot read /usr/share/zoneinfo/" << name);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

Tzif Parse(const std::string& bytes) {
  Result<Tzif> zone = Tzif::Parse(bytes);
  BOOST_REQUIRE_MESSAGE(zone.ok(), zone.status().message());
  return std::move(*zone);
}

Tzif SystemZone(const std::string& name) { return Parse(ReadZoneFile(name)); }

chrono::seconds Time(int year, unsigned month, unsigned day, int hour, int minute, int second) {
  const chrono::sys_days date{chrono::year{year} / chrono::month{month} / chrono::day{day}};
  return date.time_since_epoch() + chrono::hours{hour} + chrono::minutes{minute} +
         chrono::seconds{second};
}

// The offset in minutes east of UTC at a UTC time.
long UtcMinutes(const Tzif& zone, int year, unsigned month, unsigned day, int hour, int minute = 0,
                int second = 0) {
  const chrono::sys_seconds time{Time(year, month, day, hour, minute, second)};
  return chrono::duration_cast<chrono::minutes>(zone.OffsetAt(time)).count();
}

// The offset in minutes that reads a local time as UTC.
long LocalMinutes(const Tzif& zone, int year, unsigned month, unsigned day, int hour,
                  int minute = 0, int second = 0) {
  const chrono::local_seconds time{Time(year, month, day, hour, minute, second)};
  return chrono::duration_cast<chrono::minutes>(zone.LocalOffset(time)).count();
}

void PutBigEndian(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>(value >> (8 * i));
}

std::string Header(char version, std::uint32_t timecnt, std::uint32_t typecnt,
                   std::uint32_t charcnt) {
  std::string out = "TZif";
  out += version;
  out.append(15, '\0');
  for (std::uint32_t count : {0u, 0u, 0u, timecnt, typecnt, charcnt}) {
    PutBigEndian(out, count, 4);
  }
  return out;
}

// A version 2 file: a minimal 32-bit block (which readers skip), then the
// 64-bit block with transitions at `times` to local time types `types`
// (indices into `offsets`, one offset per type), then `footer`.
std::string Build(const std::vector<std::int64_t>& times, const std::vector<std::uint8_t>& types,
                  const std::vector<std::int32_t>& offsets, const std::string& footer) {
  std::string out = Header('2', 0, 1, 1) + std::string(7, '\0');
  out += Header('2', static_cast<std::uint32_t>(times.size()),
                static_cast<std::uint32_t>(offsets.size()), 1);
  for (std::int64_t time : times) PutBigEndian(out, static_cast<std::uint64_t>(time), 8);
  for (std::uint8_t type : types) out += static_cast<char>(type);
  for (std::int32_t offset : offsets) {
    PutBigEndian(out, static_cast<std::uint32_t>(offset), 4);
    out += std::string(2, '\0');
  }
  return out + '\0' + '\n' + footer + '\n';
}

Tzif FooterOnly(const std::string& footer) { return Parse(Build({}, {}, {0}, footer)); }

// Reading back the local time of each half hour of 2024 gives that instant,
// or an earlier one with the same local time (the first of a repeat).
void CheckRoundTrips(const Tzif& zone) {
  int wrong = 0;
  for (auto time = Time(2024, 1, 1, 0, 0, 0); time < Time(2025, 1, 1, 0, 0, 0);
       time += chrono::minutes{30}) {
    const chrono::seconds offset = zone.OffsetAt(chrono::sys_seconds{time});
    const chrono::seconds back = zone.LocalOffset(chrono::local_seconds{time + offset});
    const chrono::sys_seconds read{time + offset - back};
    if (read.time_since_epoch() > time || zone.OffsetAt(read) != back) ++wrong;
  }
  BOOST_TEST(wrong == 0);
}

BOOST_AUTO_TEST_SUITE(tzif)

BOOST_AUTO_TEST_CASE(new_york_2024_and_beyond_its_table) {
  const Tzif zone = SystemZone("America/New_York");
  BOOST_TEST(UtcMinutes(zone, 2024, 3, 10, 6, 59, 59) == -300);
  BOOST_TEST(UtcMinutes(zone, 2024, 3, 10, 7) == -240);
  BOOST_TEST(UtcMinutes(zone, 2024, 11, 3, 5, 59, 59) == -240);
  BOOST_TEST(UtcMinutes(zone, 2024, 11, 3, 6) == -300);
  BOOST_TEST(LocalMinutes(zone, 2024, 3, 10, 1, 59, 59) == -300);
  BOOST_TEST(LocalMinutes(zone, 2024, 3, 10, 2) == -300);  // skipped: the offset before
  BOOST_TEST(LocalMinutes(zone, 2024, 3, 10, 2, 59, 59) == -300);
  BOOST_TEST(LocalMinutes(zone, 2024, 3, 10, 3) == -240);
  BOOST_TEST(LocalMinutes(zone, 2024, 11, 3, 0, 59, 59) == -240);
  BOOST_TEST(LocalMinutes(zone, 2024, 11, 3, 1, 30) == -240);  // repeated: the first
  BOOST_TEST(LocalMinutes(zone, 2024, 11, 3, 2) == -300);
  // Fat files list transitions up to 2037 and slim ones to 2007; the
  // footer's rules carry on from there.
  BOOST_TEST(UtcMinutes(zone, 2040, 3, 11, 6, 59, 59) == -300);
  BOOST_TEST(UtcMinutes(zone, 2040, 3, 11, 7) == -240);
  BOOST_TEST(UtcMinutes(zone, 2040, 11, 4, 5, 59, 59) == -240);
  BOOST_TEST(UtcMinutes(zone, 2040, 11, 4, 6) == -300);
  BOOST_TEST(LocalMinutes(zone, 2040, 3, 11, 2, 30) == -300);
  BOOST_TEST(LocalMinutes(zone, 2040, 11, 4, 1, 30) == -240);
  BOOST_TEST(UtcMinutes(zone, 2400, 7, 1, 12) == -240);
  CheckRoundTrips(zone);
}

BOOST_AUTO_TEST_CASE(berlin_2024) {
  const Tzif zone = SystemZone("Europe/Berlin");
  BOOST_TEST(UtcMinutes(zone, 2024, 3, 31, 0, 59, 59) == 60);
  BOOST_TEST(UtcMinutes(zone, 2024, 3, 31, 1) == 120);
  BOOST_TEST(UtcMinutes(zone, 2024, 10, 27, 0, 59, 59) == 120);
  BOOST_TEST(UtcMinutes(zone, 2024, 10, 27, 1) == 60);
  BOOST_TEST(LocalMinutes(zone, 2024, 3, 31, 2, 30) == 60);
  BOOST_TEST(LocalMinutes(zone, 2024, 3, 31, 3) == 120);
  BOOST_TEST(LocalMinutes(zone, 2024, 10, 27, 2, 30) == 120);
  BOOST_TEST(LocalMinutes(zone, 2024, 10, 27, 3) == 60);
  CheckRoundTrips(zone);
}

BOOST_AUTO_TEST_CASE(kolkata_history) {
  const Tzif zone = SystemZone("Asia/Kolkata");
  BOOST_TEST(UtcMinutes(zone, 1943, 1, 1, 0) == 390);  // wartime +06:30
  BOOST_TEST(UtcMinutes(zone, 1970, 1, 1, 0) == 330);
  BOOST_TEST(UtcMinutes(zone, 2024, 6, 1, 0) == 330);
  BOOST_TEST(UtcMinutes(zone, 2100, 6, 1, 0) == 330);
  BOOST_TEST(LocalMinutes(zone, 2024, 6, 1, 0) == 330);
}

BOOST_AUTO_TEST_CASE(lord_howe_half_hour_dst) {
  const Tzif zone = SystemZone("Australia/Lord_Howe");
  // +11 until 2024-04-07 02:00, then +10:30 until 2024-10-06 02:00.
  BOOST_TEST(UtcMinutes(zone, 2024, 4, 6, 14, 59, 59) == 660);
  BOOST_TEST(UtcMinutes(zone, 2024, 4, 6, 15) == 630);
  BOOST_TEST(UtcMinutes(zone, 2024, 10, 5, 15, 29, 59) == 630);
  BOOST_TEST(UtcMinutes(zone, 2024, 10, 5, 15, 30) == 660);
  BOOST_TEST(LocalMinutes(zone, 2024, 4, 7, 1, 29, 59) == 660);
  BOOST_TEST(LocalMinutes(zone, 2024, 4, 7, 1, 45) == 660);  // repeated
  BOOST_TEST(LocalMinutes(zone, 2024, 4, 7, 2) == 630);
  BOOST_TEST(LocalMinutes(zone, 2024, 10, 6, 1, 59, 59) == 630);
  BOOST_TEST(LocalMinutes(zone, 2024, 10, 6, 2, 15) == 630);  // skipped
  BOOST_TEST(LocalMinutes(zone, 2024, 10, 6, 2, 30) == 660);
  BOOST_TEST(UtcMinutes(zone, 2050, 1, 1, 0) == 660);
  BOOST_TEST(UtcMinutes(zone, 2050, 7, 1, 0) == 630);
  CheckRoundTrips(zone);
}

BOOST_AUTO_TEST_CASE(utc_at_any_time) {
  const Tzif zone = SystemZone("UTC");
  for (std::int64_t time :
       {std::numeric_limits<std::int64_t>::min(), std::int64_t{-1}, std::int64_t{0},
        std::int64_t{1719792000}, std::numeric_limits<std::int64_t>::max()}) {
    BOOST_TEST(zone.OffsetAt(chrono::sys_seconds{chrono::seconds{time}}).count() == 0);
    BOOST_TEST(zone.LocalOffset(chrono::local_seconds{chrono::seconds{time}}).count() == 0);
  }
}

BOOST_AUTO_TEST_CASE(extreme_times_use_the_nearest_rules) {
  const Tzif zone = SystemZone("America/New_York");
  constexpr auto kMin = chrono::seconds::min(), kMax = chrono::seconds::max();
  BOOST_TEST(zone.OffsetAt(chrono::sys_seconds{kMax}).count() == -5 * 3600);
  BOOST_TEST(zone.LocalOffset(chrono::local_seconds{kMax}).count() == -5 * 3600);
  BOOST_TEST(zone.OffsetAt(chrono::sys_seconds{kMin}).count() == -17762);  // LMT
  BOOST_TEST(zone.LocalOffset(chrono::local_seconds{kMin}).count() == -17762);
}

BOOST_AUTO_TEST_CASE(footer_rules) {
  const Tzif us = FooterOnly("EST5EDT,M3.2.0,M11.1.0");
  BOOST_TEST(UtcMinutes(us, 2024, 3, 10, 6, 59, 59) == -300);
  BOOST_TEST(UtcMinutes(us, 2024, 3, 10, 7) == -240);
  BOOST_TEST(UtcMinutes(us, 2024, 11, 3, 6) == -300);
  BOOST_TEST(LocalMinutes(us, 2024, 3, 10, 2, 30) == -300);
  BOOST_TEST(LocalMinutes(us, 2024, 11, 3, 1, 30) == -240);
  CheckRoundTrips(us);

  // Julian days: J60 is March 1 even in leap years; zero-based 59 is Feb 29
  // in them and March 1 otherwise.
  const Tzif julian = FooterOnly("<+01>-1<+02>,J60,J300");
  BOOST_TEST(UtcMinutes(julian, 2024, 3, 1, 0, 59, 59) == 60);
  BOOST_TEST(UtcMinutes(julian, 2024, 3, 1, 1) == 120);
  BOOST_TEST(UtcMinutes(julian, 2024, 10, 26, 23, 59, 59) == 120);
  BOOST_TEST(UtcMinutes(julian, 2024, 10, 27, 0) == 60);
  const Tzif zero_based = FooterOnly("<+01>-1<+02>,59,299");
  BOOST_TEST(UtcMinutes(zero_based, 2024, 2, 29, 0, 59, 59) == 60);
  BOOST_TEST(UtcMinutes(zero_based, 2024, 2, 29, 1) == 120);
  BOOST_TEST(UtcMinutes(zero_based, 2023, 2, 28, 12) == 60);
  BOOST_TEST(UtcMinutes(zero_based, 2023, 3, 1, 1) == 120);

  // RFC 8536's negative times, and an explicit DST offset.
  const Tzif negative = FooterOnly("<-03>3<-02>2,M3.5.0/-2,M10.5.0/-1");
  BOOST_TEST(UtcMinutes(negative, 2024, 3, 31, 0, 59, 59) == -180);
  BOOST_TEST(UtcMinutes(negative, 2024, 3, 31, 1) == -120);
  BOOST_TEST(UtcMinutes(negative, 2024, 10, 27, 0, 59, 59) == -120);
  BOOST_TEST(UtcMinutes(negative, 2024, 10, 27, 1) == -180);

  // Southern hemisphere: DST spans the new year.
  const Tzif southern = FooterOnly("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
  BOOST_TEST(UtcMinutes(southern, 2024, 1, 1, 0) == 660);
  BOOST_TEST(UtcMinutes(southern, 2024, 4, 6, 15) == 630);
  BOOST_TEST(UtcMinutes(southern, 2024, 10, 5, 15, 30) == 660);
  BOOST_TEST(LocalMinutes(southern, 2024, 10, 6, 2, 15) == 630);
  CheckRoundTrips(southern);

  // DST all year: it ends at the instant it starts again.
  const Tzif all_year = FooterOnly("EST5EDT,0/0,J365/25");
  for (int year : {2023, 2024, 2025}) {
    BOOST_TEST(UtcMinutes(all_year, year, 1, 1, 0) == -240);
    BOOST_TEST(UtcMinutes(all_year, year, 1, 1, 5) == -240);
    BOOST_TEST(UtcMinutes(all_year, year, 7, 1, 0) == -240);
    BOOST_TEST(LocalMinutes(all_year, year, 1, 1, 0) == -240);
  }

  const Tzif fixed = FooterOnly("<+0530>-5:30");
  BOOST_TEST(UtcMinutes(fixed, 2024, 1, 1, 0) == 330);
  BOOST_TEST(LocalMinutes(fixed, 2024, 1, 1, 0) == 330);
}

BOOST_AUTO_TEST_CASE(type_zero_before_the_table_and_footer_after_it) {
  // Type 0 (+01:00) until 1970-01-01, then type 1 (-05:00) and the footer.
  const Tzif zone = Parse(Build({0}, {1}, {3600, -18000}, "EST5EDT,M3.2.0,M11.1.0"));
  BOOST_TEST(UtcMinutes(zone, 1969, 12, 31, 23) == 60);
  BOOST_TEST(UtcMinutes(zone, 1970, 1, 1, 0) == -300);
  BOOST_TEST(UtcMinutes(zone, 1970, 7, 1, 0) == -240);
  // 1970-01-01 00:30 local is both before the change (+01:00) and after it.
  BOOST_TEST(LocalMinutes(zone, 1970, 1, 1, 0, 30) == 60);
  BOOST_TEST(LocalMinutes(zone, 1970, 1, 1, 1, 30) == -300);
  // Without a footer the last transition's offset holds.
  const Tzif no_footer = Parse(Build({0}, {1}, {3600, -18000}, ""));
  BOOST_TEST(UtcMinutes(no_footer, 2024, 7, 1, 0) == -300);
}

BOOST_AUTO_TEST_CASE(version_1_files) {
  std::string v1 = Header('\0', 1, 2, 1);
  PutBigEndian(v1, 0, 4);  // one transition at the epoch, to type 1
  v1 += '\1';
  for (std::int32_t offset : {3600, -18000}) {
    PutBigEndian(v1, static_cast<std::uint32_t>(offset), 4);
    v1 += std::string(2, '\0');
  }
  v1 += '\0';
  const Tzif zone = Parse(v1);
  BOOST_TEST(UtcMinutes(zone, 1969, 12, 31, 23) == 60);
  BOOST_TEST(UtcMinutes(zone, 2024, 7, 1, 0) == -300);
}

BOOST_AUTO_TEST_CASE(every_system_zone_parses) {
  int parsed = 0;
  namespace fs = std::filesystem;
  for (const auto& entry : fs::recursive_directory_iterator("/usr/share/zoneinfo")) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    if (!bytes.starts_with("TZif")) continue;
    Result<Tzif> zone = Tzif::Parse(bytes);
    BOOST_TEST(zone.ok(), entry.path().string() << ": " << zone.status().message());
    ++parsed;
  }
  BOOST_TEST(parsed > 300);
}

BOOST_AUTO_TEST_CASE(malformed_input_is_an_error) {
  const std::string new_york = ReadZoneFile("America/New_York");
  // Every prefix lacks at least the footer's closing newline.
  for (std::size_t size = 0; size < new_york.size(); ++size) {
    BOOST_TEST(!Tzif::Parse(new_york.substr(0, size)).ok(), size);
  }
  BOOST_TEST(!Tzif::Parse("TZiF" + new_york.substr(4)).ok());
  BOOST_TEST(!Tzif::Parse(new_york.substr(0, 4) + '1' + new_york.substr(5)).ok());

  const Result<Tzif> huge = Tzif::Parse(Header('\0', 0xffffffff, 0xffffffff, 0xffffffff));
  BOOST_TEST(!huge.ok());
  BOOST_TEST(huge.status().message() == "malformed TZif data: truncated data");
  BOOST_TEST(!Tzif::Parse(Header('2', 0, 0xffffffff, 1) + std::string(64, '\0')).ok());
  BOOST_TEST(!Tzif::Parse(Header('\0', 0, 0, 1) + std::string(64, '\0')).ok());  // no types

  BOOST_TEST(!Tzif::Parse(Build({0}, {1}, {0}, "")).ok());        // no type 1
  BOOST_TEST(!Tzif::Parse(Build({5, 5}, {0, 0}, {0}, "")).ok());  // not increasing
  BOOST_TEST(!Tzif::Parse(Build({}, {}, {-90000}, "")).ok());     // -25 h
  BOOST_TEST(!Tzif::Parse(Build({}, {}, {93600}, "")).ok());      // 26 h
  BOOST_TEST(Tzif::Parse(Build({}, {}, {-89999}, "")).ok());
  BOOST_TEST(!Tzif::Parse(Build({}, {}, {0}, "UTC0").substr(0, 80)).ok());

  for (const char* footer :
       {"EST", "EST5EDT", "ES5", "<AB>5", "<+05", "EST25", "EST5EDT,M3.2.0",
        "EST5EDT,M13.2.0,M11.1.0", "EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0",
        "EST5EDT,J0,J365", "EST5EDT,366,0", "EST5EDT,M3.2.0/168,M11.1.0", "EST5EDT,M3.2.0,M11.1.0x",
        "EST5:60", "EST5EDT25,M3.2.0,M11.1.0", "EST0001"}) {
    BOOST_TEST(!Tzif::Parse(Build({}, {}, {0}, footer)).ok(), footer);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
