#include "app/termination_signals.h"

#include <pthread.h>
#include <signal.h>

namespace fieldpost {
namespace {

sigset_t TerminationSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

void Ignore(int) {}

}  // namespace

void BlockTerminationSignals() {
  // libfcgi installs its own SIGTERM handler over SIG_DFL (and then only
  // sets a flag); a handler of ours keeps it out. The signals stay blocked,
  // so this handler never actually runs.
  struct sigaction action {};
  action.sa_handler = Ignore;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
  // libfcgi's own SIGUSR1 handler (installed over SIG_DFL) makes it refuse
  // every later connection; a stray SIGUSR1 must not do that.
  signal(SIGUSR1, SIG_IGN);
  const sigset_t set = TerminationSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal() {
  const sigset_t set = TerminationSet();
  int signal_number = 0;
  while (sigwait(&set, &signal_number) != 0) {
  }
  return signal_number;
}

}  // namespace fieldpost
