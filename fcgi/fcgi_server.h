// The FastCGI responder: a pool of threads answering requests from a web
// server (nginx, Apache) through libfcgi, on a listening socket it is given
// (its own, or one inherited from a web server, spawn-fcgi or systemd).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "module/api.h"
#include "module/status.h"

namespace fieldpost {

struct FcgiOptions {
  // A unix socket path, or HOST:PORT / :PORT for TCP. Empty: the socket
  // systemd passed ($LISTEN_FDS), else the one inherited as fd 0. Opened by
  // the caller (app/listen_socket.h).
  std::string socket;
  // Each thread blocks while its write commits; enough threads let
  // concurrent writes share one commit (group commit).
  int threads = 32;
  int backlog = 128;
  // Permissions of a unix socket we create: the web server's user must be
  // able to connect. Group access by default.
  unsigned socket_mode = 0660;
  // Receive/send timeout on each connection: a peer that stalls mid-request
  // frees its thread after this long.
  unsigned io_timeout_s = 10;
};

class FcgiServer {
 public:
  // `api` must outlive the server.
  FcgiServer(const Api& api, FcgiOptions options);
  ~FcgiServer();

  // Starts the threads accepting on `listen_fd`, which stays the caller's
  // and must stay open until Stop() returns.
  Status Start(int listen_fd);

  // Stops accepting, lets requests in progress finish, joins the threads.
  void Stop();

 private:
  void WorkerLoop();
  // Waits for the next request and reads it into `native` (an
  // FCGX_Request); false once Stop() was called.
  bool AcceptNext(void* native);
  // Accepts one connection under accept_mutex_; -1 once Stop() was called.
  int AcceptConnection();

  const Api& api_;
  FcgiOptions options_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};  // readable once Stop() was called
  std::mutex accept_mutex_;      // one thread polls and accepts at a time
  std::vector<std::thread> threads_;
};

}  // namespace fieldpost
