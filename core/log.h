// Logging to stderr, which nginx, Apache and journald all capture. One line
// per message, prefixed with the UTC time and the level. Thread-safe.
#pragma once

#include <string_view>

namespace fieldpost {

enum class LogLevel { kError, kWarning, kInfo };

void Log(LogLevel level, std::string_view message);
inline void LogError(std::string_view message) { Log(LogLevel::kError, message); }
inline void LogWarning(std::string_view message) { Log(LogLevel::kWarning, message); }
inline void LogInfo(std::string_view message) { Log(LogLevel::kInfo, message); }

}  // namespace fieldpost
