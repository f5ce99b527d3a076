// The signal mask for threads fieldpost starts inside a web server: the
// server's own signals (reload, stop, children) keep going to the threads
// that wait for them. Faults (SIGBUS, SIGSEGV, SIGFPE, SIGILL) stay
// unblocked: the kernel kills a process whose thread faults with them
// blocked, before any handler (storage/lmdb/mapping_fault_guard.h) can run.
#pragma once

#include <signal.h>

namespace fieldpost {

// Every signal but the synchronous faults.
inline sigset_t AsynchronousSignals() {
  sigset_t set;
  sigfillset(&set);
  for (int fault : {SIGBUS, SIGSEGV, SIGFPE, SIGILL}) sigdelset(&set, fault);
  return set;
}

}  // namespace fieldpost
