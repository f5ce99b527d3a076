#include "api/http_errors.h"

#include <boost/test/unit_test.hpp>
#include <string>

namespace fieldpost {
namespace {

std::string Everything(const Response& response) {
  std::string all = response.body;
  for (const auto& [name, value] : response.headers) all += "\n" + name + ": " + value;
  return all;
}

BOOST_AUTO_TEST_SUITE(http_errors)

// A failure of the server's own reaches the client as a fixed reason, in
// every style and format; its detail goes to the log.
BOOST_AUTO_TEST_CASE(internal_detail_stays_out_of_replies) {
  for (const Status& status :
       {Internal("cannot open /var/lib/fieldpost/data.mdb: Permission denied"),
        Status(StatusCode::kStorageFull, "mdb_txn_commit /var/lib/fieldpost: No space left")}) {
    for (ErrorStyle style : {ErrorStyle::kWriteReply, ErrorStyle::kReadReply,
                             ErrorStyle::kErrorObject, ErrorStyle::kPage}) {
      for (Format format : {Format::kNone, Format::kJson, Format::kXml}) {
        const std::string all = Everything(ErrorResponse(status, format, style));
        BOOST_TEST(all.find("/var/lib") == std::string::npos, all);
        BOOST_TEST(all.find("Permission") == std::string::npos, all);
        BOOST_TEST(all.find("No space") == std::string::npos, all);
      }
    }
  }
  BOOST_TEST(ClientReason(Internal("x: EIO")) == "internal error; the server's log says more");
}

// What the client did wrong is told as it is.
BOOST_AUTO_TEST_CASE(client_reasons_are_kept) {
  const Response response = ErrorResponse(InvalidArgument("field1 is longer than 255 bytes"),
                                          Format::kJson, ErrorStyle::kErrorObject);
  BOOST_TEST(Everything(response).find("field1 is longer than 255 bytes") != std::string::npos);
  BOOST_TEST(ClientReason(Unauthorized("unknown API key")) == "unknown API key");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
