#include "storage/group_access.h"

#include <sys/stat.h>
#include <unistd.h>

namespace fieldpost {

void LetGroupWrite(const std::string& path) {
  struct stat file {};
  if (lstat(path.c_str(), &file) != 0 || !S_ISREG(file.st_mode)) return;
  if (file.st_uid != geteuid() || (file.st_mode & 060) == 060) return;
  // Best effort: a filesystem without modes leaves it as it is.
  chmod(path.c_str(), (file.st_mode & 07777) | 060);
}

}  // namespace fieldpost
