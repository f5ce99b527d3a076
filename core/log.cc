#include "core/log.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "core/time_format.h"

namespace fieldpost {

void Log(LogLevel level, std::string_view message) {
  static std::mutex mutex;
  const char* name = level == LogLevel::kError     ? "error"
                     : level == LogLevel::kWarning ? "warning"
                                                   : "info";
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  std::string line = FormatIso8601(now) + " fieldpost[" + std::to_string(getpid()) + "] " + name +
                     ": " + std::string(message) + "\n";
  // One fwrite per line so lines from several threads never interleave.
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace fieldpost
