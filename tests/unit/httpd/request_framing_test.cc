#include "httpd/request_framing.h"

#include <boost/test/unit_test.hpp>

namespace fieldpost {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

StatusCode Code(const Headers& headers, bool http_1_0 = false) {
  return CheckFraming(headers, http_1_0).status().code();
}

BOOST_AUTO_TEST_SUITE(request_framing)

BOOST_AUTO_TEST_CASE(one_length_or_chunked_is_read) {
  auto none = CheckFraming({{"host", "x"}}, false);
  BOOST_REQUIRE(none.ok());
  BOOST_TEST(!none->has_value());
  auto length = CheckFraming({{"content-length", " 35 "}}, false);
  BOOST_REQUIRE(length.ok());
  BOOST_TEST(**length == 35u);
  auto chunked = CheckFraming({{"transfer-encoding", "Chunked"}}, false);
  BOOST_REQUIRE(chunked.ok());
  BOOST_TEST(!chunked->has_value());
}

BOOST_AUTO_TEST_CASE(framing_two_parties_could_read_differently_is_refused) {
  const auto bad = StatusCode::kInvalidArgument;
  BOOST_TEST((Code({{"content-length", "35"}, {"content-length", "5"}}) == bad));
  BOOST_TEST((Code({{"content-length", "5"}, {"content-length", "5"}}) == bad));
  BOOST_TEST((Code({{"content-length", "5"}, {"transfer-encoding", "chunked"}}) == bad));
  BOOST_TEST((Code({{"transfer-encoding", "chunked"}, {"transfer-encoding", "chunked"}}) == bad));
  BOOST_TEST((Code({{"transfer-encoding", "chunked"}}, true) == bad));
  for (const char* length : {"", "abc", "35, 35", "-1", "1e3", "99999999999999999999999"}) {
    BOOST_TEST((Code({{"content-length", length}}) == bad), length);
  }
}

BOOST_AUTO_TEST_CASE(a_coding_other_than_chunked_is_not_implemented) {
  for (const char* coding :
       {"gzip, chunked", "gzip", "foo", "chunked, chunked", "", "chunked ", "chunked\t"}) {
    BOOST_TEST((Code({{"transfer-encoding", coding}}) == StatusCode::kNotImplemented), coding);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
