#include "httpd/access_log.h"

#include <cerrno>
#include <cstring>
#include <ctime>

namespace fieldpost {

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& path) {
  if (path == "-") return std::unique_ptr<AccessLog>(new AccessLog(stderr, false));
  std::FILE* file = std::fopen(path.c_str(), "ae");
  if (file == nullptr) {
    return Internal("cannot open access log " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<AccessLog>(new AccessLog(file, true));
}

AccessLog::~AccessLog() {
  if (owned_) std::fclose(file_);
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
