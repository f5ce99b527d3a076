// The NotFound statuses every backend gives, in the same words.
#pragma once

#include <string>
#include <string_view>

#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

inline Status NoChannel(ChannelId id) {
  return NotFound("channel " + std::to_string(id) + " not found");
}
inline Status NoUser(std::string_view name) {
  return NotFound("user '" + std::string(name) + "' not found");
}

}  // namespace fieldpost
