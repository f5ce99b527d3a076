#include "storage/lmdb/key_codec.h"

#include <boost/test/unit_test.hpp>

namespace fieldpost {
namespace {

BOOST_AUTO_TEST_SUITE(key_codec)

BOOST_AUTO_TEST_CASE(byte_order_is_numeric_order) {
  BOOST_TEST(EntryKey(1, 255) < EntryKey(1, 256));
  BOOST_TEST(EntryKey(1, UINT64_MAX) < EntryKey(2, 1));
  BOOST_TEST(ChannelKey(255) < ChannelKey(256));
  BOOST_TEST(ByTimeKey(1, Timestamp{std::chrono::seconds(300)}, 9) <
             ByTimeKey(1, Timestamp{std::chrono::seconds(301)}, 1));
  BOOST_TEST(FieldLastKey(1, 8) < FieldLastKey(2, 1));
}

BOOST_AUTO_TEST_CASE(keys_round_trip) {
  const std::string key = EntryKey(7, 0x0102030405060708ULL);
  BOOST_TEST(key.size() == 12u);
  BOOST_TEST(KeyChannel(key) == 7u);
  BOOST_TEST(KeyEntry(key) == 0x0102030405060708ULL);
  const std::string by_time = ByTimeKey(3, Timestamp{std::chrono::seconds(1700000000)}, 42);
  BOOST_TEST(by_time.size() == 20u);
  BOOST_TEST(KeyChannel(by_time) == 3u);
  BOOST_TEST(KeyEntry(by_time) == 42u);
  BOOST_TEST(DecodeU32(EncodeU32(0xDEADBEEF)) == 0xDEADBEEFu);
}

BOOST_AUTO_TEST_CASE(station_keys_ignore_case) {
  BOOST_TEST(StationKey("alice", "6C:RF:7F") == StationKey("alice", "6c:rf:7f"));
  BOOST_TEST(StationKey("alice", "x") != StationKey("bob", "x"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
