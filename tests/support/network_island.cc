#include "tests/support/network_island.h"

#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <filesystem>

namespace fieldpost::testing {
namespace {

const std::string kIp = "/usr/sbin/ip";
const std::string kUnshare = "/usr/bin/unshare";
const std::string kNsenter = "/usr/bin/nsenter";

std::string NamespaceOf(const std::string& proc) {
  std::error_code error;
  return std::filesystem::read_symlink(proc + "/ns/net", error).string();
}

void Require(const std::vector<std::string>& argv) {
  std::string output;
  const int status = RunCommand(argv, output);
  std::string command;
  for (const std::string& word : argv) command += word + " ";
  BOOST_REQUIRE_MESSAGE(status == 0, command << "failed: " << output);
}

}  // namespace

bool NetworkIsland::Available() {
  if (geteuid() != 0) return false;
  for (const std::string& tool : {kIp, kUnshare, kNsenter}) {
    if (access(tool.c_str(), X_OK) != 0) return false;
  }
  // A container may forbid new namespaces even to root.
  std::string output;
  return RunCommand({kUnshare, "--net", "--", "/bin/true"}, output) == 0;
}

NetworkIsland::NetworkIsland() {
  holder_ = std::make_unique<Process>(
      std::vector<std::string>{kUnshare, "--net", "--", "/bin/sleep", "infinity"},
      dir_ / "holder.out", dir_ / "holder.err");
  const std::string proc = "/proc/" + std::to_string(holder_->pid());
  BOOST_REQUIRE_MESSAGE(WaitFor(
                            [&] {
                              const std::string own = NamespaceOf(proc);
                              return !own.empty() && own != NamespaceOf("/proc/self");
                            },
                            std::chrono::seconds(10)),
                        "unshare --net did not make a network namespace");
  namespace_path_ = proc + "/ns/net";

  // One of the 32,768 /30s of 198.18.0.0/15 (set aside for tests of
  // networks, RFC 2544) and link names no other test of this machine is
  // using: tried from one that depends on the process and island, so that
  // concurrent tests rarely meet.
  static std::atomic<int> islands{0};
  const int start = static_cast<int>(getpid() % 512) * 64 + islands++ % 64;
  std::string outer_address;
  bool made = false;
  for (int attempt = 0; attempt < 100 && !made; ++attempt) {
    const int index = (start + attempt) % 32768;
    // 512 values of the third octet run over 198.18 and 198.19.
    const int third = index / 64, fourth = 4 * (index % 64);
    const std::string prefix =
        "198." + std::to_string(18 + third / 256) + "." + std::to_string(third % 256) + ".";
    outer_address = prefix + std::to_string(fourth + 1);
    inner_address_ = prefix + std::to_string(fourth + 2);
    subnet_ = prefix + std::to_string(fourth) + "/30";
    outer_name_ = "fpisl" + std::to_string(index) + "o";
    inner_name_ = "fpisl" + std::to_string(index) + "i";
    std::string addresses;
    RunCommand({kIp, "-o", "-4", "addr", "show"}, addresses);
    if (addresses.find(" " + outer_address + "/") != std::string::npos) continue;
    std::string output;
    made = RunCommand({kIp, "link", "add", outer_name_, "type", "veth", "peer", "name", inner_name_,
                       "netns", std::to_string(holder_->pid())},
                      output) == 0;
  }
  BOOST_REQUIRE_MESSAGE(made, "no free veth pair and address for a network island");
  Require({kIp, "addr", "add", outer_address + "/30", "dev", outer_name_});
  Require({kIp, "link", "set", outer_name_, "up"});
  Require(Inside({kIp, "addr", "add", inner_address_ + "/30", "dev", inner_name_}));
  Require(Inside({kIp, "link", "set", inner_name_, "up"}));
  Require(Inside({kIp, "link", "set", "lo", "up"}));
}

NetworkIsland::~NetworkIsland() {
  // The pair goes with either end; the namespace with its last process.
  std::string output;
  RunCommand({kIp, "link", "del", outer_name_}, output);
  holder_.reset();
}

std::vector<std::string> NetworkIsland::Inside(std::vector<std::string> argv) const {
  std::vector<std::string> wrapped = {kNsenter, "--net=" + namespace_path_, "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

void NetworkIsland::Cut() { Require(Inside({kIp, "link", "set", inner_name_, "down"})); }

}  // namespace fieldpost::testing
