#include "storage/lmdb/record_codec.h"

#include <boost/test/unit_test.hpp>

namespace fieldpost {
namespace {

BOOST_AUTO_TEST_SUITE(record_codec)

BOOST_AUTO_TEST_CASE(entry_round_trips_with_absent_values) {
  Entry entry;
  entry.created_at = Timestamp{std::chrono::seconds(1700000000)};
  entry.data.fields[0] = "72.3";
  entry.data.fields[7] = "";
  entry.data.longitude = "-13.4";
  entry.data.status = std::string("with \"quotes\" and \xC3\xA9");
  const std::string record = EncodeEntry(entry);
  Entry decoded;
  BOOST_REQUIRE(DecodeEntry(record, decoded).ok());
  BOOST_TEST((decoded.created_at == entry.created_at));
  BOOST_TEST((decoded.data.fields == entry.data.fields));
  BOOST_TEST(!decoded.data.latitude.has_value());
  BOOST_TEST(*decoded.data.longitude == "-13.4");
  BOOST_TEST(*decoded.data.status == *entry.data.status);
}

BOOST_AUTO_TEST_CASE(one_field_reading_is_compact) {
  Entry entry;
  entry.created_at = Timestamp{std::chrono::seconds(1700000000)};
  entry.data.fields[0] = "72.3";
  // format + 5-byte time + mask + length-prefixed value.
  BOOST_TEST(EncodeEntry(entry).size() == 12u);
}

BOOST_AUTO_TEST_CASE(channel_and_user_round_trip) {
  Channel channel;
  channel.name = "garden";
  channel.description = "d";
  channel.field_names[2] = "wind";
  channel.is_public = true;
  channel.write_key = "W";
  channel.read_key = "R";
  channel.owner = "alice";
  channel.station = "6c:rf";
  channel.created_at = Timestamp{std::chrono::seconds(5)};
  Channel decoded;
  BOOST_REQUIRE(DecodeChannel(EncodeChannel(channel), decoded).ok());
  BOOST_TEST(decoded.name == "garden");
  BOOST_TEST(decoded.field_names[2] == "wind");
  BOOST_TEST(decoded.is_public);
  BOOST_TEST(decoded.station == "6c:rf");
  BOOST_TEST((decoded.created_at == channel.created_at));

  User user{"alice", "KEY", Timestamp{std::chrono::seconds(9)}};
  User decoded_user;
  BOOST_REQUIRE(DecodeUser(EncodeUser(user), decoded_user).ok());
  BOOST_TEST(decoded_user.api_key == "KEY");

  KeyOwner owner;
  BOOST_REQUIRE(DecodeKeyOwner(EncodeKeyOwner({KeyKind::kRead, "", 77}), owner).ok());
  BOOST_TEST((owner.kind == KeyKind::kRead));
  BOOST_TEST(owner.channel_id == 77u);
}

BOOST_AUTO_TEST_CASE(the_write_interval_reads_alone_from_new_and_old_records) {
  Channel channel;
  channel.name = "n";
  channel.field_names[7] = "eighth";
  channel.url = "https://example.com";
  channel.min_write_interval_s = 15;
  std::uint32_t interval = 0;
  BOOST_REQUIRE(DecodeChannelWriteInterval(EncodeChannel(channel), interval).ok());
  BOOST_TEST(interval == 15u);

  // A record from before the extra settings and the interval existed ends
  // after the station: no interval.
  channel.min_write_interval_s = 0;
  const std::string full = EncodeChannel(channel);
  // Five empty extras, the url with its length byte, the interval and the
  // retention.
  const std::string old = full.substr(0, full.size() - (5 + 1 + channel.url.size() + 2));
  Channel decoded;
  BOOST_REQUIRE(DecodeChannel(old, decoded).ok());
  interval = 99;
  BOOST_REQUIRE(DecodeChannelWriteInterval(old, interval).ok());
  BOOST_TEST(interval == 0u);

  // Cut anywhere inside the strings, it is corrupt, as DecodeChannel says.
  for (std::size_t cut = 1; cut <= full.size(); ++cut) {
    Channel partial;
    const bool whole = DecodeChannel(full.substr(0, cut), partial).ok();
    BOOST_TEST(DecodeChannelWriteInterval(full.substr(0, cut), interval).ok() == whole, cut);
  }
}

// The access record views the owner where it lies in the record, and agrees
// with DecodeChannel on which records are whole.
BOOST_AUTO_TEST_CASE(the_access_record_reads_alone_from_new_and_old_records) {
  Channel channel;
  channel.name = "weather";
  channel.field_names[0] = "temperature";
  channel.write_key = "WWWWWWWWWWWWWWWW";
  channel.read_key = "RRRRRRRRRRRRRRRR";
  channel.owner = "alice";
  channel.station = "AA:BB";
  channel.tags = "roof";
  channel.retention_days = 30;
  for (const bool is_public : {false, true}) {
    channel.is_public = is_public;
    const std::string record = EncodeChannel(channel);
    ChannelAccess access;
    BOOST_REQUIRE(DecodeChannelAccess(record, access).ok());
    BOOST_TEST(access.is_public == is_public);
    BOOST_TEST(access.owner == "alice");
    BOOST_TEST((access.owner.data() >= record.data() &&
                access.owner.data() < record.data() + record.size()),
               "the owner is a view into the record");
  }
  const std::string full = EncodeChannel(channel);
  for (std::size_t cut = 1; cut <= full.size(); ++cut) {
    const std::string part = full.substr(0, cut);  // what the view points into
    Channel partial;
    ChannelAccess access;
    const bool whole = DecodeChannel(part, partial).ok();
    BOOST_TEST(DecodeChannelAccess(part, access).ok() == whole, cut);
    if (whole) BOOST_TEST(access.owner == "alice");
  }
}

BOOST_AUTO_TEST_CASE(the_retention_round_trips_and_is_absent_from_older_records) {
  Channel channel;
  channel.name = "n";
  channel.min_write_interval_s = 20;
  channel.retention_days = 400;  // two varint bytes
  const std::string full = EncodeChannel(channel);
  Channel decoded;
  BOOST_REQUIRE(DecodeChannel(full, decoded).ok());
  BOOST_TEST(decoded.retention_days == 400u);
  BOOST_TEST(decoded.min_write_interval_s == 20u);
  std::uint32_t interval = 0;
  BOOST_REQUIRE(DecodeChannelWriteInterval(full, interval).ok());
  BOOST_TEST(interval == 20u);

  // Written before the retention existed: the record ends after the interval.
  const std::string old = full.substr(0, full.size() - 2);
  Channel before;
  BOOST_REQUIRE(DecodeChannel(old, before).ok());
  BOOST_TEST(before.retention_days == 0u);
  BOOST_TEST(before.min_write_interval_s == 20u);
  interval = 0;
  BOOST_REQUIRE(DecodeChannelWriteInterval(old, interval).ok());
  BOOST_TEST(interval == 20u);
}

BOOST_AUTO_TEST_CASE(corrupt_records_are_errors_not_crashes) {
  Entry entry;
  entry.data.fields[0] = "72.3";
  const std::string record = EncodeEntry(entry);
  for (std::size_t cut = 0; cut < record.size(); ++cut) {
    Entry decoded;
    BOOST_TEST(!DecodeEntry(record.substr(0, cut), decoded).ok());
  }
  Entry decoded;
  BOOST_TEST(!DecodeEntry(record + "x", decoded).ok());
  BOOST_TEST(!DecodeEntry("\x02", decoded).ok());
  BOOST_TEST(!DecodeEntry(std::string("\x01\x00\xFF\xFF\x7F", 5), decoded).ok());
  Channel channel;
  BOOST_TEST(!DecodeChannel("\x01\x00", channel).ok());
  KeyOwner owner;
  BOOST_TEST(!DecodeKeyOwner("", owner).ok());
  BOOST_TEST(!DecodeKeyOwner("\x02\x01", owner).ok());
  BOOST_TEST(!DecodeKeyOwner("\x09\x01\x02\x03\x04", owner).ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
