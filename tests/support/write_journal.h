// What a disk could hold after a power cut, from the journal of a process's
// writes and flushes (tests/support/write_journal_preload.cc): a write is on
// disk if a flush that began after it returned, or if it went through an
// O_DSYNC descriptor; any other write may be on disk or not, each on its
// own. This is the contract POSIX and Linux give a program (the kernel
// writes back dirty pages in any order, at any time), so an image built
// from the journal is a state the program must survive; the test does not
// check that the disk keeps the contract.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace fieldpost::testing {

struct JournalWrite {
  std::uint64_t offset = 0;
  std::string data;
  bool durable = false;  // on disk whatever else happened
};

// The journal's writes in the order they were made. Fails the test on a
// journal that does not parse.
std::vector<JournalWrite> ReadWriteJournal(const std::string& path);

// Writes the image a power cut could leave: a copy of `base` (the file as
// it was on disk before the journal began), then, in order, every durable
// write and each other write for which `kept(index)` is true (the index
// counts writes that are not durable, from 0).
void BuildPowerCutImage(const std::string& base, const std::vector<JournalWrite>& writes,
                        const std::function<bool(std::size_t)>& kept, const std::string& image);

}  // namespace fieldpost::testing
