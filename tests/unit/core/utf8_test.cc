#include "core/utf8.h"

#include <boost/test/unit_test.hpp>
#include <string>

namespace fieldpost {
namespace {

BOOST_AUTO_TEST_SUITE(utf8)

BOOST_AUTO_TEST_CASE(accepts_valid_sequences) {
  BOOST_TEST(IsValidUtf8(""));
  BOOST_TEST(IsValidUtf8("plain ascii"));
  BOOST_TEST(IsValidUtf8("\xC3\xA9"));              // é
  BOOST_TEST(IsValidUtf8("\xE2\x82\xAC"));          // €
  BOOST_TEST(IsValidUtf8("\xF0\x9F\x98\x80"));      // 😀
  BOOST_TEST(IsValidUtf8("\xF4\x8F\xBF\xBF"));      // U+10FFFF
  BOOST_TEST(IsValidUtf8(std::string("a\0b", 3)));  // NUL is valid UTF-8
}

BOOST_AUTO_TEST_CASE(rejects_invalid_sequences) {
  for (const char* bytes :
       {"\x80", "\xC3", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF0\x80\x80\x80",
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xE2\x82", "a\xC3(b"}) {
    BOOST_TEST(!IsValidUtf8(bytes));
  }
}

BOOST_AUTO_TEST_CASE(quote_bytes_escapes_what_a_one_line_message_cannot_hold) {
  BOOST_TEST(QuoteBytes("field9") == "'field9'");
  BOOST_TEST(QuoteBytes("caf\xC3\xA9") == "'caf\xC3\xA9'");  // valid UTF-8 stays
  BOOST_TEST(QuoteBytes(std::string("a\0b\n\r\t\x7F", 7)) == "'a\\x00b\\n\\r\\t\\x7F'");
  BOOST_TEST(QuoteBytes("it's a\\b") == "'it\\'s a\\\\b'");
  BOOST_TEST(QuoteBytes("\xFF\xC0\xAF") == "'\\xFF\\xC0\\xAF'");
  // NEL and CSI (C1 controls) and U+2028 break lines or drive terminals.
  BOOST_TEST(QuoteBytes("a\xC2\x85"
                        "b\xC2\x9B"
                        "c\xE2\x80\xA8") == "'a\\xC2\\x85b\\xC2\\x9Bc\\xE2\\x80\\xA8'");
  // Cut after max_chars characters, never inside one.
  BOOST_TEST(QuoteBytes("abcdef", 3) == "'abc...'");
  BOOST_TEST(QuoteBytes("\xC3\xA9\xC3\xA9\xC3\xA9", 2) == "'\xC3\xA9\xC3\xA9...'");
  BOOST_TEST(QuoteBytes("abc", 3) == "'abc'");
}

BOOST_AUTO_TEST_CASE(ascii_case_is_ignored_and_nothing_else) {
  BOOST_TEST(EqualsIgnoringAsciiCase("Chunked", "chunked"));
  BOOST_TEST(EqualsIgnoringAsciiCase("HTTP://", "http://"));
  BOOST_TEST(!EqualsIgnoringAsciiCase("chunked ", "chunked"));
  BOOST_TEST(!EqualsIgnoringAsciiCase("\xC3\x89", "\xC3\xA9"));  // É is not é here
  BOOST_TEST(!EqualsIgnoringAsciiCase("chunkee", "chunked"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
