// The byte-for-byte check of a web-server module against the same web
// server in front of `fieldpost fcgi`, both serving one data directory.
#pragma once

#include <cstdint>
#include <string>

namespace fieldpost::testing {

// Creates a public and a private channel in `data_dir`, writes two
// readings into each through the reference, then sends reads, refusals
// and writes under /iot/ to both servers: every reply must be the same,
// the Date header and the entry ids of writes aside. Unknown paths under
// /iot/ are compared only when the reference passes them to fcgi.
void RequireSameReplies(std::uint16_t reference_port, std::uint16_t module_port,
                        const std::string& data_dir, bool unknown_paths_reach_fcgi);

}  // namespace fieldpost::testing
