#include "app/common_options.h"

#include "app/server_config.h"
#include "storage/database_uri.h"

namespace fieldpost {

void AddStorageOptions(CLI::App& command, StorageOptions& storage, MissingDirectory missing) {
  CLI::Option* data =
      command
          .add_option("--data", storage.data_dir,
                      missing == MissingDirectory::kCreate ? "Data directory (created if missing)"
                                                           : "Data directory (must exist)")
          ->capture_default_str();
  CLI::Option* database =
      command
          .add_option("--database", storage.database,
                      "PostgreSQL URI (postgresql://USER@HOST/DBNAME) holding the data, instead "
                      "of --data")
          ->check([](const std::string& uri) { return CheckDatabaseUri(uri).message(); })
          ->excludes(data);
  command
      .add_option_function<std::string>(
          "--config",
          [&storage, data, database](const std::string& path) {
            ServerConfig config;
            if (Status s = LoadConfigFile(path, config); !s.ok()) {
              throw CLI::ValidationError("--config", s.message());
            }
            // The storage of the servers that read the same file; --data
            // or --database still wins.
            const StorageOptions given = storage;
            storage = config.storage;
            if (data->count() > 0) {
              storage.data_dir = given.data_dir;
              storage.database.clear();
            }
            if (database->count() > 0) storage.database = given.database;
          },
          "fieldpost.conf to take the data directory or database from, as the servers do "
          "(default: $FIELDPOST_CONFIG, else none); --data or --database overrides it")
      ->envname("FIELDPOST_CONFIG");
}

std::shared_ptr<AdminOptions> AddAdminOptions(CLI::App& command) {
  auto options = std::make_shared<AdminOptions>();
  AddStorageOptions(command, options->storage, MissingDirectory::kRefuse);
  command.add_flag("--json", options->json, "Print one JSON object");
  return options;
}

}  // namespace fieldpost
