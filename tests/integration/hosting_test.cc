// The ways fieldpost runs on a host besides the FastCGI socket: as a plain
// CGI program, as an uploaded fieldpost.cgi/.fcgi with its configuration
// next to it, and the standalone server configured by a file with flags
// overriding it and an access log.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <regex>

#include "tests/integration/cli.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

// Runs `program` as a web server runs a CGI program, with `body` on stdin.
std::string RunCgi(const std::vector<std::string>& argv, const TempDir& dir,
                   const std::string& method, const std::string& uri,
                   const std::string& body = "") {
  const std::string query = uri.find('?') == std::string::npos ? "" : uri.substr(uri.find('?') + 1);
  WriteFile(dir / "stdin", body);
  std::vector<std::string> environment = {"GATEWAY_INTERFACE=CGI/1.1",
                                          "REQUEST_METHOD=" + method,
                                          "REQUEST_URI=" + uri,
                                          "QUERY_STRING=" + query,
                                          "SCRIPT_NAME=/iot/fieldpost.cgi",
                                          "SERVER_PROTOCOL=HTTP/1.1",
                                          "CONTENT_LENGTH=" + std::to_string(body.size()),
                                          "CONTENT_TYPE=application/x-www-form-urlencoded",
                                          "HTTP_HOST=api.thingspeak.com"};
  std::string output;
  const int code = RunCommand(argv, output, environment, dir / "stdin");
  BOOST_TEST(code == 0, output);
  return output;
}

BOOST_AUTO_TEST_SUITE(hosting)

BOOST_AUTO_TEST_CASE(plain_cgi_answers_one_request) {
  TempDir dir;
  const ChannelKeys channel = CreateChannel(dir / "data", "cgi", {"--public"});
  const std::vector<std::string> argv = {FIELDPOST_BINARY, "fcgi", "--data", dir / "data"};
  const std::string written =
      RunCgi(argv, dir, "POST", "/update", "api_key=" + channel.write_key + "&field1=7.5");
  BOOST_TEST(written.starts_with("Status: 200 OK\r\n"), written);
  BOOST_TEST(written.find("\r\nContent-Length: 1\r\n") != std::string::npos);
  BOOST_TEST(written.find("\r\n\r\n1") != std::string::npos, written);
  const std::string read =
      RunCgi(argv, dir, "GET", "/channels/" + std::to_string(channel.id) + "/fields/1/last.txt");
  BOOST_TEST(read.find("\r\n\r\n7.5") != std::string::npos, read);
  const std::string rejected = RunCgi(argv, dir, "GET", "/update?api_key=NOPE&field1=1");
  BOOST_TEST(rejected.starts_with("Status: 400 Bad Request\r\n"), rejected);
}

BOOST_AUTO_TEST_CASE(an_uploaded_program_finds_its_configuration_next_to_it) {
  TempDir dir;
  const std::string site = dir / "site";
  std::filesystem::create_directories(site);
  std::filesystem::copy_file(FIELDPOST_BINARY, site + "/fieldpost.cgi");
  // Without a configuration the data lives next to the program.
  const ChannelKeys first = CreateChannel(site + "/data", "here", {"--public"});
  const std::string answer = RunCgi({site + "/fieldpost.cgi"}, dir, "GET",
                                    "/iot/update?api_key=" + first.write_key + "&field1=1");
  BOOST_TEST(answer.find("\r\n\r\n1") != std::string::npos, answer);
  // A fieldpost.conf next to it moves the data.
  WriteFile(site + "/fieldpost.conf", "data = " + (dir / "elsewhere") + "\n");
  const ChannelKeys second = CreateChannel(dir / "elsewhere", "there", {"--public"});
  const std::string moved = RunCgi({site + "/fieldpost.cgi"}, dir, "GET",
                                   "/iot/update?api_key=" + second.write_key + "&field1=2");
  BOOST_TEST(moved.find("\r\n\r\n1") != std::string::npos, moved);
  // A broken configuration is a clear 500, not a silent failure.
  WriteFile(site + "/fieldpost.conf", "colour = blue\n");
  // The client is told where to look; what the file says (paths, keys)
  // goes to the log (stderr, the web server's error log) only.
  std::string output;
  WriteFile(dir / "stdin", "");
  RunCommand({"/bin/sh", "-c", "exec \"$0\" 2>\"$1\"", site + "/fieldpost.cgi", dir / "stderr"},
             output, std::vector<std::string>{"REQUEST_METHOD=GET", "REQUEST_URI=/update"},
             dir / "stdin");
  BOOST_TEST(output.starts_with("Status: 500"), output);
  BOOST_TEST(output.find("error log") != std::string::npos, output);
  BOOST_TEST(output.find("colour") == std::string::npos, output);
  BOOST_TEST(output.find(site) == std::string::npos, output);
  const std::string log = ReadFile(dir / "stderr");
  BOOST_TEST(log.find("unknown key 'colour'") != std::string::npos, log);
}

BOOST_AUTO_TEST_CASE(config_file_flags_override_and_access_log) {
  TempDir dir;
  const ChannelKeys channel = CreateChannel(dir / "data", "logged", {"--public"});
  // The file's listen address is unusable: the flag must win over it.
  WriteFile(dir / "fieldpost.conf",
            "data = " + (dir / "data") +
                "\nserve.listen = 999.0.0.1:1\nserve.access_log = " + (dir / "access.log") + "\n");
  Process server(
      {FIELDPOST_BINARY, "serve", "--config", dir / "fieldpost.conf", "--listen", "127.0.0.1:0"},
      dir / "serve.out", dir / "serve.log");
  const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)/");
  std::smatch match;
  std::uint16_t port = 0;
  BOOST_REQUIRE_MESSAGE(WaitFor(
                            [&] {
                              const std::string log = ReadFile(dir / "serve.log");
                              if (!std::regex_search(log, match, listening)) return false;
                              port = static_cast<std::uint16_t>(std::stoi(match[1]));
                              return true;
                            },
                            std::chrono::seconds(20)),
                        ReadFile(dir / "serve.log"));
  BOOST_TEST(Get(port, "/update?api_key=" + channel.write_key + "&field1=3").body == "1");
  BOOST_TEST(Get(port, "/nothing").status == 404);
  const std::regex line(
      "127\\.0\\.0\\.1 - - \\[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} "
      "\\+0000\\] "
      "\"GET /update\\?api_key=[A-Z0-9]+&field1=3 HTTP/1\\.1\" 200 1\n"
      "127\\.0\\.0\\.1 - - \\[[^\\]]+\\] \"GET /nothing HTTP/1\\.1\" 404 [0-9]+\n");
  BOOST_TEST(std::regex_match(ReadFile(dir / "access.log"), line), ReadFile(dir / "access.log"));
  // check-config reports the same file's problems with file and line.
  WriteFile(dir / "bad.conf", "serve.threads = lots\n");
  std::string output;
  BOOST_TEST(RunCommand({FIELDPOST_BINARY, "check-config", "--config", dir / "bad.conf"}, output) ==
             1);
  BOOST_TEST(output.find("bad.conf:1: serve.threads") != std::string::npos, output);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
