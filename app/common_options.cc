#include "app/common_options.h"

namespace fieldpost {

void AddStorageOptions(CLI::App& command, StorageOptions& storage) {
  command.add_option("--data", storage.data_dir, "Data directory (created if missing)")
      ->capture_default_str();
}

void AddApiOptions(CLI::App& command, ApiOptions& api) {
  command.add_option("--max-body", api.max_body_bytes, "Largest request body in bytes (413 above)")
      ->capture_default_str();
  command
      .add_option("--max-bulk-body", api.max_bulk_body_bytes,
                  "Largest bulk_update body in bytes (413 above)")
      ->capture_default_str();
}

}  // namespace fieldpost
