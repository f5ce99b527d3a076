// `fieldpost demo`: makes sure a demo user and a public demo channel exist
// (reusing them on later runs) and prints their keys and URLs to paste into
// a browser. The quick start runs it before `fieldpost serve`.
#include <iostream>
#include <memory>

#include "app/admin_output.h"
#include "app/commands.h"
#include "app/common_options.h"
#include "app/open_admin_store.h"

namespace fieldpost {
namespace {

constexpr const char* kDemoUser = "demo";
constexpr const char* kDemoChannel = "Demo weather station";

Result<User> EnsureUser(Store& store) {
  auto snapshot = store.OpenSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  auto user = (*snapshot)->FindUser(kDemoUser);
  if (!user.ok()) return user.status();
  if (user->has_value()) return **user;
  snapshot->reset();
  return store.CreateUser({kDemoUser, ""});
}

Result<Channel> EnsureChannel(Store& store) {
  auto snapshot = store.OpenSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  auto channels = (*snapshot)->ListChannels();
  if (!channels.ok()) return channels.status();
  for (const Channel& channel : *channels) {
    if (channel.owner == kDemoUser && channel.name == kDemoChannel) return channel;
  }
  snapshot->reset();
  NewChannel channel;
  channel.name = kDemoChannel;
  channel.description = "Created by fieldpost demo";
  channel.owner = kDemoUser;
  channel.is_public = true;
  channel.field_names[0] = "Temperature";
  channel.field_names[1] = "Humidity";
  return store.CreateChannel(channel);
}

int RunDemo(const StorageOptions& storage, const std::string& url) {
  // The quick start makes ./data on its first run.
  auto store = OpenAdminStore(storage, MissingDirectory::kCreate);
  if (!store.ok()) return Fail(store.status());
  auto user = EnsureUser(**store);
  if (!user.ok()) return Fail(user.status());
  auto channel = EnsureChannel(**store);
  if (!channel.ok()) return Fail(channel.status());
  const std::string id = std::to_string(channel->id);
  std::cout << "fieldpost demo data in " << (*store)->Location() << "\n\n"
            << "  user \"" << user->name << "\"   user API key  " << user->api_key << "\n"
            << "  channel " << id << " \"" << channel->name << "\" (public)   write key  "
            << channel->write_key << "   read key  " << channel->read_key << "\n\n"
            << "Paste into a browser:\n"
            << "  store a reading     " << url << "/update?api_key=" << channel->write_key
            << "&field1=72.3\n"
            << "  read it back        " << url << "/channels/" << id << "/fields/1/last.txt\n"
            << "  the last entry      " << url << "/channels/" << id << "/feeds/last.json\n"
            << "  the feed            " << url << "/channels/" << id << "/feeds.json?results=10\n"
            << "  its live page       " << url << "/channels/" << id << "\n"
            << "  all public channels " << url << "/\n"
            << "  a station's reading " << url << "/update/API_key=" << user->api_key
            << "/mac=6c:rf:7f:2b:0e:g8/field=1/data=72.3\n"
            << "    (its channel is created on first use; see `fieldpost channel list "
            << (storage.uses_database() ? "--database URI" : "--data " + storage.data_dir)
            << "`)\n\n";
  return 0;
}

}  // namespace

void AddDemoCommand(CLI::App& app, int& exit_code) {
  auto* command =
      app.add_subcommand("demo", "Create (or reuse) a demo user and channel and print URLs");
  auto storage = std::make_shared<StorageOptions>();
  auto url = std::make_shared<std::string>("http://localhost:8080");
  AddStorageOptions(*command, *storage, MissingDirectory::kCreate);
  command->add_option("--url", *url, "Base URL the printed examples use")->capture_default_str();
  command->callback([=, &exit_code] { exit_code = RunDemo(*storage, *url); });
}

}  // namespace fieldpost
