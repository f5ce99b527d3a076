// A child process for black-box tests: started with fork/exec, output to
// files, terminated (SIGTERM, then SIGKILL) when the object is destroyed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace fieldpost::testing {

class Process {
 public:
  // Starts `argv[0]` with `argv`; stdout and stderr go to the given files.
  // With `environment` set, the child gets exactly those NAME=value
  // strings; stdin is `stdin_path` (a file, not a socket).
  Process(std::vector<std::string> argv, std::string stdout_path, std::string stderr_path,
          std::optional<std::vector<std::string>> environment = std::nullopt,
          std::string stdin_path = "/dev/null");
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int signal_number) const;
  // The exit status (as from waitpid) once the process ended within
  // `timeout`; empty if it is still running.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  bool running();

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

// Runs a command to completion and returns its exit code; its stdout (then
// stderr) goes to `output`. `environment` and `stdin_path` as for Process.
int RunCommand(const std::vector<std::string>& argv, std::string& output,
               std::optional<std::vector<std::string>> environment = std::nullopt,
               const std::string& stdin_path = "/dev/null");

// Polls `predicate` every 20 ms until it holds or `timeout` passes.
template <typename Predicate>
bool WaitFor(Predicate predicate, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    struct timespec pause {
      0, 20'000'000
    };
    nanosleep(&pause, nullptr);
  }
  return true;
}

}  // namespace fieldpost::testing
