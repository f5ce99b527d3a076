// The entry ids an import stored, as runs of consecutive ids: each batch's
// ids are consecutive, but live writes committed between two batches take
// the ids between them, which the import must not claim.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/model.h"

namespace fieldpost {

class IdRuns {
 public:
  // Adds the ids `first` to `last`; one run with the previous when they
  // follow it.
  void Add(EntryId first, EntryId last);

  // "1 to 300", "1 to 300 and 450 to 600", or for many runs "in 7 runs from
  // 1 to 9000"; "" when empty.
  std::string Text() const;
  // [[1,300],[450,600]]
  std::string Json() const;
  // The lowest and highest id (0 when empty); ids between the runs are
  // not the import's.
  EntryId First() const { return runs_.empty() ? 0 : runs_.front().first; }
  EntryId Last() const { return runs_.empty() ? 0 : runs_.back().second; }

 private:
  std::vector<std::pair<EntryId, EntryId>> runs_;
};

}  // namespace fieldpost
