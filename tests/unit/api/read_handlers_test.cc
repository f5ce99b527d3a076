#include "api/read_handlers.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/unit/api/api_fixture.h"

namespace fieldpost {
namespace {

struct ReadFixture : testing::ApiFixture {
  ReadFixture() {
    const std::string key = "/update?api_key=" + private_channel.write_key;
    BOOST_REQUIRE(Get(key + "&field1=20.5&created_at=2020-01-01T00:00:01Z").body == "1");
    BOOST_REQUIRE(Get(key + "&field1=21&field2=60&created_at=2020-01-01T00:00:02Z").body == "2");
    BOOST_REQUIRE(Get(key + "&field2=61&status=hi&created_at=2020-01-01T00:00:03Z").body == "3");
    private_path = "/channels/" + std::to_string(private_channel.id);
    read_key = "api_key=" + private_channel.read_key;
  }
  std::string private_path;
  std::string read_key;
};

BOOST_FIXTURE_TEST_SUITE(read_handlers, ReadFixture)

BOOST_AUTO_TEST_CASE(last_field_value_is_the_newest_non_null) {
  for (const char* suffix : {"/fields/1/last.txt?", "/fields/1/last?", "/field/1/last.txt?"}) {
    Response response = Get(private_path + suffix + read_key);
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.body == "21");  // entry 3 has no field1
  }
  Response json = Get(private_path + "/fields/2/last.json?" + read_key);
  BOOST_TEST(json.content_type == "application/json; charset=utf-8");
  BOOST_TEST(json.body ==
             "{\"created_at\":\"2020-01-01T00:00:03Z\",\"entry_id\":3,\"field2\":\"61\"}");
  BOOST_TEST(Get(private_path + "/fields/5/last.txt?" + read_key).body == "-1");
}

BOOST_AUTO_TEST_CASE(last_entry_lists_enabled_fields) {
  const std::string expected =
      "{\"created_at\":\"2020-01-01T00:00:03Z\",\"entry_id\":3,\"field1\":null,\"field2\":\"61\"}";
  Response json = Get(private_path + "/feeds/last.json?" + read_key);
  BOOST_TEST(json.body == expected);
  // .txt is the same JSON as text: the Arduino library parses it.
  Response text = Get(private_path + "/feeds/last.txt?" + read_key);
  BOOST_TEST(text.body == expected);
  BOOST_TEST(text.content_type == "text/plain; charset=utf-8");
  BOOST_TEST(Get("/channels/2/feeds/last.json").body == "-1");  // no entries yet
}

BOOST_AUTO_TEST_CASE(status_and_location_columns_on_request) {
  // What the Arduino library's readStatus and readMultipleFields request.
  Response response = Get(private_path + "/feeds/last.txt?status=true&location=true&" + read_key);
  BOOST_TEST(response.body ==
             "{\"created_at\":\"2020-01-01T00:00:03Z\",\"entry_id\":3,\"field1\":null,"
             "\"field2\":\"61\",\"latitude\":null,\"longitude\":null,\"elevation\":null,"
             "\"status\":\"hi\"}");
  Response feed = Get(private_path + "/feeds.json?results=1&status=true&" + read_key);
  BOOST_TEST(feed.body.ends_with("\"field2\":\"61\",\"status\":\"hi\"}]}"), feed.body);
  BOOST_TEST(Get(private_path + "/feeds/last.json?status=false&" + read_key).body.find("status") ==
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(feed_returns_the_newest_entries_oldest_first) {
  Response response = Get(private_path + "/feeds.json?results=2&" + read_key);
  BOOST_TEST(response.status == 200);
  BOOST_TEST(response.body.starts_with(
      "{\"channel\":{\"id\":1,\"name\":\"garden\",\"description\":\"back garden\","
      "\"field1\":\"Temperature\",\"field2\":\"Humidity\",\"created_at\":"));
  BOOST_TEST(
      response.body.ends_with("\"last_entry_id\":3},\"feeds\":["
                              "{\"created_at\":\"2020-01-01T00:00:02Z\",\"entry_id\":2,\"field1\":"
                              "\"21\",\"field2\":\"60\"},"
                              "{\"created_at\":\"2020-01-01T00:00:03Z\",\"entry_id\":3,\"field1\":"
                              "null,\"field2\":\"61\"}]}"));
  BOOST_TEST(Get(private_path + "/feed.json?results=10&" + read_key).body.find("\"entry_id\":1,") !=
             std::string::npos);
  // Without results= or a window, ThingSpeak shows the last 24 hours: these
  // entries are from 2020.
  BOOST_TEST(Get(private_path + "/feeds.json?" + read_key).body.ends_with("\"feeds\":[]}"));
  BOOST_TEST(
      Get(private_path + "/feeds.json?results=0&" + read_key).body.ends_with("\"feeds\":[]}"));
  BOOST_TEST(Get(private_path + "/feeds.json?results=abc&" + read_key).status == 400);
}

BOOST_AUTO_TEST_CASE(public_feed_shows_fields_ever_written) {
  BOOST_REQUIRE(Get("/update?api_key=" + public_channel.write_key + "&field3=7").body == "1");
  Response response = Get("/channels/2/feeds.json");
  BOOST_TEST(response.body.find("\"entry_id\":1,\"field3\":\"7\"}]") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(private_channels_need_a_key_of_the_channel_or_owner) {
  const std::string target = private_path + "/fields/1/last.txt";
  for (const std::string& denied :
       {target, target + "?api_key=WRONGKEY", target + "?api_key=" + public_channel.read_key,
        target + "?api_key=" + public_channel.write_key}) {
    Response response = Get(denied);
    BOOST_TEST(response.status == 400, denied);
    BOOST_TEST(response.body == "-1", denied);
  }
  for (const std::string& key :
       {private_channel.read_key, private_channel.write_key, user.api_key}) {
    BOOST_TEST(Get(target + "?api_key=" + key).body == "21", key);
  }
  BOOST_TEST(Call("GET", target, "", {{"x-thingspeakapikey", private_channel.read_key}}).body ==
             "21");
  BOOST_TEST(Get(private_path + "/feeds.json").body == "-1");
}

BOOST_AUTO_TEST_CASE(unknown_channels_fields_and_routes) {
  Response missing = Get("/channels/99/feeds.json");
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(missing.body.find("error_resource_not_found") != std::string::npos);
  BOOST_TEST(Get("/channels/99/fields/1/last.txt").status == 404);
  BOOST_TEST(Get("/channels/0/feeds.json").status == 404);
  BOOST_TEST(Get("/channels/abc/feeds.json").status == 404);
  BOOST_TEST(Get("/channels/99999999999/feeds.json").status == 404);
  BOOST_TEST(Get(private_path + "/fields/9/last.txt?" + read_key).status == 400);
  BOOST_TEST(Get(private_path + "/fields/0/last.txt?" + read_key).status == 400);
  BOOST_TEST(Get("/nothing/here").status == 404);
  BOOST_TEST(Call("DELETE", "/update").status == 405);
  Response preflight = Call("OPTIONS", "/anything");
  BOOST_TEST(preflight.status == 200);
  BOOST_TEST(preflight.body.empty());
  bool has_cors = false;
  for (const StaticHeader& header : preflight.static_headers) {
    has_cors |= std::string_view(header.name) == "Access-Control-Allow-Origin" &&
                std::string_view(header.value) == "*";
  }
  BOOST_TEST(has_cors);
}

BOOST_AUTO_TEST_CASE(feeds_in_xml_and_csv) {
  Response xml = Get(private_path + "/feeds.xml?results=1&" + read_key);
  BOOST_TEST(xml.content_type == "application/xml; charset=utf-8");
  BOOST_TEST(
      xml.body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<channel><id "
                           "type=\"integer\">1</id><name>garden</name>"));
  BOOST_TEST(xml.body.find("<last-entry-id type=\"integer\">3</last-entry-id><feeds "
                           "type=\"array\"><feed><created-at type=\"dateTime\">2020-01-01T00:00:"
                           "03Z</created-at><entry-id type=\"integer\">3</entry-id><field1 "
                           "nil=\"true\"/><field2>61</field2></feed></feeds></channel>") !=
                 std::string::npos,
             xml.body);
  Response csv = Get(private_path + "/feeds.csv?results=2&status=true&" + read_key);
  BOOST_TEST(csv.content_type == "text/csv; charset=utf-8");
  BOOST_TEST(csv.body ==
             "created_at,entry_id,field1,field2,status\n"
             "2020-01-01 00:00:02 UTC,2,21,60,\n"
             "2020-01-01 00:00:03 UTC,3,,61,hi\n");
}

BOOST_AUTO_TEST_CASE(csv_quotes_and_xml_escapes_whatever_was_stored) {
  BOOST_REQUIRE(Get("/update?api_key=" + public_channel.write_key +
                    "&field1=a%2C%22b%22&status=%3Cx%3E%26%27")
                    .body == "1");
  const std::string csv = Get("/channels/2/feeds.csv?status=true").body;
  BOOST_TEST(csv.starts_with("created_at,entry_id,field1,status\n"), csv);
  BOOST_TEST(csv.ends_with(",1,\"a,\"\"b\"\"\",<x>&'\n"), csv);
  const std::string xml = Get("/channels/2/feeds.xml?status=true").body;
  BOOST_TEST(xml.find("<field1>a,\"b\"</field1>") == std::string::npos);
  BOOST_TEST(xml.find("<field1>a,&quot;b&quot;</field1><status>&lt;x&gt;&amp;&apos;</status>") !=
                 std::string::npos,
             xml);
}

BOOST_AUTO_TEST_CASE(field_feed_status_feed_and_single_entries) {
  Response field = Get(private_path + "/fields/2.json?results=10&" + read_key);
  BOOST_TEST(
      field.body.ends_with(
          "\"feeds\":[{\"created_at\":\"2020-01-01T00:00:01Z\",\"entry_id\":1,\"field2\":null},"
          "{\"created_at\":\"2020-01-01T00:00:02Z\",\"entry_id\":2,\"field2\":\"60\"},"
          "{\"created_at\":\"2020-01-01T00:00:03Z\",\"entry_id\":3,\"field2\":\"61\"}]}"),
      field.body);
  // The status list always covers a window, the last day by default:
  // results= alone only caps the count (these entries are from 2020).
  BOOST_TEST(Get(private_path + "/status.json?results=1&" + read_key).body ==
             "{\"channel\":{\"name\":\"garden\"},\"feeds\":[]}");
  Response status = Get(private_path + "/status.json?results=1&days=5000&" + read_key);
  BOOST_TEST(status.body ==
             "{\"channel\":{\"name\":\"garden\"},\"feeds\":[{\"created_at\":"
             "\"2020-01-01T00:00:03Z\",\"entry_id\":3,\"status\":\"hi\"}]}");
  BOOST_TEST(Get(private_path + "/feeds/2.json?" + read_key).body ==
             "{\"created_at\":\"2020-01-01T00:00:02Z\",\"entry_id\":2,\"field1\":\"21\","
             "\"field2\":\"60\"}");
  BOOST_TEST(Get(private_path + "/feeds/entry/2?" + read_key).body.find("\"entry_id\":2") !=
             std::string::npos);
  BOOST_TEST(Get(private_path + "/fields/1/2.txt?" + read_key).body == "21");
  BOOST_TEST(Get(private_path + "/feeds/9.json?" + read_key).body == "-1");
  BOOST_TEST(Get(private_path + "/feeds/2.xml?" + read_key)
                 .body.ends_with("<field1>21</field1><field2>60</field2></feed>"));
  BOOST_TEST(Get(private_path + "/feeds/2.csv?" + read_key).body ==
             "created_at,entry_id,field1,field2\n2020-01-01 00:00:02 UTC,2,21,60\n");
}

BOOST_AUTO_TEST_CASE(time_zone_windows_jsonp_prepend_and_rounding) {
  BOOST_TEST(Get(private_path + "/feeds/last.json?timezone=America%2FNew_York&" + read_key)
                 .body.starts_with("{\"created_at\":\"2019-12-31T19:00:03-05:00\""));
  BOOST_TEST(Get(private_path + "/feeds.csv?results=1&offset=2&" + read_key)
                 .body.ends_with("2020-01-01 02:00:03 +0200,3,,61\n"));
  const std::string window = Get(private_path +
                                 "/feeds.json?start=2020-01-01%2000:00:02&end=2020-01-01%2000:00:"
                                 "02&" +
                                 read_key)
                                 .body;
  BOOST_TEST(window.find("\"entry_id\":2") != std::string::npos);
  BOOST_TEST(window.find("\"entry_id\":1") == std::string::npos);
  BOOST_TEST(window.find("\"entry_id\":3") == std::string::npos);
  const std::string ids =
      Get(private_path + "/feeds.json?start_entry_id=2&end_entry_id=2&" + read_key).body;
  BOOST_TEST(ids.find("\"feeds\":[{\"created_at\":\"2020-01-01T00:00:02Z\",\"entry_id\":2,") !=
                 std::string::npos,
             ids);
  Response jsonp = Get(private_path + "/feeds/last.json?callback=show&" + read_key);
  BOOST_TEST(jsonp.content_type == "text/javascript; charset=utf-8");
  BOOST_TEST(jsonp.body.starts_with("show({\"created_at\""));
  BOOST_TEST(jsonp.body.ends_with("})"));
  BOOST_TEST(Get(private_path + "/feeds/last.json?callback=alert(1)&" + read_key).status == 400);
  BOOST_TEST(
      Get(private_path + "/fields/1/last.txt?prepend=T%3D&append=%20C&round=2&" + read_key).body ==
      "T=21.00 C");
  const std::string filtered =
      Get(private_path + "/feeds.json?results=10&min=20.9&" + read_key).body;
  BOOST_TEST(filtered.find("\"entry_id\":1") == std::string::npos);  // 20.5 < min
  BOOST_TEST(filtered.find("\"entry_id\":2") != std::string::npos);
  BOOST_TEST(Get(private_path + "/feeds.json?results=abc&" + read_key).status == 400);
  BOOST_TEST(Get(private_path + "/feeds.json?start=garbage&" + read_key).status == 400);
}

BOOST_AUTO_TEST_CASE(aggregation_through_the_api) {
  const std::string sum = Get(private_path + "/feeds.json?results=10&sum=10&" + read_key).body;
  BOOST_TEST(sum.ends_with("\"feeds\":[{\"created_at\":\"2020-01-01T00:00:00Z\",\"field1\":"
                           "\"41.5\",\"field2\":\"121\"}]}"),
             sum);
  const std::string csv = Get(private_path + "/feeds.csv?results=10&average=10&" + read_key).body;
  BOOST_TEST(csv.starts_with("created_at,field1,field2\n"), csv);
}

BOOST_AUTO_TEST_CASE(field_feed_min_max_test_only_that_field) {
  const std::string key = "/update?api_key=" + private_channel.write_key;
  BOOST_REQUIRE(Get(key + "&field1=88&field2=56&created_at=2020-01-01T00:00:04Z").body == "4");
  const std::string high = Get(private_path + "/fields/1.json?results=10&min=80&" + read_key).body;
  BOOST_TEST(high.find("\"entry_id\":4,\"field1\":\"88\"") != std::string::npos, high);
  BOOST_TEST(high.find("\"entry_id\":1,") == std::string::npos, high);  // 20.5 < min
  BOOST_TEST(high.find("\"entry_id\":2,") == std::string::npos, high);  // 21 < min
  // field2=60 of entry 2 is above max, but only field1 counts here.
  const std::string low = Get(private_path + "/fields/1.json?results=10&max=30&" + read_key).body;
  BOOST_TEST(low.find("\"entry_id\":2,\"field1\":\"21\"") != std::string::npos, low);
  BOOST_TEST(low.find("\"entry_id\":4,") == std::string::npos, low);
  // The channel feed still tests every field.
  const std::string feed = Get(private_path + "/feeds.json?results=10&max=30&" + read_key).body;
  BOOST_TEST(feed.find("\"entry_id\":2,") == std::string::npos, feed);
}

BOOST_AUTO_TEST_CASE(unknown_timezone_is_refused_like_any_bad_parameter) {
  for (const char* suffix :
       {"/feeds.json?", "/feeds.xml?", "/feeds.csv?", "/fields/1.json?", "/status.json?",
        "/feeds/last.json?", "/feeds/1.json?", "/fields/1/last.txt?", "/fields/1/last?"}) {
    const std::string target = private_path + suffix + read_key;
    Response refused = Get(target + "&timezone=Mars%2FOlympus");
    Response bad_round = Get(target + "&round=x");  // another bad parameter, for comparison
    BOOST_TEST(refused.status == 400, suffix);
    BOOST_TEST(refused.content_type == bad_round.content_type, suffix);
    BOOST_TEST(refused.body.find("error_bad_request") != std::string::npos, refused.body);
    std::string reason;
    for (const auto& [name, value] : refused.headers) {
      if (name == "X-Fieldpost-Error") reason = value;
    }
    BOOST_TEST(reason.find("timezone") != std::string::npos, reason);
  }
  // Known zones and the UTC aliases still read.
  BOOST_TEST(Get(private_path + "/feeds/last.json?timezone=Etc%2FUTC&" + read_key).status == 200);
  BOOST_TEST(Get(private_path + "/feeds/last.json?timezone=Asia%2FKolkata&" + read_key).status ==
             200);
}

BOOST_AUTO_TEST_CASE(unknown_routes_answer_in_the_format_asked_for) {
  Response json = Get("/nosuch.json");
  BOOST_TEST(json.status == 404);
  BOOST_TEST(json.content_type == "application/json; charset=utf-8");
  BOOST_TEST(json.body ==
             "{\"status\":\"404\",\"error\":{\"error_code\":\"error_resource_not_found\","
             "\"message\":\"Resource Not Found\",\"details\":\"no such endpoint\"}}");
  Response xml = Get("/channels/1/nosuch.xml");
  BOOST_TEST(xml.status == 404);
  BOOST_TEST(xml.content_type == "application/xml; charset=utf-8");
  BOOST_TEST(
      xml.body.find("<error-code>error_resource_not_found</error-code>") != std::string::npos,
      xml.body);
  // A known path with another method: 405 in the asked format.
  Response method = Call("DELETE", "/update.json");
  BOOST_TEST(method.status == 405);
  BOOST_TEST(method.content_type == "application/json; charset=utf-8");
  BOOST_TEST(method.body.find("\"error_code\":\"error_method_invalid\"") != std::string::npos,
             method.body);
  BOOST_TEST(Call("PUT", "/channels/1/feeds.xml").content_type == "application/xml; charset=utf-8");
  // Without such an extension, the text code as before.
  Response text = Get("/nosuch");
  BOOST_TEST(text.content_type == "text/plain; charset=utf-8");
  BOOST_TEST(text.body == "error_resource_not_found");
  BOOST_TEST(Get("/nosuch.csv").body == "error_resource_not_found");
  BOOST_TEST(Call("DELETE", "/update").body == "error_method_invalid");
}

BOOST_AUTO_TEST_CASE(single_entry_replies_for_no_access_and_no_entry) {
  Response denied = Get(private_path + "/feeds/last.xml");
  BOOST_TEST(denied.status == 400);
  BOOST_TEST(denied.body.ends_with("<feed><entry-id type=\"integer\">-1</entry-id></feed>"));
  Response missing = Get(private_path + "/feeds/9.xml?" + read_key);
  BOOST_TEST(missing.status == 200);
  BOOST_TEST(missing.body.ends_with("<feed><entry-id type=\"integer\">-1</entry-id></feed>"));
  BOOST_TEST(Get(private_path + "/feeds.xml")
                 .body.ends_with("<channel><id type=\"integer\">-1</id></channel>"));
  BOOST_TEST(Get(private_path + "/fields/1/2?" + read_key).body == "21");  // bare value
  // An empty aggregated CSV still has the aggregated header.
  BOOST_TEST(Get(private_path + "/feeds.csv?results=0&sum=10&" + read_key).body ==
             "created_at,field1,field2\n");
  // min/max apply after aggregation, as ThingSpeak does: the bucket's sum
  // (41.5) passes min=30 although every single value is below it.
  BOOST_TEST(Get(private_path + "/fields/1.json?results=10&sum=10&min=30&" + read_key)
                 .body.find("\"field1\":\"41.5\"") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
