#include "storage/lmdb/shared_metrics.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/log.h"
#include "storage/lmdb/mapping_fault_guard.h"

namespace fieldpost {
namespace {

// What a file must begin with to be used: ours, of this layout, whole.
struct FileHeader {
  char magic[16];
  std::uint64_t layout;
  std::uint64_t counters_bytes;
  char unused[32];
};
constexpr char kMagic[16] = "fieldpost-mtr/1";
constexpr std::size_t kFileBytes = sizeof(FileHeader) + sizeof(MetricsCounters);
static_assert(sizeof(FileHeader) % alignof(MetricsCounters) == 0);

FileHeader HeaderFor(std::uint64_t layout) {
  FileHeader header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.layout = layout;
  header.counters_bytes = sizeof(MetricsCounters);
  return header;
}

Status Failed(const std::string& what, const std::string& path) {
  return Internal(what + " " + path + ": " + std::strerror(errno));
}

struct FileCloser {
  int fd;
  ~FileCloser() {
    if (fd >= 0) close(fd);
  }
};

Status WriteAll(int fd, const char* bytes, std::size_t size) {
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = pwrite(fd, bytes + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Internal(std::strerror(n < 0 ? errno : ENOSPC));
    done += static_cast<std::size_t>(n);
  }
  return OkStatus();
}

// Writes a whole file beside `path` and links it there, unless another
// process got there first (its file is whole too). Written, not extended:
// every page has its blocks, so no later write into the mapping can fail
// for want of space.
Status Create(const std::string& data_dir, const std::string& path, std::uint64_t layout) {
  std::string temporary = data_dir + "/.metrics-XXXXXX";
  FileCloser file{mkostemp(temporary.data(), O_CLOEXEC)};
  if (file.fd < 0) return Failed("cannot create", path);
  std::vector<char> content(kFileBytes, 0);
  const FileHeader header = HeaderFor(layout);
  std::memcpy(content.data(), &header, sizeof header);
  // Every process serving the directory (and its group) adds to it.
  Status status = fchmod(file.fd, 0660) == 0 ? OkStatus() : Failed("cannot chmod", temporary);
  if (status.ok()) {
    if (Status written = WriteAll(file.fd, content.data(), content.size()); !written.ok()) {
      status = Internal("cannot write " + temporary + ": " + written.message());
    }
  }
  if (status.ok() && link(temporary.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    status = Failed("cannot create", path);
  }
  unlink(temporary.c_str());
  return status;
}

// Whether `fd` holds counters of `layout`, read without mapping it.
Status Check(int fd, std::uint64_t layout, const std::string& path) {
  struct stat info {};
  if (fstat(fd, &info) != 0) return Failed("cannot read", path);
  const auto size = static_cast<std::size_t>(info.st_size);
  FileHeader header{};
  const bool whole = size == kFileBytes &&
                     pread(fd, &header, sizeof header, 0) == static_cast<ssize_t>(sizeof header);
  const FileHeader expected = HeaderFor(layout);
  if (!whole || std::memcmp(&header, &expected, sizeof header) != 0) {
    return Internal(path + " is not a whole fieldpost metrics file (" + std::to_string(size) +
                    " bytes); delete it while no server runs to share the counters again");
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<SharedMetrics>> SharedMetrics::Open(const std::string& data_dir,
                                                           std::uint64_t layout) {
  char name[32];
  std::snprintf(name, sizeof name, "metrics-%016llx", static_cast<unsigned long long>(layout));
  const std::string path = data_dir + "/" + name;
  FileCloser file{open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW)};
  if (file.fd < 0 && errno == ENOENT) {
    if (Status created = Create(data_dir, path, layout); !created.ok()) return created;
    file.fd = open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  }
  if (file.fd < 0) return Failed("cannot open", path);
  if (Status checked = Check(file.fd, layout, path); !checked.ok()) return checked;
  void* memory = mmap(nullptr, kFileBytes, PROT_READ | PROT_WRITE, MAP_SHARED, file.fd, 0);
  if (memory == MAP_FAILED) return Failed("cannot map", path);
  std::unique_ptr<SharedMetrics> metrics(new SharedMetrics(memory, path));
  if (!metrics->guard_->guarded()) {
    return Internal("cannot guard the mapping of " + path + " against truncation");
  }
  return metrics;
}

std::unique_ptr<SharedMetrics> SharedMetrics::Private() {
  return std::unique_ptr<SharedMetrics>(new SharedMetrics());
}

SharedMetrics::SharedMetrics(void* mapping, std::string path)
    : mapping_(mapping),
      counters_(
          reinterpret_cast<MetricsCounters*>(static_cast<char*>(mapping) + sizeof(FileHeader))),
      guard_(std::make_unique<MappingFaultGuard>(mapping, kFileBytes)),
      path_(std::move(path)) {}

SharedMetrics::SharedMetrics() : own_(std::make_unique<MetricsCounters>()) {
  counters_ = own_.get();
}

SharedMetrics::~SharedMetrics() {
  guard_.reset();  // before the region goes
  if (mapping_ != nullptr) munmap(mapping_, kFileBytes);
}

bool SharedMetrics::shared() const { return guard_ != nullptr && !guard_->faulted(); }

void SharedMetrics::LogFault() {
  if (!guard_->faulted() || fault_logged_.exchange(true)) return;
  LogWarning(path_ +
             " was truncated while in use; this process counts its metrics alone from zero "
             "(restart the servers to share them again)");
}

}  // namespace fieldpost
