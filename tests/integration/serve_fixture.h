// A running `fieldpost serve` on a loopback port the kernel picked (read
// back from its log), stopped with SIGTERM when destroyed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {

class ServeProcess {
 public:
  // Serves `dir`/data with `extra` flags (or the database of a --database
  // among them); logs to a file of its own in `dir`. With `environment`,
  // serve gets exactly those NAME=value strings.
  explicit ServeProcess(const TempDir& dir, const std::vector<std::string>& extra = {},
                        std::optional<std::vector<std::string>> environment = std::nullopt);

  std::uint16_t port() const { return port_; }
  Process& process() { return process_; }
  std::string log() const { return ReadFile(log_); }

 private:
  // Each start logs to its own file, so a restart never reads the port its
  // predecessor logged.
  static inline int starts_ = 0;
  std::string log_;
  Process process_;
  std::uint16_t port_ = 0;
};

}  // namespace fieldpost::testing
