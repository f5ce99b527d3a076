#include "api/request.h"

namespace fieldpost {

std::string_view Request::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

std::string_view OriginForm(std::string_view target) {
  const auto starts_with_scheme = [&](std::string_view scheme) {
    if (target.size() <= scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
      const char c = target[i];
      if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != scheme[i]) return false;
    }
    return true;
  };
  for (std::string_view scheme : {"http://", "https://"}) {
    if (starts_with_scheme(scheme)) {
      const std::size_t path = target.find('/', scheme.size());
      return path == std::string_view::npos ? "/" : target.substr(path);
    }
  }
  return target;
}

}  // namespace fieldpost
