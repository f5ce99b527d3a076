// `fieldpost migrate --from-data DIR --to-database URI`: moves a site from
// LMDB to PostgreSQL (docs/deploy/postgresql.md). The servers on DIR are
// stopped first: a write they take during the copy would not be in it.
#include <unistd.h>

#include <iostream>

#include "app/admin_output.h"
#include "app/commands.h"
#include "app/open_admin_store.h"
#include "storage/database_uri.h"
#if FIELDPOST_POSTGRES
#include "storage/store_migration.h"
#endif

namespace fieldpost {
namespace {

struct MigrateRequest {
  std::string from_data;
  std::string to_database;
  bool json = false;
};

int RunMigrate(const MigrateRequest& request) {
#if FIELDPOST_POSTGRES
  StorageOptions source;
  source.data_dir = request.from_data;
  auto opened = OpenAdminStore(source, MissingDirectory::kRefuse);
  if (!opened.ok()) return Fail(opened.status());
  // OpenAdminStore opens a data directory with the LMDB store.
  auto* from = dynamic_cast<LmdbStore*>(opened->get());
  if (from == nullptr) return Fail(Internal("--from-data did not open a data directory"));
  const bool bar = isatty(STDERR_FILENO);
  auto report = MigrateToDatabase(
      *from, request.to_database, [bar](std::uint64_t copied, std::uint64_t total) {
        if (!bar) return;
        const std::uint64_t percent =
            total == 0 ? 100 : std::min<std::uint64_t>(100, copied * 100 / total);
        std::cerr << "\rfieldpost: copied " << copied << " of " << total << " entries (" << percent
                  << "%)" << std::flush;
      });
  if (bar && report.ok() && report->entries > 0) std::cerr << "\n";
  if (!report.ok()) return Fail(report.status());
  if (request.json) {
    std::cout << "{\"users\":" << report->users << ",\"channels\":[";
    for (std::size_t i = 0; i < report->channels.size(); ++i) {
      const ChannelCopy& channel = report->channels[i];
      std::cout << (i > 0 ? "," : "") << "{\"id\":" << channel.id
                << ",\"entries\":" << channel.entries << ",\"checksum\":\"" << std::hex
                << channel.checksum << std::dec << "\"}";
    }
    std::cout << "],\"entries\":" << report->entries << "}\n";
  } else {
    std::cout << "migrated " << report->users << (report->users == 1 ? " user, " : " users, ")
              << report->channels.size()
              << (report->channels.size() == 1 ? " channel and " : " channels and ")
              << report->entries << (report->entries == 1 ? " entry" : " entries") << " to "
              << UriWithoutPassword(request.to_database)
              << "; counts and checksums verified per channel\n";
  }
  return 0;
#else
  (void)request;
  return Fail(Unavailable("this fieldpost was built without PostgreSQL support"));
#endif
}

}  // namespace

void AddMigrateCommand(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand(
      "migrate",
      "Copy a data directory (users, channels, keys, every entry with its id and time) into "
      "an empty PostgreSQL database, then verify it; stop the servers on the directory first");
  auto request = std::make_shared<MigrateRequest>();
  command->add_option("--from-data", request->from_data, "The data directory to copy")->required();
  command
      ->add_option("--to-database", request->to_database,
                   "The empty database: postgresql://USER:PASSWORD@HOST[:PORT]/DBNAME")
      ->required()
      ->check([](const std::string& uri) { return CheckDatabaseUri(uri).message(); });
  command->add_flag("--json", request->json, "Print one JSON object with the counts and checksums");
  command->callback([request, &exit_code] { exit_code = RunMigrate(*request); });
}

}  // namespace fieldpost
