#include "storage/lmdb/relay_codec.h"

#include <boost/test/unit_test.hpp>

namespace fieldpost {
namespace {

BOOST_AUTO_TEST_SUITE(relay_codec)

BOOST_AUTO_TEST_CASE(append_request_round_trips_with_and_without_a_time) {
  EntryWrite write;
  write.api_key = "ABCDEFGHIJKLMNOP";
  write.station = "esp-17";
  write.data.fields[2] = "21.5";
  write.data.status = std::string("ok");
  for (const bool timed : {false, true}) {
    if (timed) write.created_at = Timestamp{std::chrono::seconds(1700000123)};
    std::uint64_t id = 0;
    EntryWrite decoded;
    decoded.created_at = Timestamp{};  // must be reset when absent
    BOOST_REQUIRE(DecodeAppendRequest(EncodeAppendRequest(900'000'000'001, write), id, decoded));
    BOOST_TEST(id == 900'000'000'001u);
    BOOST_TEST(decoded.api_key == write.api_key);
    BOOST_TEST(decoded.station == write.station);
    BOOST_TEST((decoded.created_at == write.created_at));
    BOOST_TEST((decoded.data.fields == write.data.fields));
    BOOST_TEST(*decoded.data.status == "ok");
    BOOST_TEST(!decoded.data.latitude.has_value());
  }
}

BOOST_AUTO_TEST_CASE(append_reply_carries_the_entry_or_the_refusal) {
  Entry entry;
  entry.channel_id = 4000000000u;
  entry.entry_id = 77;
  entry.created_at = Timestamp{std::chrono::seconds(1700000000)};
  entry.data.fields[0] = "1";
  std::uint64_t id = 0;
  Result<Entry> decoded{Status()};
  BOOST_REQUIRE(DecodeAppendReply(EncodeAppendReply(5, entry), id, decoded));
  BOOST_TEST(id == 5u);
  BOOST_REQUIRE(decoded.ok());
  BOOST_TEST(decoded->channel_id == 4000000000u);
  BOOST_TEST(decoded->entry_id == 77u);
  BOOST_TEST((decoded->created_at == entry.created_at));
  BOOST_TEST(*decoded->data.fields[0] == "1");

  const Result<Entry> refused = Status(StatusCode::kTooManyRequests, "wait 15 s");
  BOOST_REQUIRE(DecodeAppendReply(EncodeAppendReply(6, refused), id, decoded));
  BOOST_TEST(id == 6u);
  BOOST_TEST(!decoded.ok());
  BOOST_TEST((decoded.status().code() == StatusCode::kTooManyRequests));
  BOOST_TEST(decoded.status().message() == "wait 15 s");
}

BOOST_AUTO_TEST_CASE(truncated_or_foreign_messages_are_refused) {
  EntryWrite write;
  write.api_key = "K";
  write.data.fields[0] = "1";
  const std::string request = EncodeAppendRequest(1, write);
  std::uint64_t id = 0;
  EntryWrite decoded;
  for (std::size_t size = 0; size < request.size(); ++size) {
    BOOST_TEST(!DecodeAppendRequest(request.substr(0, size), id, decoded));
  }
  BOOST_TEST(!DecodeAppendRequest(request + "x", id, decoded));
  Result<Entry> reply{Status()};
  BOOST_TEST(!DecodeAppendReply(request, id, reply));  // a request is not a reply
  std::string unknown_code = EncodeAppendReply(1, Status(StatusCode::kInternal, ""));
  unknown_code[2] = 99;
  BOOST_TEST(!DecodeAppendReply(unknown_code, id, reply));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
