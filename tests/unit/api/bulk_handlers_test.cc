#include "api/bulk_handlers.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/unit/api/api_fixture.h"

namespace fieldpost {
namespace {

struct BulkFixture : testing::ApiFixture {
  Response PostJson(const std::string& body) {
    return Call("POST", "/channels/1/bulk_update.json", body,
                {{"content-type", "application/json"}});
  }
};

BOOST_FIXTURE_TEST_SUITE(bulk_handlers, BulkFixture)

BOOST_AUTO_TEST_CASE(json_bulk_is_202_and_stores_everything) {
  Response response =
      PostJson("{\"write_api_key\":\"" + private_channel.write_key +
               "\",\"updates\":[{\"created_at\":\"2020-01-01 00:00:00\",\"field1\":21.50},"
               "{\"created_at\":1577836860,\"field1\":\"22\",\"status\":\"ok\"}]}");
  BOOST_TEST(response.status == 202);
  BOOST_TEST(response.body == "{\"success\":true}");
  BOOST_TEST(EntryCount(1) == 2u);
  BOOST_TEST(Get("/channels/1/fields/1/last.txt?api_key=" + private_channel.read_key).body == "22");
  BOOST_TEST(Get("/channels/1/feeds/1.json?api_key=" + private_channel.read_key)
                 .body.find("\"field1\":\"21.50\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(csv_bulk_is_202) {
  Response response =
      Call("POST", "/channels/1/bulk_update.csv",
           "write_api_key=" + private_channel.write_key +
               "&time_format=absolute&updates=2020-01-01%2000:00:00,1,2|2020-01-01%2000:01:00,3");
  BOOST_TEST(response.status == 202, response.body);
  BOOST_TEST(EntryCount(1) == 2u);
}

BOOST_AUTO_TEST_CASE(any_bad_update_rejects_the_request_and_stores_nothing) {
  const std::string key = private_channel.write_key;
  const std::string good = "{\"created_at\":\"2020-01-01 00:00:00\",\"field1\":1}";
  struct Case {
    std::string body;
    int status;
  };
  const Case cases[] = {
      {"{\"write_api_key\":\"WRONG\",\"updates\":[" + good + "]}", 401},
      {"{\"write_api_key\":\"" + private_channel.read_key + "\",\"updates\":[" + good + "]}", 401},
      {"{\"updates\":[" + good + "]}", 401},
      {"{\"write_api_key\":\"" + key + "\",\"updates\":[" + good +
           ",{\"created_at\":\"2020-01-01 00:01:00\",\"field1\":\"" + std::string(256, 'x') +
           "\"}]}",
       400},
      {"{\"write_api_key\":\"" + key + "\",\"updates\":[" + good + "," + good + "]}", 400},
      {"{\"write_api_key\":\"" + key + "\",\"updates\":[]}", 400},
      {"not json", 400},
  };
  for (const Case& c : cases) {
    Response response = PostJson(c.body);
    BOOST_TEST(response.status == c.status, c.body.substr(0, 120));
    BOOST_TEST(response.body.find("\"error\":{\"error_code\"") != std::string::npos);
  }
  BOOST_TEST(EntryCount(1) == 0u);
  BOOST_TEST(Call("POST", "/channels/99/bulk_update.json", "{}").status == 404);
  Request huge;
  huge.method = "POST";
  huge.path = "/channels/1/bulk_update.json";
  huge.body = std::string(4 * 1024 * 1024 + 1, ' ');
  BOOST_TEST(api->Handle(huge).status == 413);
}

BOOST_AUTO_TEST_CASE(delta_t_times_may_share_a_second_with_earlier_writes) {
  // A plain write, then bulks whose computed times span the 3 seconds up to
  // the request: one of them falls in the plain write's second unless the
  // test stalls for seconds.
  BOOST_REQUIRE(Get("/update?api_key=" + private_channel.write_key + "&field1=1").body == "1");
  Response json =
      PostJson("{\"write_api_key\":\"" + private_channel.write_key +
               "\",\"updates\":[{\"delta_t\":0,\"field1\":2},{\"delta_t\":1,\"field1\":3},"
               "{\"delta_t\":1,\"field1\":4},{\"delta_t\":1,\"field1\":5}]}");
  BOOST_TEST(json.status == 202, json.body);
  BOOST_TEST(EntryCount(1) == 5u);
  Response csv = Call("POST", "/channels/1/bulk_update.csv",
                      "write_api_key=" + private_channel.write_key +
                          "&time_format=relative&updates=0,6|1,7|1,8|1,9");
  BOOST_TEST(csv.status == 202, csv.body);
  BOOST_TEST(EntryCount(1) == 9u);
  BOOST_TEST(Get("/channels/1/fields/1/last.txt?api_key=" + private_channel.read_key).body == "9");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
