// `fieldpost user create|list|show|delete|key`: scriptable user
// administration, while servers run on the same data directory.
#include <iostream>
#include <memory>

#include "app/admin_output.h"
#include "app/commands.h"
#include "app/common_options.h"
#include "app/json_output.h"
#include "app/open_admin_store.h"

namespace fieldpost {
namespace {

int PrintResult(const Result<User>& user, bool json) {
  if (!user.ok()) return Fail(user.status());
  if (json) {
    std::cout << UserJson(*user) << "\n";
  } else {
    PrintUser(*user);
  }
  return 0;
}

int ShowUser(const AdminOptions& options, const std::string& name) {
  return WithAdminStore(options, [&](AdminStore& store) {
    auto snapshot = store.OpenSnapshot();
    if (!snapshot.ok()) return Fail(snapshot.status());
    auto user = (*snapshot)->FindUser(name);
    if (!user.ok()) return Fail(user.status());
    if (!user->has_value()) return Fail(NotFound("user '" + name + "' not found"));
    return PrintResult(**user, options.json);
  });
}

int ListUsers(const AdminOptions& options) {
  return WithAdminStore(options, [&](AdminStore& store) {
    auto users = store.ListUsers();
    if (!users.ok()) return Fail(users.status());
    if (options.json) {
      std::cout << UserListJson(*users) << "\n";
      return 0;
    }
    for (const User& user : *users) PrintUser(user);
    if (users->empty()) std::cout << "no users\n";
    return 0;
  });
}

}  // namespace

void AddUserCommand(CLI::App& app, int& exit_code) {
  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);

  auto* create = user->add_subcommand("create", "Create a user and print its API key");
  auto create_options = AddAdminOptions(*create);
  auto request = std::make_shared<NewUser>();
  create->add_option("NAME", request->name, "User name: 1-64 of [A-Za-z0-9_.-]")->required();
  create->add_option("--api-key", request->api_key,
                     "Use this user API key instead of a random one (for stations whose "
                     "firmware has a fixed key)");
  create->callback([=, &exit_code] {
    exit_code = WithAdminStore(*create_options, [&](AdminStore& store) {
      return PrintResult(store.CreateUser(*request), create_options->json);
    });
  });

  auto* list = user->add_subcommand("list", "List every user with its API key");
  auto list_options = AddAdminOptions(*list);
  list->callback([=, &exit_code] { exit_code = ListUsers(*list_options); });

  auto* show = user->add_subcommand("show", "Show a user and its API key");
  auto show_options = AddAdminOptions(*show);
  auto show_name = std::make_shared<std::string>();
  show->add_option("NAME", *show_name, "User name")->required();
  show->callback([=, &exit_code] { exit_code = ShowUser(*show_options, *show_name); });

  auto* remove = user->add_subcommand(
      "delete", "Delete a user and its API key (refused while it owns channels)");
  auto remove_options = AddAdminOptions(*remove);
  auto remove_name = std::make_shared<std::string>();
  remove->add_option("NAME", *remove_name, "User name")->required();
  // Required, so CLI11 refuses the command without it; no value to keep.
  remove->add_flag("--yes")->description("Really delete it")->required();
  remove->callback([=, &exit_code] {
    exit_code = WithAdminStore(*remove_options, [&](AdminStore& store) {
      auto deleted = store.DeleteUser(*remove_name);
      if (!deleted.ok() || remove_options->json) return PrintResult(deleted, remove_options->json);
      std::cout << "deleted user " << deleted->name << "\n";
      return 0;
    });
  });

  auto* key = user->add_subcommand("key", "Print a user's API key, or give it a new one");
  auto key_options = AddAdminOptions(*key);
  auto key_name = std::make_shared<std::string>();
  auto regenerate = std::make_shared<bool>(false);
  key->add_option("NAME", *key_name, "User name")->required();
  key->add_flag("--regenerate", *regenerate,
                "Replace the key with a fresh one; the old one stops working at once");
  key->callback([=, &exit_code] {
    if (!*regenerate) {
      exit_code = ShowUser(*key_options, *key_name);
      return;
    }
    exit_code = WithAdminStore(*key_options, [&](AdminStore& store) {
      return PrintResult(store.RegenerateUserKey(*key_name), key_options->json);
    });
  });
}

}  // namespace fieldpost
