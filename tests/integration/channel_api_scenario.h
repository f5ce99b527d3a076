// The channel API scenario (channel management with the user key, bulk
// updates, XML and CSV reads, CORS preflight), run on a data directory
// through serve and nginx -> fcgi, and on a PostgreSQL database.
#pragma once

#include <cstdint>
#include <string>

namespace fieldpost::testing {

// `data_dir` is the server's data directory or database URI.
void RunChannelApi(std::uint16_t port, const std::string& data_dir);

}  // namespace fieldpost::testing
