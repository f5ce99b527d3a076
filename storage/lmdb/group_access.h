// Every file fieldpost keeps in a data directory is read and written by
// every server user of it: the packaged services' user and the web
// server's (nginx's workers, Apache's children), who share the directory's
// group (docs/deploy/debian-package.md). Files are created 0660, but a
// process's umask (the services' 0027, a shell's 0022) takes the group's
// write away; this gives it back.
//
// The directory is group-writable, so a member of the group could plant a
// symbolic link where a file is expected, for a process of another user
// (root running an admin command) to follow. The files are opened without
// following links, and changed through their descriptors only.
#pragma once

#include <string>

#include "core/status.h"

namespace fieldpost {

// Adds read and write for the group to the file open as `fd` when this
// process owns it and they are missing; does nothing otherwise (a file
// another user owns is that user's to fix).
void LetGroupWrite(int fd);

// Opens `path` (creating it empty, 0660, when missing) without following
// a link, lets the group write it, and closes it: for a file a library then
// opens by name (LMDB's data.mdb and lock.mdb). A link there is refused.
// Call it before anything in this process holds a lock on the file:
// closing a descriptor drops the process's fcntl locks on the file.
Status PrepareSharedFile(const std::string& path);

// While alive, and only when this process runs as root, files this thread
// opens are opened with the file access of `directory`'s owner
// (setfsuid/setfsgid, Linux's per-thread file identity): a root shell's
// command or server then cannot be led by a link a member of the group put
// there (while the sticky bit stops a member replacing another's file, it
// may still swap its own) to a file only root may write. Nothing changes
// for other users, nor for a directory root owns.
class DirectoryOwnerAccess {
 public:
  explicit DirectoryOwnerAccess(const std::string& directory);
  ~DirectoryOwnerAccess();
  DirectoryOwnerAccess(const DirectoryOwnerAccess&) = delete;
  DirectoryOwnerAccess& operator=(const DirectoryOwnerAccess&) = delete;

 private:
  bool switched_ = false;
};

}  // namespace fieldpost
