#include "core/time_format.h"

#include <boost/test/unit_test.hpp>

namespace fieldpost {
namespace {

std::string Parsed(const char* text) {
  auto time = ParseTimestamp(text);
  return time.ok() ? FormatIso8601(*time) : "error";
}

BOOST_AUTO_TEST_SUITE(time_format)

BOOST_AUTO_TEST_CASE(parses_thingspeak_and_iso_forms) {
  BOOST_TEST(Parsed("2014-02-26 21:27:21") == "2014-02-26T21:27:21Z");
  BOOST_TEST(Parsed("2014-02-26T21:27:21") == "2014-02-26T21:27:21Z");
  BOOST_TEST(Parsed("2014-02-26T21:27:21Z") == "2014-02-26T21:27:21Z");
  BOOST_TEST(Parsed("2014-02-26T21:27:21.250Z") == "2014-02-26T21:27:21Z");
  BOOST_TEST(Parsed("2014-02-26 21:27:21 UTC") == "2014-02-26T21:27:21Z");
  BOOST_TEST(Parsed("2014-02-26T21:27:21-05:00") == "2014-02-27T02:27:21Z");
  BOOST_TEST(Parsed("2014-02-26T01:27:21+0130") == "2014-02-25T23:57:21Z");
  BOOST_TEST(Parsed("2014-02-26 21:27:21 +01") == "2014-02-26T20:27:21Z");
  BOOST_TEST(Parsed("2024-02-29 00:00:00") == "2024-02-29T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(rejects_everything_else) {
  for (const char* text :
       {"", "yesterday", "2014-02-26", "2014-02-30 00:00:00", "2023-02-29 00:00:00",
        "2014-13-01 00:00:00", "2014-02-26 24:00:00", "2014-02-26 21:27", "1969-12-31 23:59:59",
        "2014-02-26 21:27:21 XYZ", "2014-02-26 21:27:21+", "2014-02-26 21:27:21+25:00",
        "2014-02-26T21:27:21Zjunk", "１９７０-01-01 00:00:00"}) {
    BOOST_TEST(!ParseTimestamp(text).ok(), text);
  }
}

BOOST_AUTO_TEST_CASE(formats_epoch) {
  BOOST_TEST(FormatIso8601(Timestamp{}) == "1970-01-01T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(formats_every_digit_in_its_place) {
  const auto at = [](long long seconds) {
    return FormatIso8601(Timestamp{std::chrono::seconds(seconds)});
  };
  BOOST_TEST(at(951782399) == "2000-02-28T23:59:59Z");
  BOOST_TEST(at(951782400 + 86400 - 1) == "2000-02-29T23:59:59Z");  // a leap day
  BOOST_TEST(at(1700000000) == "2023-11-14T22:13:20Z");
  BOOST_TEST(at(253402300799) == "9999-12-31T23:59:59Z");
  BOOST_TEST(at(253402300800) == "10000-01-01T00:00:00Z");  // as %04d wrote it
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
