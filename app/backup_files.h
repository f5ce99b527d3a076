// File handling of `fieldpost backup` and `fieldpost restore`: a file is
// written beside its final name, synced, checked, then renamed into place,
// so a failed run never leaves half a file where a whole one was.
#pragma once

#include <sys/types.h>

#include <string>

#include "core/status.h"

namespace fieldpost {

// `path` + ".partial", created anew for writing with `mode` (whatever had
// that name is removed first, and a link there is never followed); the
// descriptor, or the reason it could not be opened. The mode is set as
// given, whatever the umask: a restored database is 0660, as every server
// user of the directory must write it; a backup 0640.
Result<int> OpenPartial(const std::string& path, mode_t mode = 0640);

// Copies `from` to its end into `to`.
Status CopyStream(int from, int to);

// Syncs `fd`, closes it (also on failure), renames `path`.partial to
// `path` and syncs the directory that holds it. If the rename fails the
// partial file is removed. `renamed` (optional) says whether the file is
// in place, which it is even when only the directory's sync failed.
Status InstallPartial(int fd, const std::string& path, bool* renamed = nullptr);

// Refuses a backup's target or a restore's source that lies inside
// `data_dir` (by any path: links and bind mounts are resolved) or that is
// one of its live files by another name: writing there would replace the
// database under a running server, or blind restore's in-use check.
// `role` names the option in the message ("--to", "--from").
Status CheckOutsideDataDirectory(const std::string& path, const std::string& data_dir,
                                 const char* role);

// Run as root, makes `path` belong to the owner and group of `reference`
// (the service's data directory or database), so a root shell leaves no
// file that locks the service out. Does nothing for other users.
Status GiveToOwnerOf(const std::string& path, const std::string& reference);
// The same for the file open as `fd`: no name to swap meanwhile.
Status GiveToOwnerOf(int fd, const std::string& reference);

}  // namespace fieldpost
