// API keys: 16 uppercase alphanumerics drawn from the kernel's CSPRNG.
#pragma once

#include <string>

#include "core/status.h"

namespace fieldpost {

inline constexpr int kApiKeyLength = 16;

// A fresh key, or Internal if the kernel's random source fails.
Result<std::string> NewApiKey();

}  // namespace fieldpost
