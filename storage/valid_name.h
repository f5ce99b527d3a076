// User names and chosen API keys share one alphabet, safe in URLs and
// paths: 1 to 64 of [A-Za-z0-9_.-]. Every backend checks with this.
#pragma once

#include <algorithm>
#include <cctype>
#include <string_view>

namespace fieldpost {

inline bool IsValidName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

}  // namespace fieldpost
