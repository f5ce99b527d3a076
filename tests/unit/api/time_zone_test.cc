#include "api/time_zone.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "core/time_format.h"
#include "tests/unit/api/utc_time.h"

namespace fieldpost {
namespace {

TimeZone Zone(Params params) {
  auto zone = TimeZone::FromParams(params);
  BOOST_REQUIRE(zone.ok());
  return *zone;
}

// ParseLocal's result as ISO 8601 UTC, or "error".
std::string Local(const TimeZone& zone, const char* text) {
  auto time = zone.ParseLocal(text);
  return time.ok() ? FormatIso8601(*time) : "error";
}

BOOST_AUTO_TEST_SUITE(time_zone)

BOOST_AUTO_TEST_CASE(utc_by_default_and_by_name) {
  for (const Params& params :
       {Params{}, Params{{"timezone", "UTC"}}, Params{{"timezone", "Etc/UTC"}},
        Params{{"timezone", "Zulu"}}, Params{{"offset", "0"}}, Params{{"offset", "0.0"}},
        Params{{"timezone", ""}}}) {
    const TimeZone zone = Zone(params);
    BOOST_TEST(zone.is_utc());
    BOOST_TEST(zone.FormatIso(UtcTime("2014-02-26 21:27:21")) == "2014-02-26T21:27:21Z");
    BOOST_TEST(zone.FormatCsv(UtcTime("2014-02-26 21:27:21")) == "2014-02-26 21:27:21 UTC");
    BOOST_TEST(Local(zone, "2014-02-26 21:27:21") == "2014-02-26T21:27:21Z");
  }
  BOOST_TEST(TimeZone().FormatCsv(Timestamp{}) == "1970-01-01 00:00:00 UTC");
}

BOOST_AUTO_TEST_CASE(new_york_renders_its_offset) {
  const TimeZone zone = Zone({{"timezone", "America/New_York"}});
  BOOST_TEST(!zone.is_utc());
  BOOST_TEST(zone.FormatIso(UtcTime("2014-02-26 21:27:21")) == "2014-02-26T16:27:21-05:00");
  BOOST_TEST(zone.FormatCsv(UtcTime("2014-02-26 21:27:21")) == "2014-02-26 16:27:21 -0500");
  BOOST_TEST(zone.FormatIso(UtcTime("2024-07-01 02:00:00")) == "2024-06-30T22:00:00-04:00");
  BOOST_TEST(zone.FormatCsv(UtcTime("2024-07-01 02:00:00")) == "2024-06-30 22:00:00 -0400");
  BOOST_TEST(Local(zone, "2014-02-26 16:27:21") == "2014-02-26T21:27:21Z");
  BOOST_TEST(Local(zone, "2024-06-30T22:00:00") == "2024-07-01T02:00:00Z");
}

BOOST_AUTO_TEST_CASE(new_york_spring_forward_2024) {
  const TimeZone zone = Zone({{"timezone", "America/New_York"}});
  // 2024-03-10 02:00 EST became 03:00 EDT.
  BOOST_TEST(zone.FormatIso(UtcTime("2024-03-10 06:59:59")) == "2024-03-10T01:59:59-05:00");
  BOOST_TEST(zone.FormatIso(UtcTime("2024-03-10 07:00:00")) == "2024-03-10T03:00:00-04:00");
  BOOST_TEST(Local(zone, "2024-03-10 01:59:59") == "2024-03-10T06:59:59Z");
  BOOST_TEST(Local(zone, "2024-03-10 03:00:00") == "2024-03-10T07:00:00Z");
  // The skipped hour is read with the offset before the change (EST).
  BOOST_TEST(Local(zone, "2024-03-10 02:00:00") == "2024-03-10T07:00:00Z");
  BOOST_TEST(Local(zone, "2024-03-10 02:30:00") == "2024-03-10T07:30:00Z");
  BOOST_TEST(zone.FormatIso(*zone.ParseLocal("2024-03-10 02:30:00")) ==
             "2024-03-10T03:30:00-04:00");
}

BOOST_AUTO_TEST_CASE(new_york_fall_back_2024) {
  const TimeZone zone = Zone({{"timezone", "America/New_York"}});
  // 2024-11-03 02:00 EDT became 01:00 EST: 01:00..01:59 happen twice.
  BOOST_TEST(zone.FormatIso(UtcTime("2024-11-03 05:30:00")) == "2024-11-03T01:30:00-04:00");
  BOOST_TEST(zone.FormatIso(UtcTime("2024-11-03 06:30:00")) == "2024-11-03T01:30:00-05:00");
  BOOST_TEST(zone.FormatCsv(UtcTime("2024-11-03 06:30:00")) == "2024-11-03 01:30:00 -0500");
  BOOST_TEST(Local(zone, "2024-11-03 00:59:59") == "2024-11-03T04:59:59Z");
  // The repeated hour is read as its first occurrence (EDT).
  BOOST_TEST(Local(zone, "2024-11-03 01:00:00") == "2024-11-03T05:00:00Z");
  BOOST_TEST(Local(zone, "2024-11-03 01:30:00") == "2024-11-03T05:30:00Z");
  BOOST_TEST(Local(zone, "2024-11-03 02:00:00") == "2024-11-03T07:00:00Z");
}

BOOST_AUTO_TEST_CASE(kolkata_and_fractional_offsets) {
  for (const Params& params :
       {Params{{"timezone", "Asia/Kolkata"}}, Params{{"timezone", "Asia/Calcutta"}},
        Params{{"offset", "5.5"}}, Params{{"offset", "+5.5"}}, Params{{"offset", " 5.5"}}}) {
    const TimeZone zone = Zone(params);
    BOOST_TEST(zone.FormatIso(UtcTime("2014-02-26 21:27:21")) == "2014-02-27T02:57:21+05:30");
    BOOST_TEST(zone.FormatCsv(UtcTime("2014-02-26 21:27:21")) == "2014-02-27 02:57:21 +0530");
    BOOST_TEST(Local(zone, "2014-02-27 02:57:21") == "2014-02-26T21:27:21Z");
  }
  BOOST_TEST(Zone({{"offset", "5.75"}}).FormatIso(UtcTime("2014-02-26 00:00:00")) ==
             "2014-02-26T05:45:00+05:45");
  BOOST_TEST(Zone({{"offset", "-3.5"}}).FormatCsv(UtcTime("2014-02-26 00:00:00")) ==
             "2014-02-25 20:30:00 -0330");
  BOOST_TEST(Zone({{"offset", "14"}}).FormatIso(UtcTime("2014-02-26 00:00:00")) ==
             "2014-02-26T14:00:00+14:00");
  BOOST_TEST(Zone({{"offset", "-12"}}).FormatIso(UtcTime("2014-02-26 00:00:00")) ==
             "2014-02-25T12:00:00-12:00");
}

BOOST_AUTO_TEST_CASE(whole_hour_offset_has_no_dst) {
  const TimeZone zone = Zone({{"offset", "-5"}});
  BOOST_TEST(!zone.is_utc());
  BOOST_TEST(zone.FormatIso(UtcTime("2014-02-26 21:27:21")) == "2014-02-26T16:27:21-05:00");
  BOOST_TEST(zone.FormatCsv(UtcTime("2024-07-01 12:00:00")) == "2024-07-01 07:00:00 -0500");
  BOOST_TEST(Local(zone, "2024-03-10 02:30:00") == "2024-03-10T07:30:00Z");
}

BOOST_AUTO_TEST_CASE(zero_offset_zone_is_not_utc) {
  const TimeZone london = Zone({{"timezone", "Europe/London"}});
  BOOST_TEST(!london.is_utc());
  BOOST_TEST(london.FormatIso(UtcTime("2014-02-26 21:27:21")) == "2014-02-26T21:27:21+00:00");
  BOOST_TEST(london.FormatCsv(UtcTime("2014-07-01 21:27:21")) == "2014-07-01 22:27:21 +0100");
}

BOOST_AUTO_TEST_CASE(unknown_zone_is_invalid) {
  for (const Params& params :
       {Params{{"timezone", "Mars/Olympus_Mons"}}, Params{{"timezone", "america/new_york"}},
        Params{{"timezone", "../../etc/passwd"}},
        Params{{"timezone", "Eastern Time (US & Canada)"}},
        // Names must be zone names, not paths into or out of the zone files.
        Params{{"timezone", "/usr/share/zoneinfo/America/New_York"}},
        Params{{"timezone", "America//New_York"}}, Params{{"timezone", "posix/America/New_York"}},
        Params{{"timezone", "right/America/New_York"}}, Params{{"timezone", "Factory"}},
        // timezone wins over offset, even when it names no zone
        Params{{"timezone", "Nowhere"}, {"offset", "-5"}}}) {
    auto zone = TimeZone::FromParams(params);
    BOOST_REQUIRE(!zone.ok());
    BOOST_TEST((zone.status().code() == StatusCode::kInvalidArgument));
  }
}

BOOST_AUTO_TEST_CASE(bad_offset_is_utc) {
  for (const Params& params :
       {Params{{"offset", "abc"}}, Params{{"offset", "15"}}, Params{{"offset", "-12.5"}},
        Params{{"offset", "nan"}}, Params{{"offset", "inf"}}, Params{{"offset", "1e1"}},
        Params{{"offset", "+-5"}}, Params{{"offset", "5h"}}, Params{{"offset", "-"}}}) {
    const TimeZone zone = Zone(params);
    BOOST_TEST(zone.is_utc());
    BOOST_TEST(zone.FormatIso(UtcTime("2014-02-26 21:27:21")) == "2014-02-26T21:27:21Z");
  }
}

BOOST_AUTO_TEST_CASE(timezone_wins_over_offset) {
  const TimeZone zone = Zone({{"offset", "-5"}, {"timezone", "Asia/Kolkata"}});
  BOOST_TEST(zone.FormatIso(UtcTime("2014-02-26 21:27:21")) == "2014-02-27T02:57:21+05:30");
  // An empty timezone does not count.
  BOOST_TEST(Zone({{"timezone", ""}, {"offset", "-5"}}).FormatIso(UtcTime("2014-02-26 21:27:21")) ==
             "2014-02-26T16:27:21-05:00");
  // "Etc/GMT+5" (5 hours west) with its '+' decoded to a space.
  BOOST_TEST(Zone({{"timezone", "Etc/GMT 5"}}).FormatIso(UtcTime("2014-02-26 21:27:21")) ==
             "2014-02-26T16:27:21-05:00");
}

BOOST_AUTO_TEST_CASE(parse_local_keeps_an_explicit_zone) {
  const TimeZone zone = Zone({{"timezone", "America/New_York"}});
  BOOST_TEST(Local(zone, "2014-02-26T21:27:21Z") == "2014-02-26T21:27:21Z");
  BOOST_TEST(Local(zone, "2014-02-26 21:27:21 UTC") == "2014-02-26T21:27:21Z");
  BOOST_TEST(Local(zone, "2014-02-26T21:27:21+01:00") == "2014-02-26T20:27:21Z");
  BOOST_TEST(Local(zone, "2014-02-26 21:27:21.5") == "2014-02-27T02:27:21Z");
  BOOST_TEST(Local(zone, "2014-02-26 21:27:21.5Z") == "2014-02-26T21:27:21Z");
}

BOOST_AUTO_TEST_CASE(parse_local_rejects_bad_dates) {
  const TimeZone zone = Zone({{"timezone", "Asia/Kolkata"}});
  for (const char* text : {"", "garbage", "2014-02-30 00:00:00", "2014-02-26",
                           "1969-12-31 23:59:59", "1970-01-01 05:29:59"}) {
    BOOST_TEST(Local(zone, text) == "error", text);
  }
  BOOST_TEST(Local(zone, "1970-01-01 05:30:00") == "1970-01-01T00:00:00Z");
  BOOST_TEST(Local(Zone({{"offset", "-5"}}), "1970-01-01 00:00:00") == "1970-01-01T05:00:00Z");
  BOOST_TEST((zone.ParseLocal("nope").status().code() == StatusCode::kInvalidArgument));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
