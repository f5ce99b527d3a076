// Reads CSV (RFC 4180: quoted fields may hold commas, quotes doubled, and
// line breaks) one record at a time from a stream, for `fieldpost import`.
// CRLF and LF line ends both work; a final line without one is read too.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

#include "core/status.h"

namespace fieldpost {

class CsvReader {
 public:
  explicit CsvReader(std::istream& in) : in_(in) {}

  // The next record into `fields`; false at the end of the input or on a
  // malformed record (then status() says why and where).
  bool Next(std::vector<std::string>& fields);

  // The line the last record started on (1-based).
  std::size_t line() const { return record_line_; }
  const Status& status() const { return status_; }

 private:
  std::istream& in_;
  std::size_t next_line_ = 1;
  std::size_t record_line_ = 0;
  Status status_;
};

}  // namespace fieldpost
