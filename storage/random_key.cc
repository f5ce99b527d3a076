#include "storage/random_key.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>

namespace fieldpost {

Result<std::string> NewApiKey() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  constexpr unsigned kAlphabetSize = sizeof kAlphabet - 1;
  // Bytes at or above the largest multiple of 36 are dropped, so every
  // character is equally likely.
  constexpr unsigned kLimit = 256 - 256 % kAlphabetSize;
  std::string key;
  while (key.size() < kApiKeyLength) {
    unsigned char bytes[32];
    const ssize_t got = getrandom(bytes, sizeof bytes, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Internal(std::string("getrandom: ") + std::strerror(errno));
    }
    for (ssize_t i = 0; i < got && key.size() < kApiKeyLength; ++i) {
      if (bytes[i] < kLimit) key.push_back(kAlphabet[bytes[i] % kAlphabetSize]);
    }
  }
  return key;
}

}  // namespace fieldpost
