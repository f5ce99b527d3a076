#include "api/form_parser.h"

#include <boost/test/unit_test.hpp>

namespace fieldpost {
namespace {

BOOST_AUTO_TEST_SUITE(form_parser)

BOOST_AUTO_TEST_CASE(decodes_pairs_in_order) {
  auto params = ParseFormEncoded("api_key=K&field1=72.3&field1=9&status=a+b%20c&empty=&bare");
  BOOST_REQUIRE(params.ok());
  BOOST_TEST(params->size() == 6u);
  BOOST_TEST(*FindParam(*params, "api_key") == "K");
  BOOST_TEST(*FindParam(*params, "field1") == "72.3");  // the first one wins
  BOOST_TEST(*FindParam(*params, "status") == "a b c");
  BOOST_TEST(*FindParam(*params, "empty") == "");
  BOOST_TEST(*FindParam(*params, "bare") == "");
  BOOST_TEST(FindParam(*params, "missing") == nullptr);
}

BOOST_AUTO_TEST_CASE(skips_empty_pieces) {
  auto params = ParseFormEncoded("&&a=1&&");
  BOOST_REQUIRE(params.ok());
  BOOST_TEST(params->size() == 1u);
}

BOOST_AUTO_TEST_CASE(keeps_raw_text_from_unencoding_clients) {
  // The Arduino library sends String values unencoded.
  auto params = ParseFormEncoded("status=it is 20 C&field1=23.50000&headers=false\n");
  BOOST_REQUIRE(params.ok());
  BOOST_TEST(*FindParam(*params, "status") == "it is 20 C");
  BOOST_TEST(*FindParam(*params, "headers") == "false\n");
}

BOOST_AUTO_TEST_CASE(rejects_malformed_percent_escapes) {
  for (const char* text : {"a=%", "a=%4", "a=%G1", "a=1%zz", "%=1"}) {
    auto params = ParseFormEncoded(text);
    BOOST_TEST(!params.ok(), text);
    BOOST_TEST((params.status().code() == StatusCode::kInvalidArgument), text);
  }
}

BOOST_AUTO_TEST_CASE(rejects_invalid_utf8_as_encoding_error) {
  for (const char* text : {"a=%FF", "a=%C3%28", "a=%ED%A0%80", "a=%C0%AF"}) {
    auto params = ParseFormEncoded(text);
    BOOST_TEST(!params.ok(), text);
    BOOST_TEST((params.status().code() == StatusCode::kInvalidEncoding), text);
  }
  BOOST_TEST(ParseFormEncoded("a=%C3%A9%E2%82%AC%F0%9F%98%80").ok());  // é € 😀
}

BOOST_AUTO_TEST_CASE(path_decoding_keeps_plus) {
  auto value = PercentDecode("a+b%2B", false);
  BOOST_REQUIRE(value.ok());
  BOOST_TEST(*value == "a+b+");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
