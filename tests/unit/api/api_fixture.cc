#include "tests/unit/api/api_fixture.h"

#include <boost/test/unit_test.hpp>

namespace fieldpost::testing {

ApiFixture::ApiFixture() {
  StorageOptions options;
  options.data_dir = dir / "data";
  auto opened = LmdbStore::Open(options);
  BOOST_REQUIRE_MESSAGE(opened.ok(), opened.status().message());
  store = std::move(opened).value();
  ApiOptions api_options;
  api_options.max_body_bytes = 1024;
  api_options.max_target_bytes = 2048;
  api = std::make_unique<Api>(*store, api_options);

  auto created_user = store->CreateUser({"alice", ""});
  BOOST_REQUIRE(created_user.ok());
  user = *created_user;
  NewChannel private_request;
  private_request.name = "garden";
  private_request.description = "back garden";
  private_request.owner = "alice";
  private_request.field_names[0] = "Temperature";
  private_request.field_names[1] = "Humidity";
  auto created_private = store->CreateChannel(private_request);
  BOOST_REQUIRE(created_private.ok());
  private_channel = *created_private;
  NewChannel public_request;
  public_request.name = "street";
  public_request.is_public = true;
  auto created_public = store->CreateChannel(public_request);
  BOOST_REQUIRE(created_public.ok());
  public_channel = *created_public;
}

Response ApiFixture::Call(const std::string& method, const std::string& target,
                          const std::string& body,
                          std::vector<std::pair<std::string, std::string>> headers) {
  Request request;
  request.method = method;
  const std::size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = target.substr(question + 1);
  request.body = body;
  request.headers = std::move(headers);
  return api->Handle(request);
}

EntryId ApiFixture::EntryCount(ChannelId channel) {
  auto snapshot = store->OpenSnapshot();
  BOOST_REQUIRE(snapshot.ok());
  auto found = (*snapshot)->FindChannel(channel);
  BOOST_REQUIRE(found.ok() && found->has_value());
  return (*found)->last_entry_id;
}

}  // namespace fieldpost::testing
