#include "api/page_handlers.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "api/web_assets.h"
#include "tests/unit/api/api_fixture.h"

namespace fieldpost {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string HeaderOf(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

struct PageFixture : testing::ApiFixture {
  PageFixture() {
    const std::string write = "/update?api_key=" + private_channel.write_key;
    BOOST_REQUIRE(Get(write + "&field1=12.5&field2=%3Cb%3E").body == "1");
    BOOST_REQUIRE(Get("/update?api_key=" + public_channel.write_key + "&field3=7").body == "1");
  }
  std::string private_page() const { return "/channels/" + std::to_string(private_channel.id); }
  std::string public_page() const { return "/channels/" + std::to_string(public_channel.id); }
  // GET as a browser asks for a page.
  Response Page(const std::string& target) {
    return Call("GET", target, "", {{"accept", "text/html,application/xhtml+xml,*/*;q=0.8"}});
  }
};

BOOST_FIXTURE_TEST_SUITE(page_handlers, PageFixture)

BOOST_AUTO_TEST_CASE(home_lists_public_channels_with_their_latest_values) {
  const Response home = Get("/");
  BOOST_TEST(home.status == 200);
  BOOST_TEST(home.content_type == "text/html; charset=utf-8");
  BOOST_TEST(Contains(home.body,
                      "<a href=\"channels/" + std::to_string(public_channel.id) + "\">street</a>"),
             home.body);
  // The used field of an unnamed channel is listed with its value.
  BOOST_TEST(Contains(home.body, "<dt>Field 3</dt><dd>7</dd>"));
  BOOST_TEST(!Contains(home.body, "garden"));
  BOOST_TEST(!Contains(home.body, "12.5"));
  BOOST_TEST(Contains(HeaderOf(home, "Content-Security-Policy"), "default-src 'none'"));
}

BOOST_AUTO_TEST_CASE(private_channel_page_shows_nothing_without_its_key) {
  for (const std::string& query : {std::string(), "?api_key=WRONGKEY" + std::string(),
                                   "?api_key=" + public_channel.read_key}) {
    const Response page = Page(private_page() + query);
    BOOST_TEST(page.status == 403, query);
    BOOST_TEST(Contains(page.body, "This channel is private"));
    BOOST_TEST(Contains(page.body, "does not open") == !query.empty(), query);
    BOOST_TEST(!Contains(page.body, "garden"));
    BOOST_TEST(!Contains(page.body, "Temperature"));
    BOOST_TEST(!Contains(page.body, "12.5"));
    BOOST_TEST(!HeaderOf(page, "X-Fieldpost-Error").empty());
  }
}

BOOST_AUTO_TEST_CASE(channel_page_opens_with_a_key_and_escapes_values) {
  const Response page = Page(private_page() + "?api_key=" + private_channel.read_key);
  BOOST_TEST(page.status == 200);
  BOOST_TEST(Contains(page.body, "<h1>garden</h1>"));
  BOOST_TEST(Contains(page.body, "data-api-key=\"" + private_channel.read_key + "\""));
  BOOST_TEST(HeaderOf(page, "Vary") == "Accept");
  BOOST_TEST(Contains(page.body, "<span class=\"value\" id=\"field1-value\">12.5</span>"));
  // Stored text is shown, never interpreted as markup.
  BOOST_TEST(Contains(page.body, "id=\"field2-value\">&lt;b&gt;</span>"));
  BOOST_TEST(HeaderOf(page, "Cache-Control") == "no-store");
  // The download link opens with the key the page reads with.
  BOOST_TEST(Contains(page.body, "<a href=\"" + std::to_string(private_channel.id) +
                                     "/feeds.csv?results=8000&amp;api_key=" +
                                     private_channel.read_key + "\" download>Download CSV</a>"));
  // The owner's user key and the write key open it too, as for the data
  // reads, but the page reads with the read key: the stronger keys stay
  // out of the page and of its requests.
  for (const std::string& key : {user.api_key, private_channel.write_key}) {
    const Response opened = Page(private_page() + "?api_key=" + key);
    BOOST_TEST(opened.status == 200);
    BOOST_TEST(!Contains(opened.body, key));
    BOOST_TEST(Contains(opened.body, "data-api-key=\"" + private_channel.read_key + "\""));
  }
}

BOOST_AUTO_TEST_CASE(names_and_descriptions_are_escaped) {
  const Response created = Call("POST", "/channels.json",
                                "api_key=" + user.api_key +
                                    "&name=%3Cscript%3Ex%3C%2Fscript%3E&description=a%22b%27c%26d"
                                    "&field1=%3Ci%3E&public_flag=true");
  BOOST_REQUIRE(created.status == 200);
  const std::string id = created.body.substr(6, created.body.find(',') - 6);
  BOOST_REQUIRE(Get("/channels/" + id + ".json").status == 200);
  for (const Response& page : {Page("/"), Page("/channels/" + id)}) {
    BOOST_TEST(!Contains(page.body, "<script>x"));
    BOOST_TEST(Contains(page.body, "&lt;script&gt;x&lt;/script&gt;"));
    BOOST_TEST(Contains(page.body, "a&quot;b&apos;c&amp;d"));
    BOOST_TEST(!Contains(page.body, "<i>"));
  }
}

BOOST_AUTO_TEST_CASE(public_channel_page_carries_no_key) {
  const Response page = Page(public_page() + "?api_key=" + public_channel.write_key);
  BOOST_TEST(page.status == 200);
  BOOST_TEST(Contains(page.body, "data-api-key=\"\""));
  BOOST_TEST(!Contains(page.body, public_channel.write_key));
  BOOST_TEST(Contains(page.body, "<a href=\"" + std::to_string(public_channel.id) +
                                     "/feeds.csv?results=8000\" download>"));
}

BOOST_AUTO_TEST_CASE(page_and_data_share_the_channel_path) {
  // Without an extension a browser gets the page (as on ThingSpeak) and
  // every other client the channel's JSON, as before there were pages;
  // with .json it is always the data, and the other methods are unchanged.
  BOOST_TEST(Page(public_page()).content_type == "text/html; charset=utf-8");
  for (const std::string& path : {public_page(), public_page() + ".json"}) {
    const Response view = Get(path);
    BOOST_TEST(view.content_type == "application/json; charset=utf-8", path);
    BOOST_TEST(view.body.starts_with("{\"id\":"), path);
  }
  BOOST_TEST(HeaderOf(Get(public_page()), "Vary") == "Accept");
  BOOST_TEST(Page(public_page() + ".json").content_type == "application/json; charset=utf-8");
  const Response renamed = Call("PUT", private_page(), "api_key=" + user.api_key + "&name=Roof");
  BOOST_TEST(renamed.status == 200);
  BOOST_TEST(Contains(renamed.body, "\"name\":\"Roof\""));
  const Response missing = Page("/channels/99");
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(Contains(missing.body, "Channel not found"));
  BOOST_TEST(!HeaderOf(missing, "X-Fieldpost-Error").empty());
  BOOST_TEST(Page("/channels/1.html").status == 404);
}

BOOST_AUTO_TEST_CASE(assets_are_embedded_and_cached_by_version) {
  for (const char* name : {"fieldpost.js", "fieldpost.css", "dygraph.js", "dygraph.css"}) {
    const WebAsset* asset = FindWebAsset(name);
    BOOST_REQUIRE_MESSAGE(asset != nullptr, name);
    BOOST_TEST(!asset->body.empty());
    BOOST_TEST(!Contains(std::string(asset->body), "sourceMappingURL"), name);
    const std::string path = std::string("/channels/assets/") + name;
    const Response plain = Get(path);
    BOOST_TEST(plain.status == 200);
    BOOST_TEST(plain.body == asset->body);
    BOOST_TEST(HeaderOf(plain, "Cache-Control") == "no-cache");
    const Response versioned = Get(path + "?v=" + std::string(asset->version));
    BOOST_TEST(Contains(HeaderOf(versioned, "Cache-Control"), "immutable"));
  }
  BOOST_TEST(Get("/channels/assets/dygraph.css").content_type == "text/css; charset=utf-8");
  BOOST_TEST(Get("/channels/assets/fieldpost.js").content_type == "text/javascript; charset=utf-8");
  // Pages name the versioned URLs, relative to themselves.
  const std::string version(FindWebAsset("fieldpost.js")->version);
  BOOST_TEST(Contains(Get("/").body, "src=\"channels/assets/fieldpost.js?v=" + version + "\""));
  BOOST_TEST(Contains(Page(public_page()).body, "src=\"assets/fieldpost.js?v=" + version + "\""));
  const Response missing = Get("/channels/assets/nope.js");
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(missing.content_type == "text/html; charset=utf-8");
  BOOST_TEST(Get("/channels/assets/../1.json").status == 404);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
