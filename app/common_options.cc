#include "app/common_options.h"

namespace fieldpost {

void AddStorageOptions(CLI::App& command, StorageOptions& storage) {
  command.add_option("--data", storage.data_dir, "Data directory (created if missing)")
      ->capture_default_str();
}

}  // namespace fieldpost
