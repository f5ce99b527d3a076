// An LD_PRELOAD library for the power-cut test: it records, in order, every
// write a process makes to one file (data.mdb) and every flush of it, to a
// journal named by $FIELDPOST_WRITE_JOURNAL. From the journal the test
// builds what a disk could hold after a power cut at the moment the process
// was killed (tests/support/write_journal.h).
//
// With $FIELDPOST_FAIL_FLUSHES naming a file, a flush of the file fails
// (EIO, nothing flushed) while that file exists, after as many flushes as
// the number it holds, which counts down: a disk that starts failing.
//
// It wraps the calls LMDB writes and flushes with (open, pwrite, lseek +
// writev, fdatasync; write and fsync for good measure) and passes every
// other file through untouched. A call it does not wrap would leave a write
// out of the journal, so the test would find data missing and fail: never
// a silent pass.
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tests/support/write_journal_format.h"

namespace {

using OpenFunction = int (*)(const char*, int, ...);
using OpenatFunction = int (*)(int, const char*, int, ...);
using CloseFunction = int (*)(int);
using WriteFunction = ssize_t (*)(int, const void*, size_t);
using PwriteFunction = ssize_t (*)(int, const void*, size_t, off_t);
using WritevFunction = ssize_t (*)(int, const iovec*, int);
using SyncFunction = int (*)(int);

template <typename Function>
Function Next(const char* name) {
  return reinterpret_cast<Function>(dlsym(RTLD_NEXT, name));
}

// File descriptors of the recorded file; whether each was opened O_DSYNC
// (LMDB's meta page descriptor), whose writes are on disk when they return.
constexpr int kMaxDescriptors = 65536;
bool recorded[kMaxDescriptors];
bool synchronous[kMaxDescriptors];

pthread_mutex_t journal_mutex = PTHREAD_MUTEX_INITIALIZER;
int journal_fd = -1;
std::uint64_t writes_journaled = 0;  // guarded by journal_mutex

bool Recorded(int fd) { return fd >= 0 && fd < kMaxDescriptors && recorded[fd]; }

void WriteAll(const void* data, size_t length) {
  static const WriteFunction real_write = Next<WriteFunction>("write");
  const char* next = static_cast<const char*>(data);
  while (length > 0) {
    const ssize_t written = real_write(journal_fd, next, length);
    if (written <= 0) abort();  // a journal with a hole would mislead the test
    next += written;
    length -= static_cast<size_t>(written);
  }
}

// Journals a write of `length` bytes at `offset`, gathered from `parts`.
// The caller holds journal_mutex.
void JournalWrite(int fd, std::uint64_t offset, const iovec* parts, int count, size_t length) {
  fieldpost::testing::JournalRecord header{};
  header.type =
      synchronous[fd] ? fieldpost::testing::kSynchronousWrite : fieldpost::testing::kWrite;
  header.offset = offset;
  header.length = length;
  WriteAll(&header, sizeof header);
  for (int i = 0; i < count && length > 0; ++i) {
    const size_t part = parts[i].iov_len < length ? parts[i].iov_len : length;
    WriteAll(parts[i].iov_base, part);
    length -= part;
  }
  ++writes_journaled;
}

// Notes whether `fd`, just opened, is the recorded file; returns it.
int NoteOpened(const char* path, int flags, int fd) {
  if (fd < 0 || fd >= kMaxDescriptors || journal_fd < 0 || path == nullptr) return fd;
  const char* target = getenv("FIELDPOST_WRITE_JOURNAL_TARGET");
  if (target == nullptr) target = "data.mdb";
  const char* base = strrchr(path, '/');
  base = base == nullptr ? path : base + 1;
  recorded[fd] = strcmp(base, target) == 0;
  synchronous[fd] = recorded[fd] && (flags & (O_DSYNC | O_SYNC)) != 0;
  return fd;
}

__attribute__((constructor)) void OpenJournal() {
  const char* path = getenv("FIELDPOST_WRITE_JOURNAL");
  if (path == nullptr) return;
  static const OpenFunction real_open = Next<OpenFunction>("open");
  journal_fd = real_open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (journal_fd < 0) abort();
}

// Whether this flush is to fail ($FIELDPOST_FAIL_FLUSHES). The caller
// holds journal_mutex.
bool FlushFails() {
  static const char* control = getenv("FIELDPOST_FAIL_FLUSHES");
  if (control == nullptr) return false;
  static const OpenFunction real_open = Next<OpenFunction>("open");
  static const CloseFunction real_close = Next<CloseFunction>("close");
  static const WriteFunction real_write = Next<WriteFunction>("write");
  const int fd = real_open(control, O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;  // no file: the disk works
  char text[32] = {};
  const ssize_t got = pread(fd, text, sizeof text - 1, 0);
  const long allowed = got > 0 ? strtol(text, nullptr, 10) : 0;
  if (allowed > 0) {
    const int length = snprintf(text, sizeof text, "%ld\n", allowed - 1);
    if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0 ||
        real_write(fd, text, static_cast<size_t>(length)) != length) {
      abort();
    }
  }
  real_close(fd);
  return allowed <= 0;
}

// Runs a flush and journals which writes it covered: those journaled
// before it began. The journal lock is not held while the disk works, so
// the writer goes on writing, as it would without the journal.
template <typename Flush>
int JournalFlush(int fd, Flush flush) {
  if (!Recorded(fd)) return flush();
  pthread_mutex_lock(&journal_mutex);
  const std::uint64_t covered = writes_journaled;
  const bool fails = FlushFails();
  pthread_mutex_unlock(&journal_mutex);
  if (fails) {
    errno = EIO;
    return -1;
  }
  const int result = flush();
  if (result == 0) {
    pthread_mutex_lock(&journal_mutex);
    fieldpost::testing::JournalRecord header{};
    header.type = fieldpost::testing::kFlush;
    header.covered = covered;
    WriteAll(&header, sizeof header);
    pthread_mutex_unlock(&journal_mutex);
  }
  return result;
}

// For write and writev: the write goes where the file position is.
constexpr off_t kAtPosition = -1;

// Runs `write` (which writes `parts` to `fd` at `offset`, or at the file
// position) and journals what it wrote, if `fd` is the recorded file. The
// journal lock is held across the write, so the journal's order is the
// order the writes were made in.
template <typename Write>
ssize_t JournaledWrite(int fd, off_t offset, const iovec* parts, int count, Write write) {
  if (!Recorded(fd)) return write();
  pthread_mutex_lock(&journal_mutex);
  if (offset == kAtPosition) offset = lseek(fd, 0, SEEK_CUR);
  const ssize_t written = write();
  if (written > 0) {
    JournalWrite(fd, static_cast<std::uint64_t>(offset), parts, count,
                 static_cast<size_t>(written));
  }
  pthread_mutex_unlock(&journal_mutex);
  return written;
}

mode_t ModeArgument(int flags, va_list arguments) {
  const bool has_mode = (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
  return has_mode ? static_cast<mode_t>(va_arg(arguments, int)) : 0;
}

}  // namespace

extern "C" {

int open(const char* path, int flags, ...) {
  static const OpenFunction real = Next<OpenFunction>("open");
  va_list arguments;
  va_start(arguments, flags);
  const mode_t mode = ModeArgument(flags, arguments);
  va_end(arguments);
  return NoteOpened(path, flags, real(path, flags, mode));
}

int open64(const char* path, int flags, ...) {
  static const OpenFunction real = Next<OpenFunction>("open64");
  va_list arguments;
  va_start(arguments, flags);
  const mode_t mode = ModeArgument(flags, arguments);
  va_end(arguments);
  return NoteOpened(path, flags, real(path, flags, mode));
}

int openat(int directory, const char* path, int flags, ...) {
  static const OpenatFunction real = Next<OpenatFunction>("openat");
  va_list arguments;
  va_start(arguments, flags);
  const mode_t mode = ModeArgument(flags, arguments);
  va_end(arguments);
  return NoteOpened(path, flags, real(directory, path, flags, mode));
}

int openat64(int directory, const char* path, int flags, ...) {
  static const OpenatFunction real = Next<OpenatFunction>("openat64");
  va_list arguments;
  va_start(arguments, flags);
  const mode_t mode = ModeArgument(flags, arguments);
  va_end(arguments);
  return NoteOpened(path, flags, real(directory, path, flags, mode));
}

int close(int fd) {
  static const CloseFunction real = Next<CloseFunction>("close");
  if (fd >= 0 && fd < kMaxDescriptors) recorded[fd] = synchronous[fd] = false;
  return real(fd);
}

ssize_t pwrite(int fd, const void* data, size_t length, off_t offset) {
  static const PwriteFunction real = Next<PwriteFunction>("pwrite");
  const iovec part{const_cast<void*>(data), length};
  return JournaledWrite(fd, offset, &part, 1, [&] { return real(fd, data, length, offset); });
}

ssize_t pwrite64(int fd, const void* data, size_t length, off_t offset) {
  static const PwriteFunction real = Next<PwriteFunction>("pwrite64");
  const iovec part{const_cast<void*>(data), length};
  return JournaledWrite(fd, offset, &part, 1, [&] { return real(fd, data, length, offset); });
}

ssize_t write(int fd, const void* data, size_t length) {
  static const WriteFunction real = Next<WriteFunction>("write");
  const iovec part{const_cast<void*>(data), length};
  return JournaledWrite(fd, kAtPosition, &part, 1, [&] { return real(fd, data, length); });
}

ssize_t writev(int fd, const iovec* parts, int count) {
  static const WritevFunction real = Next<WritevFunction>("writev");
  return JournaledWrite(fd, kAtPosition, parts, count, [&] { return real(fd, parts, count); });
}

int fdatasync(int fd) {
  static const SyncFunction real = Next<SyncFunction>("fdatasync");
  return JournalFlush(fd, [&] { return real(fd); });
}

int fsync(int fd) {
  static const SyncFunction real = Next<SyncFunction>("fsync");
  return JournalFlush(fd, [&] { return real(fd); });
}

}  // extern "C"
