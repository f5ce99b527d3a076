#include "storage/database_uri.h"

namespace fieldpost {
namespace {

constexpr std::string_view kSchemes[] = {"postgresql://", "postgres://"};

std::size_t SchemeLength(std::string_view uri) {
  for (std::string_view scheme : kSchemes) {
    if (uri.substr(0, scheme.size()) == scheme) return scheme.size();
  }
  return 0;
}

// Replaces every value of a `password=` parameter after the '?'.
void HideParameterPasswords(std::string& uri) {
  const std::size_t query = uri.find('?');
  if (query == std::string::npos) return;
  for (std::size_t at = query; at < uri.size();) {
    const std::size_t name = at + 1;
    std::size_t end = uri.find('&', name);
    if (end == std::string::npos) end = uri.size();
    constexpr std::string_view kPassword = "password=";
    if (std::string_view(uri).substr(name, kPassword.size()) == kPassword) {
      const std::size_t value = name + kPassword.size();
      uri.replace(value, end - value, "***");
      end = value + 3;
    }
    at = end;
  }
}

}  // namespace

Status CheckDatabaseUri(std::string_view uri) {
  if (SchemeLength(uri) == 0) {
    return InvalidArgument(
        "expected a PostgreSQL URI, postgresql://[USER@]HOST[:PORT]/DBNAME, got '" +
        UriWithoutPassword(uri) + "'");
  }
  return OkStatus();
}

std::string UriWithoutPassword(std::string_view uri) {
  std::string shown(uri);
  const std::size_t start = SchemeLength(uri);
  if (start == 0) {
    // Not a URI: a key=value string may still hold a password.
    return shown.find("password") == std::string::npos ? shown : "(a connection string)";
  }
  // The authority ends at the first '/', '?' or '#'; its user info at the
  // last '@' within it (a password may itself hold '@' only percent-encoded,
  // but be generous).
  std::size_t authority_end = shown.find_first_of("/?#", start);
  if (authority_end == std::string::npos) authority_end = shown.size();
  const std::size_t at = shown.rfind('@', authority_end);
  if (at != std::string::npos && at >= start) {
    const std::size_t colon = shown.find(':', start);
    if (colon != std::string::npos && colon < at) shown.replace(colon + 1, at - colon - 1, "***");
  }
  HideParameterPasswords(shown);
  return shown;
}

}  // namespace fieldpost
