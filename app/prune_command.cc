// `fieldpost channel prune`: deletes old entries once, of one channel
// before a moment, or of every channel past its retention as the servers'
// background pass does (for a timer when storage.prune_interval_s is 0).
#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "app/admin_output.h"
#include "app/commands.h"
#include "core/time_format.h"

namespace fieldpost {
namespace {

struct PruneRequest {
  ChannelId id = 0;
  std::string before;
  bool expired = false;
};

int Prune(const AdminOptions& options, const PruneRequest& request) {
  Timestamp before{};
  if (!request.expired) {
    // A bare date is its midnight (UTC), as a person writes a cut-off.
    const bool date_only = request.before.size() == 10 && request.before[4] == '-';
    auto parsed = ParseTimestamp(date_only ? request.before + " 00:00:00" : request.before);
    if (!parsed.ok()) return Fail(InvalidArgument("--before: " + parsed.status().message()));
    before = *parsed;
  }
  return WithAdminStore(options, [&](AdminStore& store) {
    auto pruned = request.expired
                      ? store.PruneExpired(std::chrono::time_point_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now()))
                      : store.PruneChannel(request.id, before);
    if (!pruned.ok()) return Fail(pruned.status());
    if (options.json) {
      std::cout << "{\"pruned\":" << *pruned << "}\n";
    } else {
      std::cout << "pruned " << *pruned << (*pruned == 1 ? " entry" : " entries") << "\n";
    }
    return 0;
  });
}

}  // namespace

void AddPruneCommand(CLI::App& channel, int& exit_code) {
  auto* command = channel.add_subcommand(
      "prune",
      "Delete a channel's entries created before a time (all but its newest), or with "
      "--expired those of every channel past its retention_days");
  auto options = AddAdminOptions(*command);
  auto request = std::make_shared<PruneRequest>();
  auto* id = command->add_option("ID", request->id, "Channel id");
  auto* before = command->add_option(
      "--before", request->before,
      "Delete entries created before this time (UTC, as the API reads it: 2026-01-31, "
      "\"2026-01-31 12:00:00\" or ISO 8601 with an offset)");
  auto* expired = command->add_flag(
      "--expired", request->expired,
      "Prune every channel by its retention_days (or the configured default), as the servers do "
      "every storage.prune_interval_s");
  id->needs(before);
  before->needs(id);
  expired->excludes(id)->excludes(before);
  command->callback([=, &exit_code] {
    if (!request->expired && request->before.empty()) {
      exit_code = Fail(InvalidArgument("channel prune needs ID --before TIME, or --expired"));
      return;
    }
    exit_code = Prune(*options, *request);
  });
}

}  // namespace fieldpost
