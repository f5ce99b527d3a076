#include "fcgi/fcgi_exchange.h"

#include <cctype>
#include <charconv>
#include <string>
#include <string_view>

namespace fieldpost {
namespace {

std::string_view Param(FCGX_Request& native, const char* name) {
  const char* value = FCGX_GetParam(name, native.envp);
  return value == nullptr ? std::string_view() : std::string_view(value);
}

// HTTP_X_THINGSPEAKAPIKEY -> x-thingspeakapikey.
std::string HeaderName(std::string_view cgi_name) {
  std::string name(cgi_name);
  for (char& c : name) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
  return name;
}

}  // namespace

Request ReadFcgiRequest(FCGX_Request& native, std::size_t max_body_bytes) {
  Request request;
  request.method = std::string(Param(native, "REQUEST_METHOD"));
  request.query = std::string(Param(native, "QUERY_STRING"));

  std::string_view uri = Param(native, "REQUEST_URI");
  if (uri.empty()) {
    request.path = std::string(Param(native, "PATH_INFO"));
  } else {
    uri = uri.substr(0, uri.find('?'));
    const std::string_view prefix = Param(native, "SCRIPT_NAME");
    if (!prefix.empty() && uri.starts_with(prefix) &&
        (uri.size() == prefix.size() || uri[prefix.size()] == '/')) {
      uri.remove_prefix(prefix.size());
    }
    request.path = std::string(uri);
  }
  if (request.path.empty()) request.path = "/";

  for (char** env = native.envp; *env != nullptr; ++env) {
    const std::string_view entry(*env);
    const std::size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = entry.substr(0, eq);
    if (name.starts_with("HTTP_")) {
      request.headers.emplace_back(HeaderName(name.substr(5)), std::string(entry.substr(eq + 1)));
    } else if (name == "CONTENT_TYPE") {
      request.headers.emplace_back("content-type", std::string(entry.substr(eq + 1)));
    }
  }

  std::size_t length = 0;
  const std::string_view length_text = Param(native, "CONTENT_LENGTH");
  std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
  if (length > max_body_bytes) {
    // Read and drop the body: a web server still sending it when we close
    // the connection would answer 502 instead of our 413.
    char discard[16384];
    while (FCGX_GetStr(discard, sizeof discard, native.in) > 0) {
    }
    request.body_too_large = true;
    return request;
  }
  request.body.resize(length);
  const int got =
      length == 0 ? 0 : FCGX_GetStr(request.body.data(), static_cast<int>(length), native.in);
  request.body.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  return request;
}

void WriteFcgiResponse(FCGX_Request& native, const Response& response) {
  std::string head = "Status: " + std::to_string(response.status) + "\r\n";
  head += "Content-Type: " + response.content_type + "\r\n";
  head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  for (const auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
  head += "\r\n";
  FCGX_PutStr(head.data(), static_cast<int>(head.size()), native.out);
  FCGX_PutStr(response.body.data(), static_cast<int>(response.body.size()), native.out);
}

}  // namespace fieldpost
