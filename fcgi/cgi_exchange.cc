#include "fcgi/cgi_exchange.h"

#include <cctype>
#include <charconv>
#include <string_view>

namespace fieldpost {
namespace {

std::string_view Variable(char** variables, std::string_view name) {
  for (char** entry = variables; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (text.size() > name.size() && text.starts_with(name) && text[name.size()] == '=') {
      return text.substr(name.size() + 1);
    }
  }
  return {};
}

// HTTP_X_THINGSPEAKAPIKEY -> x-thingspeakapikey.
std::string HeaderName(std::string_view cgi_name) {
  std::string name(cgi_name);
  for (char& c : name) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
  return name;
}

// Removes `prefix` from the front of `path` if it stands there as whole
// path segments.
bool StripPrefix(std::string_view& path, std::string_view prefix) {
  if (prefix.empty() || !path.starts_with(prefix) ||
      (path.size() != prefix.size() && path[prefix.size()] != '/')) {
    return false;
  }
  path.remove_prefix(prefix.size());
  return true;
}

// The API path: REQUEST_URI (raw, as the client sent it) without the query
// and without the mount prefix; the PATH_INFO when there is no REQUEST_URI.
std::string ApiPath(char** variables) {
  std::string_view uri = Variable(variables, "REQUEST_URI");
  if (uri.empty()) return std::string(Variable(variables, "PATH_INFO"));
  uri = uri.substr(0, uri.find('?'));
  // nginx and mod_proxy_fcgi: SCRIPT_NAME is the mount prefix ("/iot").
  const std::string_view script = Variable(variables, "SCRIPT_NAME");
  if (StripPrefix(uri, script)) return std::string(uri);
  // Shared hosting rewrites /iot/update to /iot/fieldpost.fcgi/update but
  // keeps REQUEST_URI: SCRIPT_NAME names the program, whose directory is
  // the mount prefix.
  StripPrefix(
      uri, script.substr(0, script.rfind('/') == std::string_view::npos ? 0 : script.rfind('/')));
  return std::string(uri);
}

}  // namespace

Request RequestFromCgi(char** variables, const BodyReader& read_body, std::size_t max_body_bytes) {
  Request request;
  request.method = std::string(Variable(variables, "REQUEST_METHOD"));
  request.query = std::string(Variable(variables, "QUERY_STRING"));
  request.path = ApiPath(variables);
  if (request.path.empty()) request.path = "/";

  for (char** entry = variables; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = text.substr(0, eq);
    if (name.starts_with("HTTP_")) {
      request.headers.emplace_back(HeaderName(name.substr(5)), std::string(text.substr(eq + 1)));
    } else if (name == "CONTENT_TYPE") {
      request.headers.emplace_back("content-type", std::string(text.substr(eq + 1)));
    }
  }

  std::size_t length = 0;
  const std::string_view length_text = Variable(variables, "CONTENT_LENGTH");
  std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
  if (length > max_body_bytes) {
    // Read and drop the body: a web server still sending it when we close
    // the connection would answer 502 instead of our 413.
    char discard[16384];
    while (read_body(discard, sizeof discard) > 0) {
    }
    request.body_too_large = true;
    return request;
  }
  request.body.resize(length);
  std::size_t got = 0;
  while (got < length) {
    const std::size_t n = read_body(request.body.data() + got, length - got);
    if (n == 0) break;
    got += n;
  }
  request.body.resize(got);
  return request;
}

std::string CgiResponseHead(const Response& response) {
  std::string head = "Status: " + std::to_string(response.status) + "\r\n";
  head += "Content-Type: " + response.content_type + "\r\n";
  head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  for (const auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
  return head + "\r\n";
}

}  // namespace fieldpost
