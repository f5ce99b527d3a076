#include "app/backup_files.h"

#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace fieldpost {
namespace {

Status Errno(const std::string& what) { return Internal(what + ": " + std::strerror(errno)); }

std::string DirectoryOf(const std::string& path) {
  std::vector<char> copy(path.begin(), path.end());
  copy.push_back('\0');
  return dirname(copy.data());
}

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

}  // namespace

Status CheckOutsideDataDirectory(const std::string& path, const std::string& data_dir,
                                 const char* role) {
  struct stat data {};
  if (stat(data_dir.c_str(), &data) != 0) return OkStatus();  // nothing to protect yet
  const auto refuse = [&](const std::string& what) {
    return InvalidArgument(std::string(role) + " " + path + " is " + what + " " + data_dir +
                           ": give a path outside it; nothing was changed");
  };
  // Every directory from the one that would hold the file up to the root,
  // resolved once (symlinks, "..", a relative path) and compared by device
  // and inode (a bind mount). A directory that does not exist holds nothing.
  if (char* resolved = realpath(DirectoryOf(path).c_str(), nullptr)) {
    std::string directory = resolved;
    free(resolved);
    for (struct stat seen{}; stat(directory.c_str(), &seen) == 0;
         directory = DirectoryOf(directory)) {
      if (SameFile(seen, data)) return refuse("inside the data directory");
      if (directory == "/") break;
    }
  }
  // A link elsewhere to one of the directory's files is that file.
  struct stat target {};
  if (stat(path.c_str(), &target) != 0) return OkStatus();
  for (const char* live : {"data.mdb", "lock.mdb"}) {
    struct stat file {};
    if (stat((data_dir + "/" + live).c_str(), &file) == 0 && SameFile(file, target)) {
      return refuse(std::string("the live ") + live + " of the data directory");
    }
  }
  return OkStatus();
}

Result<int> OpenPartial(const std::string& path, mode_t mode) {
  const std::string partial = path + ".partial";
  // A new file, never one a link at that name points to (root writing in
  // a directory others can write to).
  if (unlink(partial.c_str()) != 0 && errno != ENOENT) return Errno("cannot replace " + partial);
  const int fd = open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return Errno("cannot write " + partial);
  if (fchmod(fd, mode) != 0) {
    const Status failed = Errno("cannot chmod " + partial);
    close(fd);
    unlink(partial.c_str());
    return failed;
  }
  return fd;
}

Status CopyStream(int from, int to) {
  std::vector<char> buffer(1 << 20);
  for (;;) {
    const ssize_t got = read(from, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Errno("reading the backup");
    if (got == 0) return OkStatus();
    for (ssize_t written = 0; written < got;) {
      const ssize_t n = write(to, buffer.data() + written, got - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Errno("writing the copy");
      written += n;
    }
  }
}

Status InstallPartial(int fd, const std::string& path, bool* renamed) {
  const std::string partial = path + ".partial";
  if (renamed != nullptr) *renamed = false;
  Status status;
  if (fsync(fd) != 0) status = Errno("cannot sync " + partial);
  if (close(fd) != 0 && status.ok()) status = Errno("cannot close " + partial);
  if (status.ok() && rename(partial.c_str(), path.c_str()) != 0) {
    status = Errno("cannot rename " + partial + " to " + path);
  }
  if (!status.ok()) {
    unlink(partial.c_str());
    return status;
  }
  if (renamed != nullptr) *renamed = true;
  const int directory = open(DirectoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory < 0) return Errno("cannot sync the directory of " + path);
  const int synced = fsync(directory);
  close(directory);
  if (synced != 0) return Errno("cannot sync the directory of " + path);
  return OkStatus();
}

Status GiveToOwnerOf(const std::string& path, const std::string& reference) {
  if (geteuid() != 0) return OkStatus();
  struct stat owner {};
  if (stat(reference.c_str(), &owner) != 0) return Errno("cannot read " + reference);
  if (owner.st_uid == 0) return OkStatus();
  if (chown(path.c_str(), owner.st_uid, owner.st_gid) != 0) return Errno("cannot chown " + path);
  return OkStatus();
}

Status GiveToOwnerOf(int fd, const std::string& reference) {
  if (geteuid() != 0) return OkStatus();
  struct stat owner {};
  if (stat(reference.c_str(), &owner) != 0) return Errno("cannot read " + reference);
  if (owner.st_uid == 0) return OkStatus();
  if (fchown(fd, owner.st_uid, owner.st_gid) != 0) return Errno("cannot chown the copy");
  return OkStatus();
}

}  // namespace fieldpost
