// Replays, byte for byte, what the official ThingSpeak Arduino library
// sends (2.x, 1.x with Connection: close, 1.0 with bare LF) and parses the
// replies the way the library does.
#pragma once

#include <cstdint>
#include <string>

namespace fieldpost::testing {

// Against a server on `port` serving `data_dir` at the root; creates its
// own channel there.
void RunArduinoReplay(std::uint16_t port, const std::string& data_dir);

}  // namespace fieldpost::testing
