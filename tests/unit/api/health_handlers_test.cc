#include "api/health_handlers.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/unit/api/api_fixture.h"

namespace fieldpost {
namespace {

// A store whose snapshots cannot be opened, as when the database is gone
// or the reader table is full; everything else is refused too.
class BrokenStore : public Store {
 public:
  Result<std::unique_ptr<StoreSnapshot>> OpenSnapshot() override { return Broken(); }
  Result<Entry> Append(const EntryWrite&) override { return Broken(); }
  void SubmitAppend(EntryWrite, AppendDone done) override { done(Broken()); }
  Result<User> CreateUser(const NewUser&) override { return Broken(); }
  Result<Channel> CreateChannel(const NewChannel&) override { return Broken(); }
  Result<std::vector<Entry>> AppendBulk(const BulkWrite&) override { return Broken(); }
  Result<Channel> UpdateChannel(ChannelId, const SettingsChange&) override { return Broken(); }
  Status ClearChannel(ChannelId) override { return Broken(); }
  Result<Channel> DeleteChannel(ChannelId) override { return Broken(); }

 private:
  static Status Broken() { return Internal("mdb_txn_begin: MDB_READERS_FULL"); }
};

std::string HeaderOf(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

BOOST_AUTO_TEST_SUITE(health_handlers)

BOOST_FIXTURE_TEST_CASE(a_store_that_answers_is_healthy, testing::ApiFixture) {
  for (const char* target : {"/health", "/health.json"}) {
    const Response response = Get(target);
    BOOST_TEST(response.status == 200, target);
    BOOST_TEST(response.body == R"({"status":"ok"})");
    BOOST_TEST(response.content_type == "application/json; charset=utf-8");
    BOOST_TEST(HeaderOf(response, "Cache-Control") == "no-store");
  }
}

// The detail (a file, an errno text) is for the log, not for whoever polls.
BOOST_AUTO_TEST_CASE(a_store_that_does_not_answer_is_503_without_its_detail) {
  BrokenStore store;
  Api api(store, ApiOptions{});
  Request request;
  request.method = "GET";
  request.path = "/health";
  const Response response = api.Handle(request);
  BOOST_TEST(response.status == 503);
  BOOST_TEST(response.body ==
             R"({"status":"unavailable","reason":"internal error; the server's log says more"})");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
