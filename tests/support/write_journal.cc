#include "tests/support/write_journal.h"

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/write_journal_format.h"

namespace fieldpost::testing {

std::vector<JournalWrite> ReadWriteJournal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot read the write journal " << path);
  std::vector<JournalWrite> writes;
  std::uint64_t flushed = 0;  // writes before this index are on disk
  JournalRecord record{};
  while (in.read(reinterpret_cast<char*>(&record), sizeof record)) {
    if (record.type == kFlush) {
      BOOST_REQUIRE(record.covered <= writes.size());
      // Flushes may end out of order; each covers what was written before
      // it began.
      flushed = std::max(flushed, record.covered);
      continue;
    }
    BOOST_REQUIRE_MESSAGE(record.type == kWrite || record.type == kSynchronousWrite,
                          "unknown journal record " << record.type);
    JournalWrite write;
    write.offset = record.offset;
    write.data.resize(record.length);
    // A record cut short is the last, journaled as the process was killed:
    // its write is not durable, so leaving it out is one of the images.
    if (!in.read(write.data.data(), static_cast<std::streamsize>(record.length))) break;
    write.durable = record.type == kSynchronousWrite;
    writes.push_back(std::move(write));
  }
  for (std::uint64_t i = 0; i < flushed; ++i) writes[i].durable = true;
  return writes;
}

void BuildPowerCutImage(const std::string& base, const std::vector<JournalWrite>& writes,
                        const std::function<bool(std::size_t)>& kept, const std::string& image) {
  std::filesystem::copy_file(base, image, std::filesystem::copy_options::overwrite_existing);
  std::fstream out(image, std::ios::binary | std::ios::in | std::ios::out);
  BOOST_REQUIRE_MESSAGE(out, "cannot write " << image);
  std::size_t undecided = 0;
  for (const JournalWrite& write : writes) {
    if (!write.durable && !kept(undecided++)) continue;
    out.seekp(static_cast<std::streamoff>(write.offset));
    out.write(write.data.data(), static_cast<std::streamsize>(write.data.size()));
  }
  out.flush();
  BOOST_REQUIRE_MESSAGE(out, "cannot write " << image);
}

}  // namespace fieldpost::testing
