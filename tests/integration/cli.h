// Drives the real `fieldpost` binary's admin commands (--json) from tests,
// the way a sysadmin's script would.
#pragma once

#include <string>
#include <vector>

namespace fieldpost::testing {

struct ChannelKeys {
  unsigned id = 0;
  std::string write_key;
  std::string read_key;
  std::string name;
  std::string station;
  unsigned long long last_entry_id = 0;
};

// DATA_DIR may also be a database URI (tests/support/store_location.h), or
// empty for a command that takes neither.
// Runs `fieldpost ARGS... --data DATA_DIR`; returns its exit status, with
// what it printed (stdout and stderr) in `output`.
int TryFieldpost(const std::vector<std::string>& args, const std::string& data_dir,
                 std::string& output);

// Runs `fieldpost ARGS... --data DATA_DIR` and returns its stdout; fails the
// test if it exits non-zero.
std::string RunFieldpost(const std::vector<std::string>& args, const std::string& data_dir);

// `fieldpost user create NAME [--api-key KEY] --json`: the user's API key.
std::string CreateUser(const std::string& data_dir, const std::string& name,
                       const std::string& api_key = "");

// `fieldpost channel create --name NAME [extra] --json`.
ChannelKeys CreateChannel(const std::string& data_dir, const std::string& name,
                          const std::vector<std::string>& extra = {});

// `fieldpost channel list --json`.
std::vector<ChannelKeys> ListChannels(const std::string& data_dir);

}  // namespace fieldpost::testing
