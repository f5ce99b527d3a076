// JSON output of the admin commands (--json): one object per invocation, so
// scripts can parse it.
#pragma once

#include <string>
#include <vector>

#include "api/model.h"

namespace fieldpost {

std::string UserJson(const User& user);
std::string ChannelJson(const Channel& channel);
std::string ChannelListJson(const std::vector<Channel>& channels);

}  // namespace fieldpost
