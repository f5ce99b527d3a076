#include "app/csv_reader.h"

namespace fieldpost {

bool CsvReader::Next(std::vector<std::string>& fields) {
  fields.clear();
  if (!status_.ok() || in_.peek() == std::istream::traits_type::eof()) return false;
  record_line_ = next_line_;
  std::string field;
  bool quoted = false;      // inside a quoted field
  bool was_quoted = false;  // the current field began with a quote
  for (;;) {
    const int c = in_.get();
    if (c == std::istream::traits_type::eof()) {
      if (quoted) {
        status_ = InvalidArgument("line " + std::to_string(record_line_) +
                                  ": a quoted field is not closed");
        return false;
      }
      fields.push_back(std::move(field));
      return true;
    }
    if (quoted) {
      if (c == '"') {
        if (in_.peek() == '"') {
          in_.get();
          field += '"';
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++next_line_;
        field += static_cast<char>(c);
      }
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || (c == '\r' && in_.peek() == '\n')) {
      if (c == '\r') in_.get();
      ++next_line_;
      fields.push_back(std::move(field));
      return true;
    } else if (was_quoted) {
      status_ = InvalidArgument("line " + std::to_string(record_line_) +
                                ": text after a quoted field's closing quote");
      return false;
    } else {
      field += static_cast<char>(c);
    }
  }
}

}  // namespace fieldpost
