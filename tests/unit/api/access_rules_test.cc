#include "api/access_rules.h"

#include <boost/test/unit_test.hpp>

namespace fieldpost {
namespace {

Channel Private(ChannelId id, std::string owner) {
  Channel channel;
  channel.id = id;
  channel.owner = std::move(owner);
  return channel;
}

KeyOwner UserKey(std::string name) { return {KeyKind::kUser, std::move(name), 0}; }
KeyOwner ChannelKey(KeyKind kind, ChannelId id) { return {kind, "", id}; }

BOOST_AUTO_TEST_SUITE(access_rules)

BOOST_AUTO_TEST_CASE(who_may_read_a_channel) {
  Channel open = Private(1, "ann");
  open.is_public = true;
  BOOST_TEST(MayRead(open, std::nullopt));
  BOOST_TEST(MayRead(open, ChannelKey(KeyKind::kRead, 99)));  // any key is ignored

  const Channel closed = Private(1, "ann");
  BOOST_TEST(!MayRead(closed, std::nullopt));
  BOOST_TEST(MayRead(closed, ChannelKey(KeyKind::kRead, 1)));
  BOOST_TEST(MayRead(closed, ChannelKey(KeyKind::kWrite, 1)));  // as ThingSpeak allows
  BOOST_TEST(!MayRead(closed, ChannelKey(KeyKind::kRead, 2)));
  BOOST_TEST(MayRead(closed, UserKey("ann")));
  BOOST_TEST(!MayRead(closed, UserKey("bob")));
  // A channel without an owner has no owner's key, whatever a user's name.
  BOOST_TEST(!MayRead(Private(1, ""), UserKey("")));
}

BOOST_AUTO_TEST_CASE(who_may_view_and_who_owns) {
  const Channel closed = Private(1, "ann");
  BOOST_TEST(IsOwner(closed, UserKey("ann")));
  BOOST_TEST(!IsOwner(closed, ChannelKey(KeyKind::kWrite, 1)));
  BOOST_TEST(MayView(closed, UserKey("ann")));
  BOOST_TEST(!MayView(closed, ChannelKey(KeyKind::kRead, 1)));  // settings: owner only
  Channel open = closed;
  open.is_public = true;
  BOOST_TEST(MayView(open, std::nullopt));
  BOOST_TEST(!IsOwner(open, std::nullopt));
}

BOOST_AUTO_TEST_CASE(the_channel_api_takes_only_user_keys) {
  BOOST_TEST(KeyUser(false, std::nullopt).status().message() ==
             "give your user API key as api_key");
  BOOST_TEST(KeyUser(true, std::nullopt).status().message() == "not a user API key");
  BOOST_TEST(!KeyUser(true, ChannelKey(KeyKind::kWrite, 1)).ok());
  BOOST_TEST(*KeyUser(true, UserKey("ann")) == "ann");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
