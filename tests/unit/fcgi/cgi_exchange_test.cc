#include "fcgi/cgi_exchange.h"

#include <boost/test/unit_test.hpp>
#include <initializer_list>
#include <string>
#include <vector>

namespace fieldpost {
namespace {

// The path RequestFromCgi derives from `variables`, given as a web server
// sends them ("NAME=value"); no body.
std::string PathFor(std::initializer_list<std::string> variables) {
  std::vector<std::string> storage(variables);
  std::vector<char*> array;
  for (std::string& variable : storage) array.push_back(variable.data());
  array.push_back(nullptr);
  const BodyReader no_body = [](char*, std::size_t) -> std::size_t { return 0; };
  return RequestFromCgi(array.data(), no_body, 1024).path;
}

std::string FirstLine(const std::string& head) { return head.substr(0, head.find("\r\n") + 2); }

BOOST_AUTO_TEST_SUITE(cgi_exchange)

// conf/nginx: fastcgi_split_path_info puts the mount prefix in SCRIPT_NAME.
BOOST_AUTO_TEST_CASE(shipped_nginx_snippet_strips_the_mount_prefix) {
  BOOST_TEST(PathFor({"SCRIPT_NAME=", "PATH_INFO=/update",
                      "REQUEST_URI=/update?api_key=K&field1=1"}) == "/update");
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot", "PATH_INFO=/channels/3/feeds.json",
                      "REQUEST_URI=/iot/channels/3/feeds.json?x"}) == "/channels/3/feeds.json");
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot", "PATH_INFO=/", "REQUEST_URI=/iot/"}) == "/");
}

// `include fastcgi_params;` sends the whole decoded path as SCRIPT_NAME and no
// PATH_INFO; taking it as the prefix sent every request to the front page.
BOOST_AUTO_TEST_CASE(nginx_fastcgi_params_script_name_is_the_whole_path) {
  BOOST_TEST(PathFor({"SCRIPT_NAME=/update", "REQUEST_URI=/update?api_key=K"}) == "/update");
  // The path stays raw: SCRIPT_NAME is decoded, REQUEST_URI is not.
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot/update/API_key=K/mac=6c:rf/field=1/data=5",
                      "REQUEST_URI=/iot/update/API_key=K/mac=6c%3Arf/field=1/data=5"}) ==
             "/update/API_key=K/mac=6c%3Arf/field=1/data=5");
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot/", "REQUEST_URI=/iot/"}) == "/");
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot/channels.json", "REQUEST_URI=/iot/channels.json"}) ==
             "/channels.json");
  BOOST_TEST(PathFor({"SCRIPT_NAME=/", "REQUEST_URI=/"}) == "/");
}

// ProxyPass sets SCRIPT_NAME to the whole path or to whatever prefix of it
// exists under the DocumentRoot.
// nginx merges slashes in SCRIPT_NAME, so "/update/" leads the raw
// "/update//": stripping it would leave the front page for a write.
// ThingSpeak's user directory ends in names the API also has
// ("channels.json"): the prefix ends before /users, never after it.
BOOST_AUTO_TEST_CASE(the_user_directory_is_an_api_root) {
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot", "REQUEST_URI=/iot/users/alice/channels.json"}) ==
             "/users/alice/channels.json");
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot/users/alice/channels.json",
                      "REQUEST_URI=/iot/users/alice/channels.json"}) ==
             "/users/alice/channels.json");
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot/fieldpost.fcgi", "REQUEST_URI=/iot/users/alice.json"}) ==
             "/users/alice.json");
}

BOOST_AUTO_TEST_CASE(a_normalised_script_name_holding_the_api_is_not_a_prefix) {
  BOOST_TEST(PathFor({"SCRIPT_NAME=/update/", "REQUEST_URI=/update//?api_key=K&field1=1"}) ==
             "/update//");
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot/update/", "REQUEST_URI=/iot/update//?api_key=K"}) ==
             "/update//");
}

BOOST_AUTO_TEST_CASE(apache_proxy_pass_script_name_is_the_path_or_a_part_of_it) {
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot/update", "REQUEST_URI=/iot/update?api_key=K"}) ==
             "/update");
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot", "REQUEST_URI=/iot/update"}) == "/update");
}

// A rewrite to /iot/fieldpost.fcgi keeps REQUEST_URI and names the program.
BOOST_AUTO_TEST_CASE(shared_hosting_script_name_is_the_program) {
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot/fieldpost.fcgi", "REQUEST_URI=/iot/update?x"}) ==
             "/update");
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot/fieldpost.fcgi",
                      "REQUEST_URI=/iot/fieldpost.fcgi/channels/1"}) == "/channels/1");
}

BOOST_AUTO_TEST_CASE(path_info_is_the_path_without_request_uri) {
  BOOST_TEST(PathFor({"SCRIPT_NAME=/iot/fieldpost.cgi", "PATH_INFO=/update"}) == "/update");
}

BOOST_AUTO_TEST_CASE(response_head_has_a_reason_phrase_and_exact_length) {
  Response response;
  response.body = "12345";
  const std::string ok = CgiResponseHead(response);
  BOOST_TEST(FirstLine(ok) == "Status: 200 OK\r\n");
  BOOST_TEST(ok.find("\r\nContent-Length: 5\r\n") != std::string::npos);
  BOOST_TEST(ok.ends_with("\r\n\r\n"));

  response.status = 404;
  response.body.clear();
  const std::string not_found = CgiResponseHead(response);
  BOOST_TEST(FirstLine(not_found) == "Status: 404 Not Found\r\n");
  BOOST_TEST(not_found.find("\r\nContent-Length: 0\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
