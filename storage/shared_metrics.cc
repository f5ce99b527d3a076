#include "storage/shared_metrics.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>

namespace fieldpost {
namespace {

Status Failed(const std::string& what, const std::string& path) {
  return Internal(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Result<std::unique_ptr<SharedMetrics>> SharedMetrics::Open(const std::string& data_dir,
                                                           std::uint64_t layout) {
  char name[32];
  std::snprintf(name, sizeof name, "metrics-%016llx", static_cast<unsigned long long>(layout));
  const std::string path = data_dir + "/" + name;
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) return Failed("cannot open", path);
  struct stat info {};
  // Grown to size once; every process then sees the same zeroed pages, and
  // zero is where every counter starts.
  bool sized =
      fstat(fd, &info) == 0 && (static_cast<std::size_t>(info.st_size) >= sizeof(MetricsCounters) ||
                                ftruncate(fd, sizeof(MetricsCounters)) == 0);
  void* memory =
      sized ? mmap(nullptr, sizeof(MetricsCounters), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
            : MAP_FAILED;
  const int error = errno;
  close(fd);
  errno = error;
  if (memory == MAP_FAILED) return Failed("cannot map", path);
  return std::unique_ptr<SharedMetrics>(
      new SharedMetrics(static_cast<MetricsCounters*>(memory), true));
}

std::unique_ptr<SharedMetrics> SharedMetrics::Private() {
  return std::unique_ptr<SharedMetrics>(new SharedMetrics(new MetricsCounters{}, false));
}

SharedMetrics::~SharedMetrics() {
  if (mapped_) {
    munmap(counters_, sizeof(MetricsCounters));
  } else {
    delete counters_;
  }
}

}  // namespace fieldpost
