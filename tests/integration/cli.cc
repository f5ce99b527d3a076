#include "tests/integration/cli.h"

#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "tests/support/process.h"
#include "tests/support/store_location.h"

namespace fieldpost::testing {
namespace {

rapidjson::Document ParseJson(const std::string& text) {
  rapidjson::Document document;
  // One JSON object; a log line on stderr may follow it.
  document.Parse<rapidjson::kParseStopWhenDoneFlag>(text.c_str());
  BOOST_REQUIRE_MESSAGE(!document.HasParseError() && document.IsObject(), "not JSON: " << text);
  return document;
}

ChannelKeys KeysOf(const rapidjson::Value& channel) {
  ChannelKeys keys;
  keys.id = channel["id"].GetUint();
  keys.write_key = channel["write_key"].GetString();
  keys.read_key = channel["read_key"].GetString();
  keys.name = channel["name"].GetString();
  keys.station = channel["station"].GetString();
  keys.last_entry_id = channel["last_entry_id"].GetUint64();
  return keys;
}

}  // namespace

int TryFieldpost(const std::vector<std::string>& args, const std::string& data_dir,
                 std::string& output) {
  std::vector<std::string> argv = {FIELDPOST_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  if (!data_dir.empty()) {  // empty: a command that names its own (migrate)
    const std::vector<std::string> store = StoreFlags(data_dir);
    argv.insert(argv.end(), store.begin(), store.end());
  }
  return RunCommand(argv, output);
}

std::string RunFieldpost(const std::vector<std::string>& args, const std::string& data_dir) {
  // Admin commands refuse a missing directory; a sysadmin makes it first.
  if (!data_dir.empty() && !IsDatabaseUri(data_dir)) std::filesystem::create_directories(data_dir);
  std::string output;
  const int code = TryFieldpost(args, data_dir, output);
  BOOST_REQUIRE_MESSAGE(code == 0, "fieldpost " << args[0] << " failed: " << output);
  return output;
}

std::string CreateUser(const std::string& data_dir, const std::string& name,
                       const std::string& api_key) {
  std::vector<std::string> args = {"user", "create", name, "--json"};
  if (!api_key.empty()) args.insert(args.end(), {"--api-key", api_key});
  const auto user = ParseJson(RunFieldpost(args, data_dir));
  return user["api_key"].GetString();
}

ChannelKeys CreateChannel(const std::string& data_dir, const std::string& name,
                          const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"channel", "create", "--name", name, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return KeysOf(ParseJson(RunFieldpost(args, data_dir)));
}

std::vector<ChannelKeys> ListChannels(const std::string& data_dir) {
  const auto list = ParseJson(RunFieldpost({"channel", "list", "--json"}, data_dir));
  std::vector<ChannelKeys> channels;
  for (const auto& channel : list["channels"].GetArray()) channels.push_back(KeysOf(channel));
  return channels;
}

}  // namespace fieldpost::testing
