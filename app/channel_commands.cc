// `fieldpost channel create|list|show|update|delete|clear|keys`: scriptable
// channel administration, while servers run on the same data directory.
// Every channel can be managed here, with or without an owner.
#include <iostream>
#include <memory>
#include <optional>

#include "api/channel_settings_parser.h"
#include "app/admin_output.h"
#include "app/commands.h"
#include "app/common_options.h"
#include "app/json_output.h"
#include "app/open_admin_store.h"

namespace fieldpost {
namespace {

int PrintResult(const Result<Channel>& channel, bool json) {
  if (!channel.ok()) return Fail(channel.status());
  if (json) {
    std::cout << ChannelJson(*channel) << "\n";
  } else {
    PrintChannel(*channel);
  }
  return 0;
}

// The channel with its derived members (entries), read anew.
Result<Channel> ReadChannel(AdminStore& store, ChannelId id) {
  auto snapshot = store.OpenSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  auto channel = (*snapshot)->FindChannel(id);
  if (!channel.ok()) return channel.status();
  if (!channel->has_value()) return NotFound("channel " + std::to_string(id) + " not found");
  return std::move(**channel);
}

int ListChannels(const AdminOptions& options) {
  return WithAdminStore(options, [&](AdminStore& store) {
    auto snapshot = store.OpenSnapshot();
    if (!snapshot.ok()) return Fail(snapshot.status());
    auto channels = (*snapshot)->ListChannels();
    if (!channels.ok()) return Fail(channels.status());
    if (options.json) {
      std::cout << ChannelListJson(*channels) << "\n";
      return 0;
    }
    for (const Channel& channel : *channels) PrintChannel(channel);
    if (channels->empty()) std::cout << "no channels\n";
    return 0;
  });
}

// The settings `channel update` takes, as the channel API names them: the
// same parser checks both.
struct SettingFlag {
  const char* flag;
  const char* param;
  const char* help;
};
constexpr const char* kRetentionHelp =
    "Prune entries older than this many days, all but the newest (0 = the server's "
    "retention_days)";
constexpr SettingFlag kSettingFlags[] = {
    {"--name", "name", "Channel name"},
    {"--description", "description", "Channel description"},
    {"--latitude", "latitude", "Latitude in degrees"},
    {"--longitude", "longitude", "Longitude in degrees"},
    {"--elevation", "elevation", "Elevation in metres"},
    {"--metadata", "metadata", "Metadata text"},
    {"--tags", "tags", "Comma-separated tags"},
    {"--url", "url", "Web page of the channel"},
    {"--min-write-interval", "min_write_interval",
     "Refuse writes sooner than this many seconds after the previous one (0 = off)"},
    {"--retention-days", "retention_days", kRetentionHelp},
};

struct ChannelUpdate {
  ChannelId id = 0;
  Params params;                      // filled from the flags given
  std::vector<std::string> values;    // one per flag; reserved, CLI11 keeps pointers
  std::vector<CLI::Option*> options;  // and which were given
  bool make_public = false;
  bool make_private = false;
  std::optional<std::string> owner;
};

int UpdateChannel(const AdminOptions& options, ChannelUpdate& update) {
  for (std::size_t i = 0; i < update.options.size(); ++i) {
    if (update.options[i]->count() == 0) continue;
    const std::string name = i < std::size(kSettingFlags)
                                 ? kSettingFlags[i].param
                                 : "field" + std::to_string(i - std::size(kSettingFlags) + 1);
    update.params.emplace_back(name, update.values[i]);
  }
  if (update.make_public) update.params.emplace_back("public_flag", "true");
  if (update.make_private) update.params.emplace_back("public_flag", "false");
  // Checked before anything is written, as the channel API checks them.
  ChannelSettings probe;
  if (Status s = ApplyChannelSettings(update.params, probe); !s.ok()) return Fail(s);
  return WithAdminStore(options, [&](AdminStore& store) {
    if (!update.params.empty()) {
      auto changed = store.UpdateChannel(update.id, [&](ChannelSettings& settings) {
        return ApplyChannelSettings(update.params, settings);
      });
      if (!changed.ok()) return Fail(changed.status());
    }
    if (update.owner) {
      auto moved = store.SetChannelOwner(update.id, *update.owner);
      if (!moved.ok()) return Fail(moved.status());
    }
    return PrintResult(ReadChannel(store, update.id), options.json);
  });
}

void AddCreate(CLI::App& channel, int& exit_code) {
  auto* create = channel.add_subcommand("create", "Create a channel and print its keys");
  auto options = AddAdminOptions(*create);
  auto request = std::make_shared<NewChannel>();
  create->add_option("--name", request->name, "Channel name")->required();
  create->add_option("--description", request->description, "Channel description");
  create->add_option("--user", request->owner, "Owning user (its user key can then read it)");
  create->add_flag("--public", request->is_public, "Anyone may read the channel without a key");
  create
      ->add_option("--min-write-interval", request->min_write_interval_s,
                   "Refuse writes sooner than this many seconds after the previous one "
                   "(ThingSpeak's rate limit; 0 = off)")
      ->capture_default_str();
  create->add_option("--retention-days", request->retention_days, kRetentionHelp)
      ->check(CLI::Range(0u, ChannelSettings::kMaxRetentionDays));
  for (int field = 1; field <= kFieldCount; ++field) {
    create->add_option("--field" + std::to_string(field), request->field_names[field - 1],
                       "Name of field " + std::to_string(field));
  }
  create->callback([=, &exit_code] {
    exit_code = WithAdminStore(*options, [&](AdminStore& store) {
      return PrintResult(store.CreateChannel(*request), options->json);
    });
  });
}

void AddUpdate(CLI::App& channel, int& exit_code) {
  auto* command = channel.add_subcommand(
      "update", "Change a channel's settings or owner; what is not named stays as it is");
  auto options = AddAdminOptions(*command);
  auto update = std::make_shared<ChannelUpdate>();
  command->add_option("ID", update->id, "Channel id")->required();
  update->values.resize(std::size(kSettingFlags) + kFieldCount);
  for (std::size_t i = 0; i < update->values.size(); ++i) {
    const bool setting = i < std::size(kSettingFlags);
    const std::string field = std::to_string(i - std::size(kSettingFlags) + 1);
    update->options.push_back(
        command->add_option(setting ? kSettingFlags[i].flag : "--field" + field, update->values[i],
                            setting ? kSettingFlags[i].help : "Name of field " + field));
  }
  auto* make_public = command->add_flag("--public", update->make_public,
                                        "Anyone may read the channel without a key");
  command->add_flag("--private", update->make_private, "Only its keys may read the channel")
      ->excludes(make_public);
  command->add_option("--owner", update->owner,
                      "Give the channel to this user (\"\" for nobody); a station's channel "
                      "moves with its station");
  command->callback([=, &exit_code] { exit_code = UpdateChannel(*options, *update); });
}

// `delete` and `clear`: they refuse without --yes.
void AddRemoval(CLI::App& channel, int& exit_code, bool whole_channel) {
  auto* command = channel.add_subcommand(
      whole_channel ? "delete" : "clear",
      whole_channel ? "Delete a channel, its entries and its keys"
                    : "Delete every entry of a channel (entry ids restart at 1)");
  auto options = AddAdminOptions(*command);
  auto id = std::make_shared<ChannelId>(0);
  command->add_option("ID", *id, "Channel id")->required();
  // Required, so CLI11 refuses the command without it; no value to keep.
  command->add_flag("--yes")->description("Really do it")->required();
  command->callback([=, &exit_code] {
    exit_code = WithAdminStore(*options, [&](AdminStore& store) {
      if (whole_channel) {
        auto deleted = store.DeleteChannel(*id);
        if (!deleted.ok() || options->json) return PrintResult(deleted, options->json);
        std::cout << "deleted channel " << deleted->id << " (" << deleted->name << ")\n";
        return 0;
      }
      if (Status s = store.ClearChannel(*id); !s.ok()) return Fail(s);
      return PrintResult(ReadChannel(store, *id), options->json);
    });
  });
}

void AddKeys(CLI::App& channel, int& exit_code) {
  auto* command =
      channel.add_subcommand("keys", "Print a channel's keys, or give it a new write or read key");
  auto options = AddAdminOptions(*command);
  auto id = std::make_shared<ChannelId>(0);
  auto regenerate = std::make_shared<std::string>();
  command->add_option("ID", *id, "Channel id")->required();
  command
      ->add_option("--regenerate", *regenerate,
                   "Replace this key with a fresh one; the old one stops working at once")
      ->check(CLI::IsMember({"write", "read"}));
  command->callback([=, &exit_code] {
    exit_code = WithAdminStore(*options, [&](AdminStore& store) {
      if (regenerate->empty()) return PrintResult(ReadChannel(store, *id), options->json);
      const KeyKind kind = *regenerate == "write" ? KeyKind::kWrite : KeyKind::kRead;
      auto renewed = store.RegenerateChannelKey(*id, kind);
      if (!renewed.ok()) return Fail(renewed.status());
      return PrintResult(ReadChannel(store, *id), options->json);
    });
  });
}

}  // namespace

void AddChannelCommand(CLI::App& app, int& exit_code) {
  auto* channel = app.add_subcommand("channel", "Manage channels");
  channel->require_subcommand(1);
  AddCreate(*channel, exit_code);

  auto* list = channel->add_subcommand("list", "List every channel with its keys");
  auto list_options = AddAdminOptions(*list);
  list->callback([=, &exit_code] { exit_code = ListChannels(*list_options); });

  auto* show = channel->add_subcommand("show", "Show a channel and its keys");
  auto show_options = AddAdminOptions(*show);
  auto show_id = std::make_shared<ChannelId>(0);
  show->add_option("ID", *show_id, "Channel id")->required();
  show->callback([=, &exit_code] {
    exit_code = WithAdminStore(*show_options, [&](AdminStore& store) {
      return PrintResult(ReadChannel(store, *show_id), show_options->json);
    });
  });

  AddUpdate(*channel, exit_code);
  AddRemoval(*channel, exit_code, true);
  AddRemoval(*channel, exit_code, false);
  AddKeys(*channel, exit_code);
  AddPruneCommand(*channel, exit_code);
}

}  // namespace fieldpost
