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

struct HttpdOptions {
  std::string listen = "0.0.0.0:8080";  // IPv4 HOST:PORT; port 0 picks a free one
  // A handler blocks its pool thread (and that thread's other connections)
  // while its write commits, so the pool is much larger than the core
  // count: concurrent writes then share a commit. Measured on 2 cores, 32
  // connections: 8 threads 11k updates/s, 32 15k, 64 22k.
  unsigned threads = 64;
  unsigned connection_timeout_s = 30;
};

class HttpdServer {
 public:
  // `api` and `access_log` (may be null) must outlive the server.
  HttpdServer(const Api& api, HttpdOptions options, AccessLog* access_log = nullptr)
      : context_{&api, access_log}, options_(std::move(options)) {}
  ~HttpdServer() { Stop(); }

  Status Start();
  // The bound port (useful with port 0). Valid after Start().
  std::uint16_t port() const { return port_; }
  // Stops accepting, finishes requests in progress, joins the threads.
  void Stop();

 private:
  HttpdContext context_;
  HttpdOptions options_;
  MHD_Daemon* daemon_ = nullptr;
  std::uint16_t port_ = 0;
};

}  // namespace fieldpost
