// The rest of the ThingSpeak channel API over real HTTP: channel
// management with the user key (PUT and DELETE included), bulk updates,
// XML and CSV reads, CORS preflight.
#include "tests/integration/channel_api_scenario.h"

#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/integration/cli.h"
#include "tests/support/http_client.h"

namespace fieldpost::testing {
namespace {

std::size_t Count(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

void RunChannelApi(std::uint16_t port, const std::string& data_dir) {
  const std::string user_key = CreateUser(data_dir, "owner");
  const std::string key = "api_key=" + user_key;

  HttpReply created = Post(port, "/channels.json", key + "&name=Roof&field1=Wind&field2=Gust");
  BOOST_REQUIRE_MESSAGE(created.status == 200, created.raw);
  rapidjson::Document channel;
  channel.Parse(created.body.c_str());
  BOOST_REQUIRE(channel.IsObject());
  const std::string id = std::to_string(channel["id"].GetUint());
  const std::string write_key = channel["api_keys"][0]["api_key"].GetString();
  const std::string read_key = channel["api_keys"][1]["api_key"].GetString();
  BOOST_TEST(channel["api_keys"][0]["write_flag"].GetBool());
  const std::string path = "/channels/" + id;

  HttpReply bulk =
      Post(port, path + "/bulk_update.json",
           "{\"write_api_key\":\"" + write_key +
               "\",\"updates\":[{\"created_at\":\"2024-05-01 10:00:00\",\"field1\":3.5,"
               "\"field2\":\"a,\\\"b\\\"\"},{\"delta_t\":60,\"field1\":4}]}",
           {}, "application/json");
  // delta_t and created_at do not mix: the whole request is refused.
  BOOST_TEST(bulk.status == 400, bulk.raw);
  bulk = Post(
      port, path + "/bulk_update.json",
      "{\"write_api_key\":\"" + write_key +
          "\",\"updates\":[{\"created_at\":\"2024-05-01 10:00:00\",\"field1\":3.5,"
          "\"field2\":\"a,\\\"b\\\"\"},{\"created_at\":\"2024-05-01 10:01:00\",\"field1\":4}]}",
      {}, "application/json");
  BOOST_TEST(bulk.status == 202, bulk.raw);
  BOOST_TEST(bulk.body == "{\"success\":true}");
  HttpReply csv_bulk = Post(port, path + "/bulk_update.csv",
                            "write_api_key=" + write_key +
                                "&time_format=absolute&updates=2024-05-01%2010:02:00,5|"
                                "2024-05-01%2010:03:00,6");
  BOOST_TEST(csv_bulk.status == 202, csv_bulk.raw);

  const std::string read = "api_key=" + read_key;
  HttpReply csv = Get(port, path + "/feeds.csv?results=10&" + read);
  BOOST_TEST(csv.Header("Content-Type") == "text/csv; charset=utf-8");
  BOOST_TEST(csv.body.starts_with("created_at,entry_id,field1,field2\n"
                                  "2024-05-01 10:00:00 UTC,1,3.5,\"a,\"\"b\"\"\"\n"),
             csv.body);
  BOOST_TEST(Count(csv.body, "\n") == 5u);
  HttpReply xml = Get(port, path + "/feeds.xml?results=10&timezone=Europe%2FBerlin&" + read);
  BOOST_TEST(
      xml.body.find("<created-at type=\"dateTime\">2024-05-01T12:03:00+02:00</created-at>") !=
          std::string::npos,
      xml.body);
  HttpReply average = Get(port, path + "/fields/1.json?results=10&average=10&" + read);
  BOOST_TEST(average.body.find("{\"created_at\":\"2024-05-01T10:00:00Z\",\"field1\":\"4.625\"}") !=
                 std::string::npos,
             average.body);

  HttpReply renamed = Send(port, "PUT", path + ".json", key + "&name=Roof%20west");
  BOOST_TEST(renamed.status == 200);
  BOOST_TEST(renamed.body.find("\"name\":\"Roof west\"") != std::string::npos);
  HttpReply listed = Get(port, "/channels.json?" + key);
  BOOST_TEST(listed.body.find("\"name\":\"Roof west\"") != std::string::npos);

  HttpReply preflight = Send(port, "OPTIONS", path + "/feeds.json");
  BOOST_TEST(preflight.status == 200);
  BOOST_TEST(preflight.Header("Access-Control-Allow-Origin") == "*");

  HttpReply cleared = Send(port, "DELETE", path + "/feeds.json", key);
  BOOST_TEST(cleared.status == 200);
  BOOST_TEST(cleared.body == "[]");
  BOOST_TEST(Get(port, path + "/feeds/last.json?" + read).body == "-1");
  HttpReply deleted = Send(port, "DELETE", path + ".json", key);
  BOOST_TEST(deleted.status == 200);
  BOOST_TEST(Get(port, path + "/feeds.json?" + read).status == 404);
  BOOST_TEST(Send(port, "DELETE", path + ".json", "api_key=WRONG").status == 404);
  BOOST_TEST(Get(port, "/channels.json?api_key=WRONG").status == 401);
}

}  // namespace fieldpost::testing
