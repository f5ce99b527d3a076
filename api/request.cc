#include "api/request.h"

#include "core/utf8.h"

namespace fieldpost {

std::string_view Request::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

std::string_view OriginForm(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() > scheme.size() &&
        EqualsIgnoringAsciiCase(target.substr(0, scheme.size()), scheme)) {
      const std::size_t path = target.find('/', scheme.size());
      return path == std::string_view::npos ? "/" : target.substr(path);
    }
  }
  return target;
}

}  // namespace fieldpost
