#include "storage/lmdb/group_access.h"

#include <fcntl.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fieldpost {

void LetGroupWrite(int fd) {
  struct stat file {};
  if (fstat(fd, &file) != 0 || !S_ISREG(file.st_mode)) return;
  if (file.st_uid != geteuid() || (file.st_mode & 060) == 060) return;
  // Best effort: a filesystem without modes leaves it as it is.
  fchmod(fd, (file.st_mode & 07777) | 060);
}

Status PrepareSharedFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0660);
  if (fd < 0 && errno == ELOOP) {
    return Internal(path +
                    " is a symbolic link; refusing to open it (a database file must be "
                    "a plain file in the data directory)");
  }
  if (fd < 0) return Internal("cannot open " + path + ": " + std::strerror(errno));
  struct stat file {};
  const bool plain = fstat(fd, &file) == 0 && S_ISREG(file.st_mode);
  if (plain) LetGroupWrite(fd);
  close(fd);
  if (!plain) return Internal(path + " is not a plain file; refusing to open it");
  return OkStatus();
}

DirectoryOwnerAccess::DirectoryOwnerAccess(const std::string& directory) {
  struct stat owner {};
  if (geteuid() != 0 || lstat(directory.c_str(), &owner) != 0 || owner.st_uid == 0) return;
  // The group first: setfsgid needs the privilege setfsuid gives up.
  setfsgid(owner.st_gid);
  setfsuid(owner.st_uid);
  switched_ = true;
}

DirectoryOwnerAccess::~DirectoryOwnerAccess() {
  if (!switched_) return;
  setfsuid(0);
  setfsgid(0);
}

}  // namespace fieldpost
