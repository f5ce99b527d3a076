// File handling of `fieldpost backup` and `fieldpost restore`: a file is
// written beside its final name, synced, checked, then renamed into place,
// so a failed run never leaves half a file where a whole one was.
#pragma once

#include <string>

#include "api/status.h"

namespace fieldpost {

// `path` + ".partial", opened for writing (created 0640, truncated); the
// descriptor, or the reason it could not be opened.
Result<int> OpenPartial(const std::string& path);

// Copies `from` to its end into `to`.
Status CopyStream(int from, int to);

// Syncs `fd`, closes it, renames `path`.partial to `path` and syncs the
// directory that holds it. On failure the partial file is removed.
Status InstallPartial(int fd, const std::string& path);

// Run as root, makes `path` belong to the owner and group of `reference`
// (the service's data directory or database), so a root shell leaves no
// file that locks the service out. Does nothing for other users.
Status GiveToOwnerOf(const std::string& path, const std::string& reference);

}  // namespace fieldpost
