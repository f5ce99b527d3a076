#include "httpd/access_log.h"

#include <cerrno>
#include <cstring>
#include <ctime>

namespace fieldpost {

namespace {

Result<std::FILE*> OpenForAppend(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "ae");
  if (file == nullptr) {
    return Internal("cannot open access log " + path + ": " + std::strerror(errno));
  }
  return file;
}

}  // namespace

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& path) {
  if (path == "-") return std::unique_ptr<AccessLog>(new AccessLog("", stderr));
  auto file = OpenForAppend(path);
  if (!file.ok()) return file.status();
  return std::unique_ptr<AccessLog>(new AccessLog(path, *file));
}

AccessLog::~AccessLog() {
  if (!path_.empty()) std::fclose(file_);
}

Status AccessLog::Reopen() {
  if (path_.empty()) return OkStatus();
  auto file = OpenForAppend(path_);
  if (!file.ok()) return file.status();
  std::lock_guard lock(mutex_);
  std::fclose(file_);
  file_ = *file;
  return OkStatus();
}

void AccessLog::Write(std::string_view client, std::string_view request_line, int status,
                      std::size_t bytes) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char date[40];
  std::strftime(date, sizeof date, "%d/%b/%Y:%H:%M:%S +0000", &utc);
  std::string line(client.empty() ? "-" : client);
  line += " - - [";
  line += date;
  line += "] \"";
  // Request lines are client text: keep the log one line per request.
  for (char c : request_line) line += (c == '"' || static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  line += "\" " + std::to_string(status) + " " + std::to_string(bytes) + "\n";
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

}  // namespace fieldpost
