// What the admin commands print: a refusal on stderr, and channels and
// users as text for a person (or as JSON, app/json_output.h, for a script).
#pragma once

#include "app/common_options.h"
#include "app/open_admin_store.h"
#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

// Prints "fieldpost: MESSAGE" on stderr; returns the exit code 1.
int Fail(const Status& status);

// Runs `action(AdminStore&)` on the store of `options` (a missing data
// directory refused, see OpenAdminStore) and returns its exit code, or 1
// when the store cannot be opened.
template <typename Action>
int WithAdminStore(const AdminOptions& options, Action action) {
  auto store = OpenAdminStore(options.storage, MissingDirectory::kRefuse);
  if (!store.ok()) return Fail(store.status());
  return action(**store);
}

void PrintChannel(const Channel& channel);
void PrintUser(const User& user);

}  // namespace fieldpost
