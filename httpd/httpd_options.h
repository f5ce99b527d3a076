// The standalone server's settings, without libmicrohttpd's header, for
// the configuration code.
#pragma once

#include <string>

namespace fieldpost {

// Two per CPU this process may run on, at least 4. /update parks its
// connection while it commits; the other writes (bulk updates, the channel
// API) still hold their thread, and libmicrohttpd ties each connection to
// one thread, so a few spare ones keep a long clear from stalling reads.
unsigned DefaultServeThreads();

struct HttpdOptions {
  // HOST:PORT to listen on (port 0 picks a free one); opened by the caller
  // (app/listen_socket.h).
  std::string listen = "0.0.0.0:8080";
  // Threads serving connections; 0 is DefaultServeThreads(). A write to
  // /update parks its connection while it commits and holds no thread.
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

}  // namespace fieldpost
