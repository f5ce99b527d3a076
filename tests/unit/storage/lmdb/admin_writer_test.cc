#include "storage/lmdb/admin_writer.h"

#include <boost/test/unit_test.hpp>

#include "storage/lmdb/lmdb_store.h"
#include "tests/support/temp_dir.h"

namespace fieldpost {
namespace {

struct AdminFixture {
  AdminFixture() {
    StorageOptions options;
    options.data_dir = dir / "data";
    auto opened = LmdbStore::Open(options);
    BOOST_REQUIRE(opened.ok());
    store = std::move(opened).value();
    for (const char* name : {"alice", "bob"}) {
      auto user = store->CreateUser(NewUser{name, ""});
      BOOST_REQUIRE(user.ok());
      (std::string(name) == "alice" ? alice : bob) = *user;
    }
  }

  Result<Entry> Write(const std::string& key, const std::string& station = "") {
    EntryWrite write;
    write.api_key = key;
    write.station = station;
    write.data.fields[0] = "1";
    return store->Append(write);
  }

  std::optional<KeyOwner> Key(const std::string& key) {
    auto snapshot = store->OpenSnapshot();
    BOOST_REQUIRE(snapshot.ok());
    auto owner = (*snapshot)->FindKey(key);
    BOOST_REQUIRE(owner.ok());
    return *owner;
  }

  testing::TempDir dir;
  std::unique_ptr<LmdbStore> store;
  User alice, bob;
};

BOOST_FIXTURE_TEST_SUITE(admin_writer, AdminFixture)

BOOST_AUTO_TEST_CASE(a_regenerated_channel_key_replaces_the_old_one_at_once) {
  NewChannel request;
  request.name = "c";
  auto channel = store->CreateChannel(request);
  BOOST_REQUIRE(channel.ok());
  auto renewed = store->RegenerateChannelKey(channel->id, KeyKind::kWrite);
  BOOST_REQUIRE(renewed.ok());
  BOOST_TEST(renewed->write_key != channel->write_key);
  BOOST_TEST(renewed->read_key == channel->read_key);
  BOOST_TEST((Write(channel->write_key).status().code() == StatusCode::kUnauthorized));
  BOOST_TEST(Write(renewed->write_key).ok());
  auto read = store->RegenerateChannelKey(channel->id, KeyKind::kRead);
  BOOST_REQUIRE(read.ok());
  BOOST_TEST(!Key(channel->read_key).has_value());
  BOOST_TEST((Key(read->read_key)->kind == KeyKind::kRead));
  BOOST_TEST(
      (store->RegenerateChannelKey(99, KeyKind::kRead).status().code() == StatusCode::kNotFound));
}

BOOST_AUTO_TEST_CASE(a_regenerated_user_key_replaces_the_old_one) {
  auto renewed = store->RegenerateUserKey("alice");
  BOOST_REQUIRE(renewed.ok());
  BOOST_TEST(renewed->api_key != alice.api_key);
  BOOST_TEST(!Key(alice.api_key).has_value());
  BOOST_TEST(Key(renewed->api_key)->user == "alice");
  BOOST_TEST((store->RegenerateUserKey("carol").status().code() == StatusCode::kNotFound));
}

// A station's channel moves with its station: the new owner's key writes to
// the same channel, the old owner's makes a new one.
BOOST_AUTO_TEST_CASE(a_station_channel_moves_to_its_new_owner) {
  auto first = Write(alice.api_key, "station-1");
  BOOST_REQUIRE(first.ok());
  const ChannelId id = first->channel_id;
  auto moved = store->SetChannelOwner(id, "bob");
  BOOST_REQUIRE(moved.ok());
  BOOST_TEST(moved->owner == "bob");
  auto by_bob = Write(bob.api_key, "station-1");
  BOOST_REQUIRE(by_bob.ok());
  BOOST_TEST(by_bob->channel_id == id);
  BOOST_TEST(by_bob->entry_id == 2u);
  auto by_alice = Write(alice.api_key, "station-1");
  BOOST_REQUIRE(by_alice.ok());
  BOOST_TEST(by_alice->channel_id != id);
  BOOST_TEST((store->SetChannelOwner(id, "carol").status().code() == StatusCode::kNotFound));
  BOOST_TEST(store->SetChannelOwner(id, "").ok());
}

// Two channels of one owner and station would both claim its readings.
BOOST_AUTO_TEST_CASE(a_station_channel_does_not_move_onto_another_of_its_station) {
  auto alices = Write(alice.api_key, "station-1");
  auto bobs = Write(bob.api_key, "station-1");
  BOOST_REQUIRE(alices.ok());
  BOOST_REQUIRE(bobs.ok());
  auto moved = store->SetChannelOwner(alices->channel_id, "bob");
  BOOST_TEST((moved.status().code() == StatusCode::kInvalidArgument));
  BOOST_TEST(moved.status().message().find("has a channel of station station-1 already") !=
             std::string::npos);
  // Each station still writes to its own channel.
  BOOST_TEST(Write(bob.api_key, "station-1")->channel_id == bobs->channel_id);
  BOOST_TEST(Write(alice.api_key, "station-1")->channel_id == alices->channel_id);
}

BOOST_AUTO_TEST_CASE(a_user_who_owns_channels_is_not_deleted) {
  NewChannel request;
  request.name = "c";
  request.owner = "alice";
  auto channel = store->CreateChannel(request);
  BOOST_REQUIRE(channel.ok());
  auto refused = store->DeleteUser("alice");
  BOOST_TEST((refused.status().code() == StatusCode::kInvalidArgument));
  BOOST_TEST(refused.status().message().find("owns channels " + std::to_string(channel->id)) !=
             std::string::npos);
  BOOST_REQUIRE(store->SetChannelOwner(channel->id, "bob").ok());
  BOOST_TEST(store->DeleteUser("alice").ok());
  BOOST_TEST(!Key(alice.api_key).has_value());
  auto users = store->ListUsers();
  BOOST_REQUIRE(users.ok());
  BOOST_REQUIRE_EQUAL(users->size(), 1u);
  BOOST_TEST(users->front().name == "bob");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
