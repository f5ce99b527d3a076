#include "httpd/httpd_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include <charconv>

#include "httpd/httpd_exchange.h"
#include "module/log.h"

namespace fieldpost {
namespace {

Result<sockaddr_in> ParseListen(const std::string& listen) {
  const std::size_t colon = listen.rfind(':');
  const auto invalid = [&] {
    return InvalidArgument("listen address '" + listen + "' is not IPV4:PORT");
  };
  if (colon == std::string::npos) return invalid();
  sockaddr_in address{};
  address.sin_family = AF_INET;
  const std::string host = colon == 0 ? "0.0.0.0" : listen.substr(0, colon);
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) return invalid();
  unsigned port = 0;
  const char* first = listen.data() + colon + 1;
  const char* last = listen.data() + listen.size();
  const auto [end, ec] = std::from_chars(first, last, port);
  if (ec != std::errc() || end != last || port > 65535) return invalid();
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  return address;
}

}  // namespace

Status HttpdServer::Start() {
  auto address = ParseListen(options_.listen);
  if (!address.ok()) return address.status();
  const unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
  daemon_ = MHD_start_daemon(
      flags, 0, nullptr, nullptr, &AnswerConnection, &context_, MHD_OPTION_SOCK_ADDR, &*address,
      MHD_OPTION_THREAD_POOL_SIZE, options_.threads, MHD_OPTION_CONNECTION_TIMEOUT,
      options_.connection_timeout_s, MHD_OPTION_NOTIFY_COMPLETED, &RequestCompleted, nullptr,
      MHD_OPTION_UNESCAPE_CALLBACK, &KeepEscaped, nullptr, MHD_OPTION_END);
  if (daemon_ == nullptr) return Internal("cannot listen on " + options_.listen);
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
  port_ = info == nullptr ? 0 : info->port;
  char host[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &address->sin_addr, host, sizeof host);
  LogInfo("http server listening on http://" + std::string(host) + ":" + std::to_string(port_) +
          "/ with " + std::to_string(options_.threads) + " threads");
  return OkStatus();
}

void HttpdServer::Stop() {
  if (daemon_ == nullptr) return;
  MHD_stop_daemon(daemon_);
  daemon_ = nullptr;
}

}  // namespace fieldpost
