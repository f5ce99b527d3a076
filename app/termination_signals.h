// Graceful shutdown: SIGTERM, SIGINT and SIGHUP are blocked in every thread
// and taken by the main thread with sigwait(), so no signal handler runs
// in the middle of a request. SIGTERM and SIGINT stop a server; SIGHUP
// (logrotate's habit) reopens its logs and never stops it. SIGPIPE is ignored (a client that went
// away must not kill the server), and so is SIGUSR1 (libfcgi's handler for it would stop the
// responder from accepting).
#pragma once

namespace fieldpost {

// Call in main before any thread starts; threads inherit the mask.
void BlockTerminationSignals();

// Blocks until SIGTERM, SIGINT or SIGHUP arrives; returns its number.
int WaitForTerminationSignal();

}  // namespace fieldpost
