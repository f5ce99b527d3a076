// The journal tests/support/write_journal_preload.cc writes: a sequence of
// records, each this header, followed by `length` bytes of data for a
// write. Both sides are built together, so the layout is the compiler's.
#pragma once

#include <cstdint>

namespace fieldpost::testing {

enum JournalRecordType : std::uint32_t {
  kWrite = 1,             // in the page cache; on disk after a flush
  kSynchronousWrite = 2,  // through an O_DSYNC descriptor: on disk at once
  kFlush = 3,             // fdatasync returned: `covered` writes are on disk
};

struct JournalRecord {
  std::uint32_t type;
  std::uint32_t reserved;
  std::uint64_t offset;   // writes: where in the file
  std::uint64_t length;   // writes: how many bytes follow
  std::uint64_t covered;  // flushes: the writes journaled before it began
};

}  // namespace fieldpost::testing
