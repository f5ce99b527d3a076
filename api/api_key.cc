#include "api/api_key.h"

namespace fieldpost {

std::string FindApiKey(const Request& request, const Params& params) {
  for (const auto& [name, value] : request.headers) {
    if (name.find("thingspeakapikey") != std::string::npos) return value;
  }
  for (const char* name : {"key", "api_key", "apikey"}) {
    if (const std::string* value = FindParam(params, name)) return *value;
  }
  return {};
}

}  // namespace fieldpost
