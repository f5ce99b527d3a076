#include "app/common_options.h"

namespace fieldpost {

void AddStorageOptions(CLI::App& command, StorageOptions& storage, MissingDirectory missing) {
  command
      .add_option("--data", storage.data_dir,
                  missing == MissingDirectory::kCreate ? "Data directory (created if missing)"
                                                       : "Data directory (must exist)")
      ->capture_default_str();
}

}  // namespace fieldpost
