// The standalone HTTP server on libmicrohttpd, for hosts without a web
// server: same API, same responses as the FastCGI path.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "api/api.h"
#include "core/status.h"
#include "httpd/access_log.h"
#include "httpd/httpd_options.h"

struct MHD_Daemon;

namespace fieldpost {

struct HttpdContext;  // httpd/httpd_exchange.h, which holds microhttpd.h

class HttpdServer {
 public:
  // `api` and `access_log` (may be null) must outlive the server.
  HttpdServer(const Api& api, HttpdOptions options, AccessLog* access_log = nullptr);
  ~HttpdServer();

  // Serves on `listen_fd`, which stays the caller's and must stay open
  // until Stop() returns.
  Status Start(int listen_fd);
  // Stops accepting, lets every request already received get its reply
  // (waiting at most connection_timeout_s, and always for writes that are
  // committing), then closes the connections and joins the threads.
  void Stop();

 private:
  std::unique_ptr<HttpdContext> context_;
  HttpdOptions options_;
  MHD_Daemon* daemon_ = nullptr;
};

}  // namespace fieldpost
