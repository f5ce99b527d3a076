// Writes from many kept-alive connections while something is done to the
// server (a kill -9, a reload), and the check that every write the server
// acknowledged is stored under the entry id it was acknowledged with.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace fieldpost::testing {

struct Write {
  std::string value;     // field1, unique per request
  std::string entry_id;  // the reply's body
};

// Writes `/update`s from 16 kept-alive connections to `port` (7200 at most,
// so one feeds.json reads them all back), and calls `strike` after 600 ms,
// sooner once half are acknowledged, so that it always lands while writes
// are in flight. The clients stop at the strike; returns the acknowledged
// writes.
std::vector<Write> WriteUntilStruck(std::uint16_t port, const std::string& write_key,
                                    const std::function<void()>& strike);

// Reads the channel back through a fresh `fieldpost serve` on `data_dir`
// (a directory or a database URI)
// and checks every acknowledged write is there under its entry id, with
// entry ids 1..N and no gap.
void RequireEveryWriteStored(const std::string& data_dir, unsigned channel_id,
                             const std::vector<Write>& acknowledged);

}  // namespace fieldpost::testing
