// File handling of `fieldpost backup` and `fieldpost restore`: a file is
// written beside its final name, synced, checked, then renamed into place,
// so a failed run never leaves half a file where a whole one was.
#pragma once

#include <string>

#include "api/status.h"

namespace fieldpost {

// `path` + ".partial", created anew for writing (0640; whatever had that
// name is removed first, and a link there is never followed); the
// descriptor, or the reason it could not be opened.
Result<int> OpenPartial(const std::string& path);

// Copies `from` to its end into `to`.
Status CopyStream(int from, int to);

// Syncs `fd`, closes it (also on failure), renames `path`.partial to
// `path` and syncs the directory that holds it. If the rename fails the
// partial file is removed. `renamed` (optional) says whether the file is
// in place, which it is even when only the directory's sync failed.
Status InstallPartial(int fd, const std::string& path, bool* renamed = nullptr);

// Run as root, makes `path` belong to the owner and group of `reference`
// (the service's data directory or database), so a root shell leaves no
// file that locks the service out. Does nothing for other users.
Status GiveToOwnerOf(const std::string& path, const std::string& reference);

}  // namespace fieldpost
