#include "app/open_admin_store.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "storage/open_store.h"

namespace fieldpost {
namespace {

// The owner whose files these are: the database's, or the directory's
// when there is no database yet.
struct stat OwnerOf(const std::string& data_dir, const struct stat& directory) {
  struct stat database {};
  // lstat: a link planted there names whatever it points to, not the owner.
  if (lstat((data_dir + "/data.mdb").c_str(), &database) == 0 && S_ISREG(database.st_mode)) {
    return database;
  }
  return directory;
}

Status BecomeOwner(const std::string& data_dir, const struct stat& owner) {
  const passwd* user = getpwuid(owner.st_uid);
  const std::string name = user != nullptr ? user->pw_name : "uid " + std::to_string(owner.st_uid);
  // The user's own group, as the service runs with; the file's group may be
  // another (root's, left by an earlier run as root).
  const gid_t group = user != nullptr ? user->pw_gid : owner.st_gid;
  const int groups = user != nullptr ? initgroups(user->pw_name, group) : setgroups(0, nullptr);
  if (groups != 0 || setgid(group) != 0 || setuid(owner.st_uid) != 0) {
    return Internal("cannot act as " + name + ", who owns " + data_dir + ": " +
                    std::strerror(errno) + "; run the command as that user (sudo -u " + name +
                    " fieldpost ...)");
  }
  // Said to a person at a terminal; a script's captured output stays clean.
  if (isatty(STDERR_FILENO)) {
    std::cerr << "fieldpost: acting as " << name << ", who owns " << data_dir << "\n";
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<AdminStore>> OpenAdminStore(const StorageOptions& options,
                                                   MissingDirectory missing) {
  // A command prunes only when asked (channel prune), never in the
  // background, and counts nothing for /metrics.
  StorageOptions storage = options;
  storage.prune_interval = std::chrono::seconds(0);
  storage.metrics = false;
  storage.cache_channels = false;
  if (storage.uses_database()) return OpenStore(storage);
  struct stat directory {};
  if (stat(storage.data_dir.c_str(), &directory) != 0) {
    const int error = errno;
    if (error == ENOENT && missing == MissingDirectory::kCreate) {
      return OpenStore(storage);
    }
    std::string message = "data directory " + storage.data_dir + ": " + std::strerror(error);
    if (error == ENOENT) {
      message +=
          " (create it with mkdir, or start a server with --data " + storage.data_dir + " first)";
    }
    return InvalidArgument(message);
  }
  if (!S_ISDIR(directory.st_mode)) {
    return InvalidArgument("data directory " + storage.data_dir + " is not a directory");
  }
  if (geteuid() == 0) {
    const struct stat owner = OwnerOf(storage.data_dir, directory);
    if (owner.st_uid != 0) {
      if (Status s = BecomeOwner(storage.data_dir, owner); !s.ok()) return s;
    }
  }
  return OpenStore(storage);
}

}  // namespace fieldpost
