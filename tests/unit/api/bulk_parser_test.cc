#include "api/bulk_parser.h"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdint>
#include <string>

namespace fieldpost {
namespace {

Timestamp At(std::int64_t seconds) { return Timestamp{std::chrono::seconds{seconds}}; }

// 2023-11-14T22:13:20Z.
const Timestamp kNow = At(1700000000);

Result<BulkRequest> Json(const std::string& updates) {
  return ParseBulkJson(R"({"write_api_key":"KEY","updates":[)" + updates + "]}", kNow);
}

Result<BulkRequest> Csv(const std::string& body) {
  auto params = ParseFormEncoded(body);
  BOOST_REQUIRE(params.ok());
  return ParseBulkCsv(*params, kNow);
}

StatusCode CodeOf(const Result<BulkRequest>& result) { return result.status().code(); }

// `count` updates of the form `item`, joined by `separator`.
std::string Repeat(const std::string& item, std::size_t count, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += (i == 0 ? "" : separator) + item;
  return out;
}

BOOST_AUTO_TEST_SUITE(bulk_parser)

BOOST_AUTO_TEST_CASE(json_keeps_numbers_as_their_source_text) {
  auto request =
      Json(R"({"created_at":1700000000,"field1":21.50,"field2":7,"field3":"text","field4":true,)"
           R"("field5":false,"field6":null,"field7":-1e5,"latitude":52.5200,"longitude":-13.4,)"
           R"("elevation":34,"status":"ok","field9":"ignored","other":{"a":[1]}})");
  BOOST_REQUIRE(request.ok());
  BOOST_TEST(request->write_api_key == "KEY");
  BOOST_REQUIRE(request->updates.size() == 1u);
  const EntryData& data = request->updates[0].data;
  BOOST_TEST(*data.fields[0] == "21.50");
  BOOST_TEST(*data.fields[1] == "7");
  BOOST_TEST(*data.fields[2] == "text");
  BOOST_TEST(*data.fields[3] == "true");
  BOOST_TEST(*data.fields[4] == "false");
  BOOST_TEST(!data.fields[5].has_value());
  BOOST_TEST(*data.fields[6] == "-1e5");
  BOOST_TEST(!data.fields[7].has_value());
  BOOST_TEST(*data.latitude == "52.5200");
  BOOST_TEST(*data.longitude == "-13.4");
  BOOST_TEST(*data.elevation == "34");
  BOOST_TEST(*data.status == "ok");
}

BOOST_AUTO_TEST_CASE(json_created_at_accepts_epoch_iso_and_mysql_in_any_order) {
  auto request =
      Json(R"({"created_at":1700000000,"field1":1},{"created_at":"1700000060","field1":2},)"
           R"({"created_at":"2023-11-14T22:13:20Z","field1":3},)"
           R"({"created_at":"2023-11-14T23:13:20+01:00","field1":4},)"
           R"({"created_at":"2023-11-14 22:12:20","field1":5})");
  BOOST_REQUIRE(request.ok());
  BOOST_REQUIRE(request->updates.size() == 5u);
  BOOST_TEST((request->updates[0].created_at == At(1700000000)));
  BOOST_TEST((request->updates[1].created_at == At(1700000060)));
  BOOST_TEST((request->updates[2].created_at == At(1700000000)));
  BOOST_TEST((request->updates[3].created_at == At(1700000000)));
  BOOST_TEST((request->updates[4].created_at == At(1699999940)));
  for (int i = 0; i < 5; ++i)
    BOOST_TEST(*request->updates[i].data.fields[0] == std::to_string(i + 1));
}

BOOST_AUTO_TEST_CASE(json_delta_t_anchors_the_last_update_at_now) {
  auto request = Json(R"({"delta_t":999,"field1":"a"},{"delta_t":15,"field1":"b"},)"
                      R"({"delta_t":"30","field1":"c"})");
  BOOST_REQUIRE(request.ok());
  BOOST_REQUIRE(request->updates.size() == 3u);
  BOOST_TEST((request->updates[2].created_at == kNow));
  BOOST_TEST((request->updates[1].created_at == At(1700000000 - 30)));
  BOOST_TEST((request->updates[0].created_at == At(1700000000 - 30 - 15)));
  BOOST_TEST(*request->updates[0].data.fields[0] == "a");
  BOOST_TEST(*request->updates[2].data.fields[0] == "c");

  auto zero = Json(R"({"delta_t":0,"field1":1},{"delta_t":0,"field1":2})");
  BOOST_REQUIRE(zero.ok());
  BOOST_TEST((zero->updates[0].created_at == kNow && zero->updates[1].created_at == kNow));
}

BOOST_AUTO_TEST_CASE(json_delta_t_may_not_reach_before_1970) {
  auto exact = ParseBulkJson(R"({"updates":[{"delta_t":0,"field1":1},{"delta_t":100,"field1":2}]})",
                             At(100));
  BOOST_REQUIRE(exact.ok());
  BOOST_TEST((exact->updates[0].created_at == At(0)));
  auto before = ParseBulkJson(
      R"({"updates":[{"delta_t":0,"field1":1},{"delta_t":101,"field1":2}]})", At(100));
  BOOST_TEST((CodeOf(before) == StatusCode::kInvalidArgument));
  BOOST_TEST(before.status().message().find("updates[0]") != std::string::npos);
  BOOST_TEST(!Json(R"({"delta_t":0,"field1":1},{"delta_t":99999999999999999999,"field1":2})").ok());
}

BOOST_AUTO_TEST_CASE(json_key_may_be_api_key_or_absent) {
  auto api_key = ParseBulkJson(R"({"api_key":"K2","updates":[{"delta_t":0,"field1":1}]})", kNow);
  BOOST_REQUIRE(api_key.ok());
  BOOST_TEST(api_key->write_api_key == "K2");
  auto both = ParseBulkJson(
      R"({"api_key":"K2","write_api_key":"K1","updates":[{"delta_t":0,"field1":1}]})", kNow);
  BOOST_REQUIRE(both.ok());
  BOOST_TEST(both->write_api_key == "K1");
  auto absent = ParseBulkJson(R"({"updates":[{"delta_t":0,"field1":1}]})", kNow);
  BOOST_REQUIRE(absent.ok());
  BOOST_TEST(absent->write_api_key.empty());
  BOOST_TEST(!ParseBulkJson(R"({"api_key":[],"updates":[{"delta_t":0,"field1":1}]})", kNow).ok());
}

BOOST_AUTO_TEST_CASE(json_time_must_be_one_kind_in_every_update) {
  auto mixed = Json(R"({"created_at":1700000000,"field1":1},{"delta_t":5,"field1":2})");
  BOOST_TEST((CodeOf(mixed) == StatusCode::kInvalidArgument));
  BOOST_TEST(mixed.status().message().find("updates[1] mixes") != std::string::npos);
  auto both = Json(R"({"created_at":1700000000,"delta_t":5,"field1":1})");
  BOOST_TEST((CodeOf(both) == StatusCode::kInvalidArgument));
  auto neither = Json(R"({"delta_t":5,"field1":1},{"field1":2})");
  BOOST_TEST((CodeOf(neither) == StatusCode::kInvalidArgument));
  BOOST_TEST(neither.status().message().find("updates[1] has neither") != std::string::npos);
  BOOST_TEST((CodeOf(Json(R"({"created_at":null,"field1":1})")) == StatusCode::kInvalidArgument));
}

BOOST_AUTO_TEST_CASE(json_rejects_malformed_bodies) {
  for (const char* body :
       {"", "{", "[]", "\"updates\"", "42", "null", R"({"updates":[{"delta_t":0,"field1":1}]} x)",
        R"({"write_api_key":"K"})", R"({"updates":{}})", R"({"updates":"x"})", R"({"updates":[]})",
        R"({"updates":[1]})", R"({"updates":[[]]})", R"({"updates":[null]})",
        R"({"updates":[{"delta_t":0,"field1":1},]})"}) {
    auto request = ParseBulkJson(body, kNow);
    BOOST_TEST((CodeOf(request) == StatusCode::kInvalidArgument), body);
  }
  const std::string with_nul =
      R"({"updates":[{"delta_t":0,"field1":1}]})" + std::string(1, '\0') + "x";
  BOOST_TEST((CodeOf(ParseBulkJson(with_nul, kNow)) == StatusCode::kInvalidArgument));
  BOOST_TEST(ParseBulkJson("{\"updates\":[]}", kNow).status().message() == "updates is empty");
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  BOOST_TEST((CodeOf(ParseBulkJson(deep, kNow)) == StatusCode::kInvalidArgument));
}

BOOST_AUTO_TEST_CASE(json_rejects_invalid_updates_naming_the_index) {
  const struct {
    const char* update;
    const char* message_part;
  } cases[] = {
      {R"({"delta_t":0,"field2":{"v":1}})", "updates[1].field2 must be"},
      {R"({"delta_t":0,"field2":[1]})", "updates[1].field2 must be"},
      {R"({"delta_t":0,"field2":"a\u0001b"})", "updates[1].field2 contains a control"},
      {R"({"delta_t":0,"status":"a\n\n"})", "updates[1].status contains a control"},
      {R"({"delta_t":0,"latitude":91})", "updates[1].latitude must be"},
      {R"({"delta_t":0,"latitude":"north"})", "updates[1].latitude must be"},
      {R"({"delta_t":0,"latitude":1e1})", "updates[1].latitude must be"},
      {R"({"delta_t":0,"longitude":-180.5})", "updates[1].longitude must be"},
      {R"({"delta_t":0})", "updates[1] has no data"},
      {R"({"delta_t":0,"field9":1,"field6":null})", "updates[1] has no data"},
      {R"({"delta_t":-1,"field1":1})", "updates[1].delta_t must be"},
      {R"({"delta_t":1.5,"field1":1})", "updates[1].delta_t must be"},
      {R"({"delta_t":true,"field1":1})", "updates[1].delta_t must be"},
      {R"({"delta_t":{},"field1":1})", "updates[1].delta_t must be"},
  };
  for (const auto& c : cases) {
    auto request = Json(R"({"delta_t":0,"field1":1},)" + std::string(c.update));
    BOOST_TEST((CodeOf(request) == StatusCode::kInvalidArgument), c.update);
    BOOST_TEST(request.status().message().find(c.message_part) != std::string::npos,
               request.status().message());
  }
  BOOST_TEST(Json(R"({"delta_t":0,"field1":")" + std::string(255, 'x') + "\"}").ok());
  auto too_long = Json(R"({"delta_t":0,"field1":")" + std::string(256, 'x') + "\"}");
  BOOST_TEST(too_long.status().message() == "updates[0].field1 is longer than 255 bytes");
  BOOST_TEST(*Json(R"({"delta_t":0,"field1":"5\r\n"})")->updates[0].data.fields[0] == "5");
}

BOOST_AUTO_TEST_CASE(json_rejects_bad_created_at) {
  for (const char* created_at :
       {R"("soon")", R"("2023-13-01 00:00:00")", R"("1969-12-31 23:59:59")",
        R"("1970-01-01T00:00:00+01:00")", "-5", "1.7e9", "1700000000.5", "253402300800",
        "99999999999999999999999", "true", "[]", R"("")"}) {
    auto request = Json(R"({"created_at":)" + std::string(created_at) + R"(,"field1":1})");
    BOOST_TEST((CodeOf(request) == StatusCode::kInvalidArgument), created_at);
  }
  auto last = Json(R"({"created_at":253402300799,"field1":1})");
  BOOST_REQUIRE(last.ok());
  BOOST_TEST((last->updates[0].created_at == At(253402300799)));
}

BOOST_AUTO_TEST_CASE(json_invalid_utf8_is_invalid_encoding) {
  for (const std::string& body : {
           std::string(R"({"updates":[{"delta_t":0,"field1":"a)") + "\xff" + R"("}]})",
           std::string(R"({"updates":[{"delta_t":0,"field1":1,"note":")") + "\xc3\x28" + R"("}]})",
           std::string(R"({"updates":[{"delta_t":0,"field1":"\udc00"}]})"),
       }) {
    BOOST_TEST((CodeOf(ParseBulkJson(body, kNow)) == StatusCode::kInvalidEncoding), body);
  }
  auto escaped = Json(R"({"delta_t":0,"status":"caf\u00e9 \ud83d\ude00"})");
  BOOST_REQUIRE(escaped.ok());
  BOOST_TEST(*escaped->updates[0].data.status == "caf\xc3\xa9 \xf0\x9f\x98\x80");
}

BOOST_AUTO_TEST_CASE(json_accepts_14400_updates_and_no_more) {
  const std::string item = R"({"delta_t":1,"field1":1})";
  auto most = Json(Repeat(item, kMaxBulkUpdates, ","));
  BOOST_REQUIRE(most.ok());
  BOOST_TEST(most->updates.size() == kMaxBulkUpdates);
  BOOST_TEST((most->updates.front().created_at == At(1700000000 - 14399)));
  auto too_many = Json(Repeat(item, kMaxBulkUpdates + 1, ","));
  BOOST_TEST((CodeOf(too_many) == StatusCode::kPayloadTooLarge));
}

BOOST_AUTO_TEST_CASE(csv_absolute_reads_every_position) {
  auto request =
      Csv("write_api_key=KEY&time_format=absolute&updates=2023-11-14+22:13:20,1,,3|"
          "1700000060,,,,,,,,8,52.52,-13.4,34,ok|2023-11-14T22:13:00Z,x");
  BOOST_REQUIRE(request.ok());
  BOOST_TEST(request->write_api_key == "KEY");
  BOOST_REQUIRE(request->updates.size() == 3u);
  const BulkUpdate& first = request->updates[0];
  BOOST_TEST((first.created_at == At(1700000000)));
  BOOST_TEST(*first.data.fields[0] == "1");
  BOOST_TEST(!first.data.fields[1].has_value());
  BOOST_TEST(*first.data.fields[2] == "3");
  BOOST_TEST(!first.data.fields[3].has_value());
  BOOST_TEST(!first.data.status.has_value());
  const BulkUpdate& second = request->updates[1];
  BOOST_TEST((second.created_at == At(1700000060)));
  BOOST_TEST(!second.data.fields[0].has_value());
  BOOST_TEST(*second.data.fields[7] == "8");
  BOOST_TEST(*second.data.latitude == "52.52");
  BOOST_TEST(*second.data.longitude == "-13.4");
  BOOST_TEST(*second.data.elevation == "34");
  BOOST_TEST(*second.data.status == "ok");
  BOOST_TEST((request->updates[2].created_at == At(1699999980)));
  BOOST_TEST(*request->updates[2].data.fields[0] == "x");
}

BOOST_AUTO_TEST_CASE(csv_defaults_to_absolute_and_takes_api_key) {
  auto request = Csv("api_key=K2&updates=1700000000,5");
  BOOST_REQUIRE(request.ok());
  BOOST_TEST(request->write_api_key == "K2");
  BOOST_TEST((request->updates[0].created_at == kNow));
  BOOST_TEST(Csv("updates=1700000000,5")->write_api_key.empty());
}

BOOST_AUTO_TEST_CASE(csv_relative_anchors_the_last_entry_at_now) {
  auto request = Csv("write_api_key=K&time_format=relative&updates=5,1|10,2|15,3");
  BOOST_REQUIRE(request.ok());
  BOOST_REQUIRE(request->updates.size() == 3u);
  BOOST_TEST((request->updates[2].created_at == kNow));
  BOOST_TEST((request->updates[1].created_at == At(1700000000 - 15)));
  BOOST_TEST((request->updates[0].created_at == At(1700000000 - 15 - 10)));
  BOOST_TEST(*request->updates[1].data.fields[0] == "2");
  BOOST_TEST(!Csv("time_format=relative&updates=0,1|2023-11-14+22:13:20,2").ok());
  BOOST_TEST(!Csv("time_format=relative&updates=0,1|-5,2").ok());
}

BOOST_AUTO_TEST_CASE(csv_allows_omitted_positions_and_one_trailing_bar) {
  auto full = Csv("updates=1700000000,1,2,3,4,5,6,7,8,9,10,11,s");
  BOOST_REQUIRE(full.ok());
  BOOST_TEST(*full->updates[0].data.status == "s");
  BOOST_TEST(*full->updates[0].data.elevation == "11");
  auto trailing = Csv("time_format=relative&updates=0,1|5,,,,,,,,,,,,s|");
  BOOST_REQUIRE(trailing.ok());
  BOOST_TEST(trailing->updates.size() == 2u);
  BOOST_TEST(*trailing->updates[1].data.status == "s");
  BOOST_TEST(Csv("updates=1700000000,1%0A")->updates.size() == 1u);
  auto extra = Csv("updates=1700000000,1|1700000000,1,2,3,4,5,6,7,8,9,10,11,s,");
  BOOST_TEST((CodeOf(extra) == StatusCode::kInvalidArgument));
  BOOST_TEST(extra.status().message().find("updates[1] has more than 13") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(csv_rejects_invalid_requests) {
  for (const char* body :
       {"write_api_key=K", "updates=", "updates=|", "updates=||", "updates=1700000000,1||",
        "time_format=Relative&updates=0,1", "time_format=&updates=0,1", "updates=,1",
        "updates=1700000000", "updates=1700000000,,,", "updates=1700000000,1|1700000000",
        "updates=soon,1", "updates=1700000000,,,,,,,,,91", "updates=1700000000,,,,,,,,,,x",
        "updates=1700000000,a%01b", "time_format=relative&updates=1.5,1",
        "updates=1969-12-31+23:59:59,1"}) {
    BOOST_TEST((CodeOf(Csv(body)) == StatusCode::kInvalidArgument), body);
  }
  BOOST_TEST(!Csv("updates=1700000000," + std::string(256, 'x')).ok());
  auto no_data = Csv("updates=1700000000,1|1700000001,,");
  BOOST_TEST(no_data.status().message().find("updates[1] has no data") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(csv_invalid_utf8_is_invalid_encoding) {
  const Params params = {{"write_api_key", "K"}, {"updates", "1700000000,a\xff"}};
  BOOST_TEST((CodeOf(ParseBulkCsv(params, kNow)) == StatusCode::kInvalidEncoding));
}

BOOST_AUTO_TEST_CASE(csv_accepts_14400_entries_and_no_more) {
  auto most = Csv("time_format=relative&updates=" + Repeat("1,1", kMaxBulkUpdates, "|"));
  BOOST_REQUIRE(most.ok());
  BOOST_TEST(most->updates.size() == kMaxBulkUpdates);
  BOOST_TEST((most->updates.front().created_at == At(1700000000 - 14399)));
  auto too_many = Csv("time_format=relative&updates=" + Repeat("1,1", kMaxBulkUpdates + 1, "|"));
  BOOST_TEST((CodeOf(too_many) == StatusCode::kPayloadTooLarge));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
