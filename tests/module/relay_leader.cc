#include "tests/module/relay_leader.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fieldpost::testing {

pid_t RelayLeader(const std::string& data_dir, const std::vector<pid_t>& candidates) {
  struct stat st {};
  if (stat(data_dir.c_str(), &st) != 0) return 0;
  const std::string name = "@fieldpost-append-relay/1/" + std::to_string(st.st_dev) + "/" +
                           std::to_string(st.st_ino) + "/";
  // Columns: Num RefCount Protocol Flags Type St Inode Path; flag
  // 00010000 marks a listening socket.
  std::set<std::string> listening;
  std::ifstream table("/proc/net/unix");
  std::string line;
  std::getline(table, line);
  while (std::getline(table, line)) {
    std::istringstream columns(line);
    std::string num, refs, protocol, flags, type, state, inode, path;
    if (columns >> num >> refs >> protocol >> flags >> type >> state >> inode >> path &&
        flags == "00010000" && path.rfind(name, 0) == 0) {
      listening.insert("socket:[" + inode + "]");
    }
  }
  for (const pid_t pid : candidates) {
    std::error_code error;
    const std::filesystem::path fds = "/proc/" + std::to_string(pid) + "/fd";
    for (const auto& fd : std::filesystem::directory_iterator(fds, error)) {
      if (listening.count(std::filesystem::read_symlink(fd.path(), error).string()) > 0) {
        return pid;
      }
    }
  }
  return 0;
}

}  // namespace fieldpost::testing
