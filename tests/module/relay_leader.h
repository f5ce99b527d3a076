// Which process leads the append relay on a data directory
// (storage/lmdb/append_relay.h): the one holding the relay's listening socket.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace fieldpost::testing {

// The process among `candidates` that listens on `data_dir`'s relay
// name, found through /proc/net/unix and /proc/PID/fd; 0 if none does.
pid_t RelayLeader(const std::string& data_dir, const std::vector<pid_t>& candidates);

}  // namespace fieldpost::testing
