#include "tests/support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <stdexcept>

#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

pid_t Spawn(const std::vector<std::string>& argv, const std::string& out, const std::string& err,
            const std::optional<std::vector<std::string>>& environment, const std::string& in) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  if (environment) {
    for (const std::string& entry : *environment) env.push_back(const_cast<char*>(entry.c_str()));
    env.push_back(nullptr);
  }
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in_fd = open(in.c_str(), O_RDONLY);
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    // Children must not inherit a blocked signal mask from the test runner.
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, nullptr);
    if (environment) {
      execve(args[0], args.data(), env.data());
    } else {
      execv(args[0], args.data());
    }
    _exit(127);
  }
  return pid;
}

}  // namespace

Process::Process(std::vector<std::string> argv, std::string stdout_path, std::string stderr_path,
                 std::optional<std::vector<std::string>> environment, std::string stdin_path)
    : pid_(Spawn(argv, stdout_path, stderr_path, environment, stdin_path)) {}

Process::~Process() {
  if (!running()) return;
  Signal(SIGTERM);
  if (!Wait(std::chrono::seconds(10))) {
    Signal(SIGKILL);
    Wait(std::chrono::seconds(10));
  }
}

void Process::Signal(int signal_number) const {
  if (pid_ > 0) kill(pid_, signal_number);
}

bool Process::running() {
  if (status_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
  return !status_;
}

std::optional<int> Process::Wait(std::chrono::milliseconds timeout) {
  WaitFor([&] { return !running(); }, timeout);
  return status_;
}

int RunCommand(const std::vector<std::string>& argv, std::string& output,
               std::optional<std::vector<std::string>> environment, const std::string& stdin_path) {
  char out_template[] = "/tmp/fieldpost-cmd-XXXXXX";
  const int fd = mkstemp(out_template);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  int code = -1;
  {
    Process process(argv, out_template, std::string(out_template) + ".err", environment,
                    stdin_path);
    const auto status = process.Wait(std::chrono::seconds(60));
    if (status && WIFEXITED(*status)) code = WEXITSTATUS(*status);
  }
  output = ReadFile(out_template) + ReadFile(std::string(out_template) + ".err");
  unlink(out_template);
  unlink((std::string(out_template) + ".err").c_str());
  return code;
}

}  // namespace fieldpost::testing
