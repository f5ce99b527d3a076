#include "app/common_options.h"

#include "app/server_config.h"

namespace fieldpost {

void AddStorageOptions(CLI::App& command, StorageOptions& storage, MissingDirectory missing) {
  CLI::Option* data =
      command
          .add_option("--data", storage.data_dir,
                      missing == MissingDirectory::kCreate ? "Data directory (created if missing)"
                                                           : "Data directory (must exist)")
          ->capture_default_str();
  command
      .add_option_function<std::string>(
          "--config",
          [&storage, data](const std::string& path) {
            ServerConfig config;
            if (Status s = LoadConfigFile(path, config); !s.ok()) {
              throw CLI::ValidationError("--config", s.message());
            }
            // The data directory and map sizes of the servers that read
            // the same file; --data still wins.
            const std::string given = storage.data_dir;
            storage = config.storage;
            if (data->count() > 0) storage.data_dir = given;
          },
          "fieldpost.conf to take the data directory from, as the servers do (default: "
          "$FIELDPOST_CONFIG, else none); --data overrides it")
      ->envname("FIELDPOST_CONFIG");
}

std::shared_ptr<AdminOptions> AddAdminOptions(CLI::App& command) {
  auto options = std::make_shared<AdminOptions>();
  AddStorageOptions(command, options->storage, MissingDirectory::kRefuse);
  command.add_flag("--json", options->json, "Print one JSON object");
  return options;
}

}  // namespace fieldpost
