// A network of its own for one test: a network namespace joined to the
// test's by a veth pair. A server inside can be cut off the way a machine
// is lost (power, a switch, a cable): its packets vanish and no reset
// comes back, which `kill -9` on loopback never shows, since the kernel
// then closes the server's connections at once. Needs root (CAP_NET_ADMIN).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {

class NetworkIsland {
 public:
  // Whether this machine lets the tests make one (root, `ip`, `unshare`).
  static bool Available();

  NetworkIsland();
  ~NetworkIsland();
  NetworkIsland(const NetworkIsland&) = delete;
  NetworkIsland& operator=(const NetworkIsland&) = delete;

  // The island's address, reachable from the test's network until Cut().
  const std::string& address() const { return inner_address_; }
  // The island's and the test's addresses, as a pg_hba.conf would take them.
  std::string subnet() const { return subnet_; }
  // `argv` run inside the island's network.
  std::vector<std::string> Inside(std::vector<std::string> argv) const;
  // Takes the island's side of the link down: from now on nothing passes
  // either way, silently.
  void Cut();

 private:
  TempDir dir_;
  std::unique_ptr<Process> holder_;  // keeps the namespace while it runs
  std::string namespace_path_;
  std::string outer_name_, inner_name_;
  std::string inner_address_, subnet_;
};

}  // namespace fieldpost::testing
