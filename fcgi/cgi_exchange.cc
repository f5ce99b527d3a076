#include "fcgi/cgi_exchange.h"

#include <cctype>
#include <charconv>
#include <string_view>

#include "api/http_errors.h"

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
// path segments and something follows it.
bool StripPrefix(std::string_view& path, std::string_view prefix) {
  if (prefix.empty() || path.size() <= prefix.size() || !path.starts_with(prefix) ||
      path[prefix.size()] != '/') {
    return false;
  }
  path.remove_prefix(prefix.size());
  return true;
}

// Whether `rest` (from a '/' on) starts with the /update, /channels or
// /users segment, with or without a format extension.
bool StartsAtApiRoot(std::string_view rest) {
  for (std::string_view root : {"/update", "/channels", "/users"}) {
    if (rest.starts_with(root) &&
        (rest.size() == root.size() || rest[root.size()] == '/' || rest[root.size()] == '.')) {
      return true;
    }
  }
  return false;
}

bool HoldsApiRoot(std::string_view path) {
  for (std::size_t at = path.find('/'); at != std::string_view::npos; at = path.find('/', at + 1)) {
    if (StartsAtApiRoot(path.substr(at))) return true;
  }
  return false;
}

// The API path inside a path with an unknown mount prefix: from the first
// "/update", "/channels" or "/users" segment on, or else the last segment ("/iot/" is
// the front page "/"). The same rule as the shipped nginx snippet's
// fastcgi_split_path_info, so every configuration routes alike.
std::string_view FindApiPath(std::string_view path) {
  for (std::size_t at = path.find('/'); at != std::string_view::npos; at = path.find('/', at + 1)) {
    const std::string_view rest = path.substr(at);
    if (StartsAtApiRoot(rest) || rest.find('/', 1) == std::string_view::npos) {
      return rest;
    }
  }
  return path;
}

// The API path: REQUEST_URI (raw, as the client sent it) without the query
// and without the mount prefix; the PATH_INFO when there is no REQUEST_URI.
std::string ApiPath(char** variables) {
  std::string_view uri = Variable(variables, "REQUEST_URI");
  if (uri.empty()) return std::string(Variable(variables, "PATH_INFO"));
  uri = uri.substr(0, uri.find('?'));
  // The shipped nginx and Apache configurations set SCRIPT_NAME to the
  // mount prefix ("/iot"; empty at the root), and the API path follows it.
  // A SCRIPT_NAME that holds the API itself is no prefix, even where it
  // happens to lead the raw path ("/update/" from "/update//?…", merged).
  const std::string_view script = Variable(variables, "SCRIPT_NAME");
  if (script.empty() || (!HoldsApiRoot(script) && StripPrefix(uri, script))) {
    return std::string(uri);
  }
  // Otherwise the web server did not split the path, and SCRIPT_NAME is no
  // prefix to strip: nginx's habitual `include fastcgi_params` sends the
  // whole decoded path, Apache's ProxyPass whatever files happen to exist
  // under the DocumentRoot, and shared hosting's rewrite the program's own
  // name (/iot/fieldpost.fcgi). Taking it as the prefix would send every
  // request, writes included, to the front page.
  return std::string(FindApiPath(uri));
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
  // nginx copies this line into its status line: without the phrase the
  // client would see "HTTP/1.1 200" and nothing after it.
  std::string head = "Status: " + std::to_string(response.status);
  if (const std::string_view reason = StatusLineReason(response.status); !reason.empty()) {
    head.append(" ").append(reason);
  }
  head += "\r\n";
  head.append("Content-Type: ").append(response.content_type).append("\r\n");
  head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  for (const auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
  for (const StaticHeader& header : response.static_headers) {
    head.append(header.name).append(": ").append(header.value).append("\r\n");
  }
  return head + "\r\n";
}

}  // namespace fieldpost
