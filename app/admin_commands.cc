// `fieldpost user ...` and `fieldpost channel ...`: scriptable
// administration. They open the data directory like any other process, so
// they work while a server runs on it.
#include <iostream>
#include <memory>

#include "app/admin_store.h"
#include "app/commands.h"
#include "app/common_options.h"
#include "app/json_output.h"

namespace fieldpost {
namespace {

int Fail(const Status& status) {
  std::cerr << "fieldpost: " << status.message() << "\n";
  return 1;
}

int CreateUser(const StorageOptions& storage, const NewUser& request, bool json) {
  auto store = OpenAdminStore(storage, MissingDirectory::kRefuse);
  if (!store.ok()) return Fail(store.status());
  auto user = (*store)->CreateUser(request);
  if (!user.ok()) return Fail(user.status());
  if (json) {
    std::cout << UserJson(*user) << "\n";
  } else {
    std::cout << "user     " << user->name << "\napi_key  " << user->api_key << "\n";
  }
  return 0;
}

void PrintChannel(const Channel& channel) {
  std::cout << "channel " << channel.id << "  " << channel.name << "\n"
            << "  owner      " << (channel.owner.empty() ? "-" : channel.owner) << "\n"
            << "  station    " << (channel.station.empty() ? "-" : channel.station) << "\n"
            << "  public     " << (channel.is_public ? "yes" : "no") << "\n"
            << "  write_key  " << channel.write_key << "\n"
            << "  read_key   " << channel.read_key << "\n"
            << "  entries    " << channel.last_entry_id << "\n";
}

int CreateChannel(const StorageOptions& storage, const NewChannel& request, bool json) {
  auto store = OpenAdminStore(storage, MissingDirectory::kRefuse);
  if (!store.ok()) return Fail(store.status());
  auto channel = (*store)->CreateChannel(request);
  if (!channel.ok()) return Fail(channel.status());
  if (json) {
    std::cout << ChannelJson(*channel) << "\n";
  } else {
    PrintChannel(*channel);
  }
  return 0;
}

int ListChannels(const StorageOptions& storage, bool json) {
  auto store = OpenAdminStore(storage, MissingDirectory::kRefuse);
  if (!store.ok()) return Fail(store.status());
  auto snapshot = (*store)->OpenSnapshot();
  if (!snapshot.ok()) return Fail(snapshot.status());
  auto channels = (*snapshot)->ListChannels();
  if (!channels.ok()) return Fail(channels.status());
  if (json) {
    std::cout << ChannelListJson(*channels) << "\n";
  } else {
    for (const Channel& channel : *channels) PrintChannel(channel);
    if (channels->empty()) std::cout << "no channels\n";
  }
  return 0;
}

}  // namespace

void AddUserCommand(CLI::App& app, int& exit_code) {
  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* create = user->add_subcommand("create", "Create a user and print its API key");
  auto storage = std::make_shared<StorageOptions>();
  auto request = std::make_shared<NewUser>();
  auto json = std::make_shared<bool>(false);
  create->add_option("NAME", request->name, "User name: 1-64 of [A-Za-z0-9_.-]")->required();
  AddStorageOptions(*create, *storage, MissingDirectory::kRefuse);
  create->add_option("--api-key", request->api_key,
                     "Use this user API key instead of a random one (for stations whose "
                     "firmware has a fixed key)");
  create->add_flag("--json", *json, "Print one JSON object");
  create->callback([=, &exit_code] { exit_code = CreateUser(*storage, *request, *json); });
}

void AddChannelCommand(CLI::App& app, int& exit_code) {
  auto* channel = app.add_subcommand("channel", "Manage channels");
  channel->require_subcommand(1);

  auto* create = channel->add_subcommand("create", "Create a channel and print its keys");
  auto storage = std::make_shared<StorageOptions>();
  auto request = std::make_shared<NewChannel>();
  auto json = std::make_shared<bool>(false);
  AddStorageOptions(*create, *storage, MissingDirectory::kRefuse);
  create->add_option("--name", request->name, "Channel name")->required();
  create->add_option("--description", request->description, "Channel description");
  create->add_option("--user", request->owner, "Owning user (its user key can then read it)");
  create->add_flag("--public", request->is_public, "Anyone may read the channel without a key");
  create
      ->add_option("--min-write-interval", request->min_write_interval_s,
                   "Refuse writes sooner than this many seconds after the previous one "
                   "(ThingSpeak's rate limit; 0 = off)")
      ->capture_default_str();
  for (int field = 1; field <= kFieldCount; ++field) {
    const std::string flag = "--field" + std::to_string(field);
    create->add_option(flag, request->field_names[field - 1],
                       "Name of field " + std::to_string(field));
  }
  create->add_flag("--json", *json, "Print one JSON object");
  create->callback([=, &exit_code] { exit_code = CreateChannel(*storage, *request, *json); });

  auto* list = channel->add_subcommand("list", "List every channel with its keys");
  auto list_storage = std::make_shared<StorageOptions>();
  auto list_json = std::make_shared<bool>(false);
  AddStorageOptions(*list, *list_storage, MissingDirectory::kRefuse);
  list->add_flag("--json", *list_json, "Print one JSON object");
  list->callback([=, &exit_code] { exit_code = ListChannels(*list_storage, *list_json); });
}

}  // namespace fieldpost
