// The standalone HTTP server on libmicrohttpd, for hosts without a web
// server: same module, same responses as the FastCGI path.
#pragma once

#include <cstdint>
#include <string>

#include "httpd/access_log.h"
#include "httpd/httpd_exchange.h"
#include "module/api.h"
#include "module/status.h"

struct MHD_Daemon;

namespace fieldpost {

// The CPUs this process may run on, at least 2.
unsigned DefaultServeThreads();

struct HttpdOptions {
  // HOST:PORT to listen on (port 0 picks a free one); opened by the caller
  // (app/listen_socket.h).
  std::string listen = "0.0.0.0:8080";
  // Threads serving connections; 0 is DefaultServeThreads(). A write parks
  // its connection while it commits and holds no thread, so threads are
  // for the CPU work only.
  unsigned threads = 0;
  // Seconds a connection may stay idle (or stall mid-request) before it is
  // closed; also the longest a graceful stop waits for replies in progress.
  unsigned connection_timeout_s = 30;
  // Seconds a client has to send a whole request head, from the moment it
  // connects or gets its previous reply, however slowly the bytes come.
  unsigned header_timeout_s = 30;
  // Open connections in all, and from one client address. One client
  // holding many connections (or feeding headers a byte at a time) reaches
  // its own limit long before the total, so others are still served.
  unsigned max_connections = 10000;
  unsigned max_connections_per_client = 256;
};

class HttpdServer {
 public:
  // `api` and `access_log` (may be null) must outlive the server.
  HttpdServer(const Api& api, HttpdOptions options, AccessLog* access_log = nullptr)
      : context_{&api, access_log}, options_(std::move(options)) {}
  ~HttpdServer() { Stop(); }

  // Serves on `listen_fd`, which stays the caller's and must stay open
  // until Stop() returns.
  Status Start(int listen_fd);
  // Stops accepting, lets every request already received get its reply
  // (waiting at most connection_timeout_s), then closes the connections
  // and joins the threads.
  void Stop();

 private:
  HttpdContext context_;
  HttpdOptions options_;
  MHD_Daemon* daemon_ = nullptr;
};

}  // namespace fieldpost
