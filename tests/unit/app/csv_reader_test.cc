#include "app/csv_reader.h"

#include <boost/test/unit_test.hpp>
#include <sstream>

namespace fieldpost {
namespace {

std::vector<std::vector<std::string>> ReadAll(const std::string& text, Status* status = nullptr,
                                              std::vector<std::size_t>* lines = nullptr) {
  std::istringstream in(text);
  CsvReader reader(in);
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  while (reader.Next(fields)) {
    records.push_back(fields);
    if (lines != nullptr) lines->push_back(reader.line());
  }
  if (status != nullptr) *status = reader.status();
  return records;
}

using Records = std::vector<std::vector<std::string>>;

BOOST_AUTO_TEST_SUITE(csv_reader)

BOOST_AUTO_TEST_CASE(plain_and_quoted_fields_with_either_line_end) {
  std::vector<std::size_t> lines;
  const Records records = ReadAll(
      "created_at,entry_id,status\r\n"
      "2014-02-26 21:27:21 UTC,1,\"a, \"\"b\"\"\nc\"\r\n"
      "2014-02-26 21:27:22 UTC,2,\n"
      "x,,last",
      nullptr, &lines);
  BOOST_REQUIRE_EQUAL(records.size(), 4u);
  BOOST_TEST((records[0] == std::vector<std::string>{"created_at", "entry_id", "status"}));
  BOOST_TEST(
      (records[1] == std::vector<std::string>{"2014-02-26 21:27:21 UTC", "1", "a, \"b\"\nc"}));
  BOOST_TEST((records[2] == std::vector<std::string>{"2014-02-26 21:27:22 UTC", "2", ""}));
  BOOST_TEST((records[3] == std::vector<std::string>{"x", "", "last"}));
  // A quoted line break does not start a record.
  BOOST_TEST((lines == std::vector<std::size_t>{1, 2, 4, 5}));
}

BOOST_AUTO_TEST_CASE(malformed_records_say_where) {
  Status status;
  Records records = ReadAll("a,b\n\"open,c\n", &status);
  BOOST_TEST(records.size() == 1u);
  BOOST_TEST(status.message() == "line 2: a quoted field is not closed");
  records = ReadAll("a\n\"x\"y,z\n", &status);
  BOOST_TEST(records.size() == 1u);
  BOOST_TEST(status.message() == "line 2: text after a quoted field's closing quote");
}

BOOST_AUTO_TEST_CASE(empty_input_has_no_records) {
  Status status;
  BOOST_TEST(ReadAll("", &status).empty());
  BOOST_TEST(status.ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
