// The FastCGI responder: a few threads answering a web server (nginx,
// Apache) through libfcgi, on a listening socket it is given (its own, or
// one inherited from a web server, spawn-fcgi or systemd).
//
// Event-driven: the threads wait together on one epoll set holding the
// listening socket and every open connection between requests, so a
// connection the web server keeps (fastcgi_keep_conn) holds no thread while
// it is idle, and a write waiting for its commit holds none either: its
// reply is sent by whichever thread is free when the commit returns.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "api/api.h"
#include "core/status.h"

namespace fieldpost {

// One per CPU this process may run on, at least 2: neither idle
// connections nor writes waiting for their commit hold a thread, and more
// threads than CPUs only contend (bench/fcgi_topology.sh: 4 threads on 2
// CPUs read 20-40% slower than 2). A thread reads each request whole
// (libfcgi blocks), so the second keeps a stalled peer from stopping all.
unsigned DefaultFcgiThreads();

struct FcgiOptions {
  // A unix socket path, or HOST:PORT / :PORT for TCP. Empty: the socket
  // systemd passed ($LISTEN_FDS), else the one inherited as fd 0. Opened by
  // the caller (app/listen_socket.h).
  std::string socket;
  // Threads; 0 is DefaultFcgiThreads(). Neither idle connections nor writes
  // waiting for their commit hold one.
  int threads = 0;
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

  // Starts the threads serving `listen_fd`, which stays the caller's and
  // must stay open until Stop() returns.
  Status Start(int listen_fd);

  // Stops accepting, lets every request already read get its reply,
  // closes the connections, joins the threads.
  void Stop();

 private:
  struct Connection;  // one web-server connection and its libfcgi request

  void WorkerLoop();
  void AcceptConnections();
  // Reads the next request off `connection` and hands it to the Api.
  void Serve(Connection* connection);
  // Sends the response the Api gave, then keeps or closes the connection.
  void Reply(Connection* connection);
  // Replies to the writes whose commits returned (queued by the Api's
  // callback on the committing thread).
  void ReplyToCommitted();
  // Waits for the next request on a kept connection; false (logged) when
  // epoll refuses it, and the caller closes it. Called with the
  // connection's mutex held (see Reply).
  bool Arm(Connection* connection);
  void Close(Connection* connection);

  const Api& api_;
  FcgiOptions options_;
  int listen_fd_ = -1;
  bool unix_socket_ = false;
  int epoll_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};  // readable once the threads must end
  int committed_fd_ = -1;        // eventfd: replies wait in committed_
  std::mutex committed_mutex_;
  Connection* committed_ = nullptr;  // linked by Connection::next_committed
  std::mutex connections_mutex_;
  std::unordered_set<Connection*> connections_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> in_flight_{0};  // requests read whose reply is not sent
  std::vector<std::thread> threads_;
};

}  // namespace fieldpost
