// The standalone server's access log, one line per request in the common
// log format: host ident authuser [date] "request line" status bytes.
// Thread-safe.
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/status.h"

namespace fieldpost {

class AccessLog {
 public:
  // `path` is a file to append to, or "-" for stderr.
  static Result<std::unique_ptr<AccessLog>> Open(const std::string& path);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void Write(std::string_view client, std::string_view request_line, int status, std::size_t bytes);

  // Opens the file again by its path (after logrotate moved it away); on
  // failure keeps writing to the old one. Nothing to do for stderr.
  Status Reopen();

 private:
  AccessLog(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}
  std::mutex mutex_;
  std::string path_;  // empty for stderr
  std::FILE* file_;
};

}  // namespace fieldpost
