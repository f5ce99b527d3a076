// Keeps a SIGBUS inside a shared file mapping from killing the process.
// Touching a page of a MAP_SHARED file raises SIGBUS when another process
// has truncated the file, or when the filesystem has no room to write that
// page. A region registered here is, on such a fault, replaced where it is
// by private zeroed memory, so the faulting access runs again and succeeds;
// the owner sees faulted() and carries on with counts of its own. A SIGBUS
// anywhere else goes to the handler that was there before (or kills the
// process as it would have).
#pragma once

#include <cstddef>

namespace fieldpost {

class MappingFaultGuard {
 public:
  // Guards [start, start + length), which must be a whole mapping that
  // lives until this guard is destroyed. The first guard of a process
  // installs the SIGBUS handler (and it stays). guarded() is false when
  // the handler could not be installed or every slot is taken.
  MappingFaultGuard(void* start, std::size_t length);
  ~MappingFaultGuard();
  MappingFaultGuard(const MappingFaultGuard&) = delete;
  MappingFaultGuard& operator=(const MappingFaultGuard&) = delete;

  bool guarded() const { return slot_ >= 0; }
  // True once a fault replaced the region; thread-safe.
  bool faulted() const;

 private:
  int slot_ = -1;
};

}  // namespace fieldpost
