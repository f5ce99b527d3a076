#include "api/channel_handlers.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/unit/api/api_fixture.h"

namespace fieldpost {
namespace {

BOOST_FIXTURE_TEST_SUITE(channel_handlers, testing::ApiFixture)

BOOST_AUTO_TEST_CASE(create_list_view_update_clear_delete) {
  const std::string key = "api_key=" + user.api_key;
  Response created =
      Call("POST", "/channels.json",
           key + "&name=Roof&field1=Wind&public_flag=true&latitude=52.5&tags=a,%20b");
  BOOST_TEST(created.status == 200);
  BOOST_TEST(created.body.starts_with("{\"id\":3,\"name\":\"Roof\",\"description\":\"\","
                                      "\"latitude\":\"52.5\""),
             created.body);
  BOOST_TEST(created.body.find("\"public_flag\":true") != std::string::npos);
  BOOST_TEST(created.body.find("\"tags\":[{\"name\":\"a\"},{\"name\":\"b\"}]") !=
             std::string::npos);
  BOOST_TEST(created.body.find("\"write_flag\":true") != std::string::npos);
  BOOST_TEST(created.body.find("\"write_flag\":false") != std::string::npos);

  Response list = Get("/channels.json?" + key);
  BOOST_TEST(list.body.starts_with("[{\"id\":1,\"name\":\"garden\""), list.body);
  BOOST_TEST(list.body.find("\"id\":3,") != std::string::npos);
  BOOST_TEST(list.body.find("\"id\":2,") == std::string::npos);  // not alice's

  // The public view has no keys; the owner's view has them.
  Response view = Get("/channels/3.json");
  BOOST_TEST(view.status == 200);
  BOOST_TEST(view.body.find("api_keys") == std::string::npos);
  BOOST_TEST(Get("/channels/3.json?" + key).body.find("api_keys") != std::string::npos);
  BOOST_TEST(Get("/channels/1.json").status == 401);  // private

  Response updated = Call("PUT", "/channels/3.json", key + "&description=on%20the%20roof");
  BOOST_TEST(updated.status == 200);
  BOOST_TEST(updated.body.find("\"name\":\"Roof\",\"description\":\"on the roof\"") !=
             std::string::npos);

  const std::string write = "/update?api_key=";
  auto snapshot = store->OpenSnapshot();
  const std::string write_key = (*(*snapshot)->FindChannel(3))->write_key;
  snapshot->reset();
  BOOST_REQUIRE(Get(write + write_key + "&field1=3").body == "1");
  BOOST_REQUIRE(Get(write + write_key + "&field1=4").body == "2");
  Response cleared = Call("DELETE", "/channels/3/feeds.json", key);
  BOOST_TEST(cleared.status == 200);
  BOOST_TEST(cleared.body == "[]");
  BOOST_TEST(EntryCount(3) == 0u);
  BOOST_TEST(Get(write + write_key + "&field1=5").body == "1");

  Response deleted = Call("DELETE", "/channels/3.json", key);
  BOOST_TEST(deleted.status == 200);
  BOOST_TEST(deleted.body.find("\"name\":\"Roof\"") != std::string::npos);
  BOOST_TEST(Get("/channels/3/feeds.json").status == 404);
  BOOST_TEST(Get(write + write_key + "&field1=6").body == "0");
}

BOOST_AUTO_TEST_CASE(a_bad_user_key_is_401_with_an_error_object) {
  for (const std::string& key :
       {std::string(), std::string("api_key=NOPE"), "api_key=" + private_channel.write_key}) {
    Response response = Get("/channels.json?" + key);
    BOOST_TEST(response.status == 401, key);
    BOOST_TEST(response.body.find("\"error_code\":\"error_auth_required\"") != std::string::npos);
  }
  BOOST_TEST(Call("POST", "/channels.json", "name=x").status == 401);
  // Another user's key cannot touch alice's channel, nor can a channel key.
  auto bob = store->CreateUser({"bob", ""});
  BOOST_REQUIRE(bob.ok());
  BOOST_TEST(Call("PUT", "/channels/1.json", "api_key=" + bob->api_key + "&name=x").status == 401);
  BOOST_TEST(Call("DELETE", "/channels/1.json", "api_key=" + bob->api_key).status == 401);
  BOOST_TEST(
      Call("DELETE", "/channels/1/feeds.json", "api_key=" + private_channel.write_key).status ==
      401);
  BOOST_TEST(Call("DELETE", "/channels/99.json", "api_key=" + user.api_key).status == 404);
  BOOST_TEST(Call("PUT", "/channels/1.json", "api_key=" + user.api_key + "&latitude=95").status ==
             400);
  BOOST_TEST(
      Call("PUT", "/channels/1.json", "api_key=" + user.api_key + "&public_flag=maybe").status ==
      400);
  auto snapshot = store->OpenSnapshot();
  BOOST_TEST((*(*snapshot)->FindChannel(1))->name == "garden");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
