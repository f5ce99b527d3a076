#include "api/update_parser.h"

#include <boost/test/unit_test.hpp>
#include <string>

namespace fieldpost {
namespace {

Result<ParsedUpdate> ParseQuery(const std::string& query) {
  auto params = ParseFormEncoded(query);
  BOOST_REQUIRE(params.ok());
  return ParseUpdateParams(*params);
}

BOOST_AUTO_TEST_SUITE(update_parser)

BOOST_AUTO_TEST_CASE(reads_every_parameter) {
  auto update = ParseQuery(
      "field1=1&field8=eight&lat=52.52&long=-13.4&elevation=34&status=ok&created_at=2020-01-02+03:"
      "04:05");
  BOOST_REQUIRE(update.ok());
  const EntryData& data = update->data;
  BOOST_TEST(*data.fields[0] == "1");
  BOOST_TEST(*data.fields[7] == "eight");
  BOOST_TEST(!data.fields[1].has_value());
  BOOST_TEST(*data.latitude == "52.52");
  BOOST_TEST(*data.longitude == "-13.4");
  BOOST_TEST(*data.elevation == "34");
  BOOST_TEST(*data.status == "ok");
  BOOST_REQUIRE(update->created_at.has_value());
}

BOOST_AUTO_TEST_CASE(accepts_long_parameter_names) {
  auto update = ParseQuery("latitude=1.5&longitude=2");
  BOOST_REQUIRE(update.ok());
  BOOST_TEST(*update->data.latitude == "1.5");
  BOOST_TEST(*update->data.longitude == "2");
}

// A repeated name counts once, at its first occurrence; the short name of a
// coordinate wins over the long one wherever each stands; an invalid value
// is named as the client sent it; names are case-sensitive.
BOOST_AUTO_TEST_CASE(the_first_value_of_a_name_counts_and_short_names_win) {
  auto update =
      ParseQuery("field2=a&latitude=1&field2=b&lat=2&longitude=3&long=4&status=x&status=y");
  BOOST_REQUIRE(update.ok());
  BOOST_TEST(*update->data.fields[1] == "a");
  BOOST_TEST(*update->data.latitude == "2");
  BOOST_TEST(*update->data.longitude == "4");
  BOOST_TEST(*update->data.status == "x");

  auto refused = ParseQuery("field1=1&latitude=91");
  BOOST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.status().message().find("latitude must be") != std::string::npos,
             refused.status().message());
  auto long_value = ParseQuery("field7=" + std::string(300, 'x'));
  BOOST_REQUIRE(!long_value.ok());
  BOOST_TEST(long_value.status().message().find("field7 is longer") != std::string::npos);
  for (const char* query : {"Field1=1", "FIELD1=1", "field01=1", "field1 =1", "LAT=1"}) {
    BOOST_TEST(!ParseQuery(query).ok(), query);
  }
}

BOOST_AUTO_TEST_CASE(ignores_unknown_parameters_but_needs_data) {
  auto with_data = ParseQuery("field1=5&field9=x&field0=y&headers=false");
  BOOST_REQUIRE(with_data.ok());
  BOOST_TEST(*with_data->data.fields[0] == "5");
  for (const char* query : {"", "field9=1", "field0=1", "headers=false", "api_key=X"}) {
    auto update = ParseQuery(query);
    BOOST_TEST(!update.ok(), query);
    BOOST_TEST(update.status().message().find("no data") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(strips_one_trailing_line_break) {
  BOOST_TEST(*ParseQuery("field1=5%0A")->data.fields[0] == "5");
  BOOST_TEST(*ParseQuery("field1=5%0D%0A")->data.fields[0] == "5");
  BOOST_TEST(!ParseQuery("field1=5%0A%0A").ok());  // the second break is a control character
}

// Values that reach the parser already decoded (import, the admin
// commands) are checked as /update's percent-decoding checks them.
BOOST_AUTO_TEST_CASE(refuses_invalid_utf8_in_decoded_values) {
  for (const char* bytes : {"\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xF8\x88\x80\x80\x80"}) {
    auto parsed = ParseUpdateParams({{"field1", bytes}});
    BOOST_TEST((parsed.status().code() == StatusCode::kInvalidEncoding));
    BOOST_TEST(parsed.status().message() == "field1 is not valid UTF-8");
  }
  BOOST_TEST(ParseUpdateParams({{"status", "caf\xC3\xA9"}}).ok());
}

BOOST_AUTO_TEST_CASE(limits_values_to_255_bytes) {
  BOOST_TEST(ParseQuery("field1=" + std::string(255, 'x')).ok());
  auto too_long = ParseQuery("field1=" + std::string(256, 'x'));
  BOOST_TEST(!too_long.ok());
  BOOST_TEST(too_long.status().message() == "field1 is longer than 255 bytes");
  // Bytes, not characters: 128 two-byte characters are 256 bytes.
  std::string e_acute;
  for (int i = 0; i < 128; ++i) e_acute += "%C3%A9";
  BOOST_TEST(!ParseQuery("status=" + e_acute).ok());
}

BOOST_AUTO_TEST_CASE(rejects_control_characters_and_bad_coordinates) {
  BOOST_TEST(!ParseQuery("field1=a%01b").ok());
  BOOST_TEST(!ParseQuery("field1=a%7Fb").ok());
  BOOST_TEST(!ParseQuery("lat=91").ok());
  BOOST_TEST(!ParseQuery("long=-180.5").ok());
  BOOST_TEST(!ParseQuery("lat=north").ok());
  BOOST_TEST(!ParseQuery("lat=1e5").ok());
  BOOST_TEST(!ParseQuery("field1=1&created_at=soon").ok());
}

BOOST_AUTO_TEST_CASE(parses_the_seed_path_form_as_written) {
  auto update = ParsePathUpdate("API_key=ASCIISTR/mac=6c:rf:7f:2b:0e:g8/field=1/data=72.3");
  BOOST_REQUIRE(update.ok());
  BOOST_TEST(update->api_key == "ASCIISTR");
  BOOST_TEST(update->station == "6c:rf:7f:2b:0e:g8");
  BOOST_TEST(update->field == 1);
  BOOST_TEST(update->value == "72.3");
}

BOOST_AUTO_TEST_CASE(path_form_is_case_insensitive_and_order_free) {
  auto update = ParsePathUpdate("DATA=hello%20world/FIELD=8/api_KEY=K/");
  BOOST_REQUIRE(update.ok());
  BOOST_TEST(update->value == "hello world");
  BOOST_TEST(update->field == 8);
  BOOST_TEST(update->station.empty());
}

BOOST_AUTO_TEST_CASE(path_form_rejects_bad_segments) {
  for (const char* path :
       {"", "api_key=K/field=1", "api_key=K/data=1", "field=1/data=1", "api_key=K/field=0/data=1",
        "api_key=K/field=9/data=1", "api_key=K/field=12/data=1", "api_key=K/field=1/data=1/x=2",
        "api_key=K/field=1/data=1/field=2", "api_key=K/field=1/data=%zz", "api_key=K/field=1/data",
        "api_key=K/mac=a%20b/field=1/data=1", "api_key=K/mac=/field=1/data=1"}) {
    BOOST_TEST(!ParsePathUpdate(path).ok(), path);
  }
  BOOST_TEST(!ParsePathUpdate("api_key=K/field=1/data=" + std::string(256, 'x')).ok());
  BOOST_TEST((ParsePathUpdate("api_key=K/field=1/data=%FF").status().code() ==
              StatusCode::kInvalidEncoding));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
