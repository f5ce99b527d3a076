// JSON output of the admin commands (--json): one object per invocation, so
// scripts can parse it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"

namespace fieldpost {

std::string UserJson(const User& user);
// {"users":[…]}, each as UserJson.
std::string UserListJson(const std::vector<User>& users);
std::string ChannelJson(const Channel& channel);
std::string ChannelListJson(const std::vector<Channel>& channels);
// `backup` and `restore`: the file, the data directory and what was copied.
std::string BackupJson(const std::string& file, const std::string& data_dir, std::uint64_t channels,
                       std::uint64_t entries, std::uint64_t bytes);

}  // namespace fieldpost
