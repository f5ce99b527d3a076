#include "api/update_handlers.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "api/router.h"
#include "tests/unit/api/api_fixture.h"

namespace fieldpost {
namespace {

using testing::ApiFixture;

std::string Header(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

BOOST_FIXTURE_TEST_SUITE(update_handlers, ApiFixture)

// What the nginx module on a database runs on its event loop: the writes,
// which read nothing before they are handed over, and nothing else.
BOOST_AUTO_TEST_CASE(only_updates_are_deferred_writes) {
  const auto deferred = [](const std::string& method, const std::string& path) {
    Request request;
    request.method = method;
    request.path = path;
    return IsDeferredWrite(request);
  };
  BOOST_TEST(deferred("GET", "/update"));
  BOOST_TEST(deferred("POST", "/update.json"));
  BOOST_TEST(deferred("GET", "/update/1234ABCD/field1/20"));
  BOOST_TEST(!deferred("DELETE", "/update"));
  BOOST_TEST(!deferred("GET", "/channels/1/fields/1/last.txt"));
  BOOST_TEST(!deferred("POST", "/channels/1/bulk_update.json"));
  BOOST_TEST(!deferred("GET", ""));
}

BOOST_AUTO_TEST_CASE(text_update_answers_the_entry_id) {
  const std::string key = private_channel.write_key;
  Response first = Get("/update?api_key=" + key + "&field1=72.3");
  BOOST_TEST(first.status == 200);
  BOOST_TEST(first.body == "1");
  BOOST_TEST(first.content_type == "text/plain; charset=utf-8");
  BOOST_TEST(Get("/update.txt?api_key=" + key + "&field1=73").body == "2");
  BOOST_TEST(EntryCount(private_channel.id) == 2u);
  // Entry ids count per channel.
  BOOST_TEST(Get("/update?api_key=" + public_channel.write_key + "&field1=1").body == "1");
}

BOOST_AUTO_TEST_CASE(json_update_answers_the_entry_object) {
  Response response = Get("/update.json?api_key=" + private_channel.write_key +
                          "&field1=72.3&status=ok&lat=1.5&created_at=2020-01-02T03:04:05Z");
  BOOST_TEST(response.status == 200);
  BOOST_TEST(response.content_type == "application/json; charset=utf-8");
  BOOST_TEST(response.body ==
             "{\"channel_id\":1,\"field1\":\"72.3\",\"field2\":null,\"field3\":null,"
             "\"field4\":null,\"field5\":null,\"field6\":null,\"field7\":null,\"field8\":null,"
             "\"created_at\":\"2020-01-02T03:04:05Z\",\"entry_id\":1,\"status\":\"ok\","
             "\"latitude\":\"1.5\",\"longitude\":null,\"elevation\":null}");
}

BOOST_AUTO_TEST_CASE(xml_update_answers_the_feed_document) {
  Response response = Get("/update.xml?api_key=" + private_channel.write_key + "&field1=a%3Cb");
  BOOST_TEST(response.status == 200);
  BOOST_TEST(response.content_type == "application/xml; charset=utf-8");
  BOOST_TEST(response.body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed>"));
  BOOST_TEST(response.body.find("<channel-id type=\"integer\">1</channel-id>") !=
             std::string::npos);
  BOOST_TEST(response.body.find("<field1>a&lt;b</field1><field2 nil=\"true\"/>") !=
             std::string::npos);
  BOOST_TEST(response.body.find("<entry-id type=\"integer\">1</entry-id>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(key_comes_from_headers_and_every_param_name) {
  const std::string key = public_channel.write_key;
  BOOST_TEST(
      Call("POST", "/update", "field1=1&headers=false", {{"x-thingspeakapikey", key}}).body == "1");
  BOOST_TEST(Call("POST", "/update", "field1=2", {{"thingspeakapikey", key}}).body == "2");
  BOOST_TEST(Call("POST", "/update", "api_key=" + key + "&field1=3").body == "3");
  BOOST_TEST(Get("/update?key=" + key + "&field1=4").body == "4");
  BOOST_TEST(Get("/update?apikey=" + key + "&field1=5").body == "5");
  // The Arduino library 1.x appends a newline to the body.
  BOOST_TEST(
      Call("POST", "/update", "field1=6&headers=false\n",
           {{"x-thingspeakapikey", key}, {"content-type", "application/x-www-form-urlencoded"}})
          .body == "6");
}

BOOST_AUTO_TEST_CASE(path_form_with_a_user_key_creates_the_station_channel_once) {
  const std::string base = "/update/API_key=" + user.api_key;
  Response first = Get(base + "/mac=6c:rf:7f:2b:0e:g8/field=1/data=72.3");
  BOOST_TEST(first.status == 200);
  BOOST_TEST(first.body == "1");
  // The same station in another case reuses the channel.
  BOOST_TEST(Get(base + "/mac=6C:RF:7F:2B:0E:G8/field=2/data=40").body == "2");
  BOOST_TEST(Get(base + "/mac=other-station/field=1/data=1").body == "1");

  auto snapshot = store->OpenSnapshot();
  BOOST_REQUIRE(snapshot.ok());
  auto channels = (*snapshot)->ListChannels();
  BOOST_REQUIRE(channels.ok());
  BOOST_REQUIRE(channels->size() == 4u);
  const Channel& station = (*channels)[2];
  BOOST_TEST(station.station == "6c:rf:7f:2b:0e:g8");
  BOOST_TEST(station.owner == "alice");
  BOOST_TEST(station.is_public);
  BOOST_TEST(station.last_entry_id == 2u);
  BOOST_TEST(Get("/channels/" + std::to_string(station.id) + "/fields/1/last.txt").body == "72.3");
}

BOOST_AUTO_TEST_CASE(path_form_with_a_write_key_writes_that_channel) {
  Response response = Get("/update/api_key=" + public_channel.write_key + "/field=3/data=x%2Fy");
  BOOST_TEST(response.body == "1");
  BOOST_TEST(Get("/channels/2/fields/3/last").body == "x/y");
}

BOOST_AUTO_TEST_CASE(rejected_writes_answer_0_with_a_reason_and_store_nothing) {
  const std::string key = public_channel.write_key;
  const std::string long_value(256, 'x');
  struct Case {
    std::string target;
    int status;
  };
  const Case cases[] = {
      {"/update?api_key=UNKNOWNKEY000000&field1=1", 400},
      {"/update?field1=1", 400},
      {"/update?api_key=" + public_channel.read_key + "&field1=1", 400},
      {"/update?api_key=" + user.api_key + "&field1=1", 400},
      {"/update?api_key=" + key, 400},
      {"/update?api_key=" + key + "&field9=1", 400},
      {"/update?api_key=" + key + "&field0=1", 400},
      {"/update?api_key=" + key + "&field1=" + long_value, 400},
      {"/update?api_key=" + key + "&field1=%4", 400},
      {"/update?api_key=" + key + "&field1=%FF", 422},
      {"/update?api_key=" + key + "&field1=1&created_at=tomorrow", 400},
      {"/update/API_key=" + user.api_key + "/field=1/data=1", 400},
      {"/update/API_key=" + key + "/field=0/data=1", 400},
      {"/update/API_key=" + key + "/field=9/data=1", 400},
      {"/update/API_key=" + key + "/field=1/data=" + long_value, 400},
      {"/update/API_key=ASCIISTR/mac=6c:rf:7f:2b:0e:g8/field=1/data=72.3", 400},
      {"/update?api_key=" + key + "&field1=" + std::string(3000, 'x'), 414},
  };
  for (const Case& c : cases) {
    Response response = Get(c.target);
    BOOST_TEST(response.status == c.status, c.target.substr(0, 80));
    BOOST_TEST(response.body == "0", c.target.substr(0, 80));
    BOOST_TEST(!Header(response, "X-Fieldpost-Error").empty(), c.target.substr(0, 80));
  }
  Request oversized;
  oversized.method = "POST";
  oversized.path = "/update";
  oversized.body_too_large = true;
  BOOST_TEST(api->Handle(oversized).status == 413);

  BOOST_TEST(EntryCount(public_channel.id) == 0u);
  BOOST_TEST(EntryCount(private_channel.id) == 0u);
  auto snapshot = store->OpenSnapshot();
  BOOST_TEST((*snapshot)->ListChannels()->size() == 2u);  // no station channel either
}

BOOST_AUTO_TEST_CASE(json_bodies_and_created_at_in_a_time_zone) {
  Response json = Call("POST", "/update.json",
                       "{\"api_key\":\"" + public_channel.write_key +
                           "\",\"field1\":21.50,\"field2\":null,\"status\":\"ok\","
                           "\"created_at\":\"2020-07-01 12:00:00\",\"timezone\":\"Europe/Berlin\"}",
                       {{"content-type", "application/json"}});
  BOOST_TEST(json.status == 200, json.body);
  BOOST_TEST(json.body.find("\"field1\":\"21.50\",\"field2\":null") != std::string::npos);
  // 12:00 in Berlin in summer is 10:00 UTC.
  BOOST_TEST(json.body.find("\"created_at\":\"2020-07-01T10:00:00Z\"") != std::string::npos,
             json.body);
  // The same created_at again is refused: it must be unique in the channel.
  Response again = Get("/update?api_key=" + public_channel.write_key +
                       "&field1=1&created_at=2020-07-01T10:00:00Z");
  BOOST_TEST(again.status == 400);
  BOOST_TEST(again.body == "0");
  BOOST_TEST(Call("POST", "/update", "[1,2]", {{"content-type", "application/json"}}).status ==
             400);
  BOOST_TEST(
      Call("POST", "/update", "{\"api_key\":{}}", {{"content-type", "application/json"}}).status ==
      400);
  BOOST_TEST(EntryCount(public_channel.id) == 1u);
}

BOOST_AUTO_TEST_CASE(unknown_timezone_refuses_the_write) {
  const std::string update = "/update?api_key=" + public_channel.write_key +
                             "&field1=1&created_at=2020-07-01%2012:00:00&timezone=";
  Response text = Get(update + "Mars%2FOlympus");
  BOOST_TEST(text.status == 400);
  BOOST_TEST(text.body == "0");
  BOOST_TEST(Header(text, "X-Fieldpost-Error").find("timezone") != std::string::npos);
  Response json = Call("POST", "/update.json",
                       "{\"api_key\":\"" + public_channel.write_key +
                           "\",\"field1\":1,\"created_at\":\"2020-07-01 13:00:00\","
                           "\"timezone\":\"Mars/Olympus\"}",
                       {{"content-type", "application/json"}});
  BOOST_TEST(json.status == 400);
  BOOST_TEST(json.body.find("\"error_code\":\"error_bad_request\"") != std::string::npos,
             json.body);
  BOOST_TEST(EntryCount(public_channel.id) == 0u);
  BOOST_TEST(Get(update + "Europe%2FBerlin").body == "1");
}

BOOST_AUTO_TEST_CASE(minimum_write_interval_answers_the_thingspeak_way) {
  NewChannel request;
  request.name = "limited";
  request.min_write_interval_s = 3600;
  auto limited = store->CreateChannel(request);
  BOOST_REQUIRE(limited.ok());
  const std::string update = "/update?api_key=" + limited->write_key + "&field1=";
  BOOST_TEST(Get(update + "1").body == "1");
  // Too soon: HTTP 200 with body 0, which the Arduino library reads as -401.
  Response refused = Get(update + "2");
  BOOST_TEST(refused.status == 200);
  BOOST_TEST(refused.body == "0");
  Response json = Get("/update.json?api_key=" + limited->write_key + "&field1=3");
  BOOST_TEST(json.status == 200);
  BOOST_TEST(json.body == "0");
  // Bulk updates answer 429.
  Response bulk =
      Call("POST", "/channels/" + std::to_string(limited->id) + "/bulk_update.json",
           "{\"write_api_key\":\"" + limited->write_key +
               "\",\"updates\":[{\"created_at\":\"2020-01-01 00:00:00\",\"field1\":1}]}",
           {{"content-type", "application/json"}});
  BOOST_TEST(bulk.status == 429);
  BOOST_TEST(EntryCount(limited->id) == 1u);
  // Other channels are not limited.
  BOOST_TEST(Get("/update?api_key=" + public_channel.write_key + "&field1=1").body == "1");
  BOOST_TEST(Get("/update?api_key=" + public_channel.write_key + "&field1=2").body == "2");
}

BOOST_AUTO_TEST_CASE(json_errors_are_error_objects) {
  Response response = Get("/update.json?api_key=NOPE&field1=1");
  BOOST_TEST(response.status == 400);
  BOOST_TEST(response.body ==
             "{\"status\":\"400\",\"error\":{\"error_code\":\"error_auth_required\","
             "\"message\":\"Bad Request\",\"details\":\"unknown API key\"}}");
}

// What a frontend may refuse from the Content-Length alone: the limit of
// the route the request goes to, /update's 64 KiB, a bulk update's 4 MiB.
BOOST_AUTO_TEST_CASE(a_body_is_too_large_by_its_route_s_limit) {
  Request update;
  update.method = "POST";
  update.path = "/update";
  Request bulk = update;
  bulk.path = "/channels/1/bulk_update.json";
  const ApiOptions& options = api->options();
  BOOST_TEST(!api->BodyTooLarge(update, options.max_body_bytes));
  BOOST_TEST(api->BodyTooLarge(update, options.max_body_bytes + 1));
  BOOST_TEST(!api->BodyTooLarge(bulk, options.max_body_bytes + 1));
  BOOST_TEST(api->BodyTooLarge(bulk, options.max_bulk_body_bytes + 1));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
