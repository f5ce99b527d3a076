#include "httpd/httpd_exchange.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cctype>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/api.h"
#include "api/http_errors.h"
#include "core/log.h"
#include "core/utf8.h"
#include "httpd/request_framing.h"

namespace fieldpost {
namespace {

// One request from its head to its reply. Shared with the Api's reply
// callback, which may run on the committing thread after the connection
// was suspended.
struct PendingRequest {
  Request request;
  HttpdContext* context = nullptr;
  MHD_Connection* connection = nullptr;
  bool started = false;  // handed to the Api

  std::mutex mutex;  // guards the members below
  std::optional<Response> response;
  bool suspended = false;  // waiting for `response` with no thread held
};

using PendingHandle = std::shared_ptr<PendingRequest>;

// Called with the response, from this thread before Api::Handle returns
// (reads) or from the committing thread (writes), which resumes the
// connection if it was parked meanwhile.
void Deliver(const PendingHandle& pending, Response response) {
  bool resume = false;
  {
    std::lock_guard lock(pending->mutex);
    pending->response = std::move(response);
    resume = std::exchange(pending->suspended, false);
  }
  // A suspended connection is neither read nor timed out nor completed by
  // MHD, so `connection` is still alive here.
  if (resume) MHD_resume_connection(pending->connection);
  // Last: HttpdServer::Stop waits for this count before stopping MHD.
  --pending->context->awaiting_reply;
}

MHD_Result CollectHeader(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* request = static_cast<Request*>(cls);
  std::string name(key);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  request->headers.emplace_back(std::move(name), value == nullptr ? "" : value);
  return MHD_YES;
}

// MHD has split the query into arguments (left escaped by KeepEscaped);
// join them back into the raw query string the API parses.
MHD_Result CollectArgument(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* query = static_cast<std::string*>(cls);
  if (!query->empty()) query->push_back('&');
  query->append(key);
  if (value != nullptr) query->append("=").append(value);
  return MHD_YES;
}

// Where MHD's C strings for the target's pieces (its arguments' keys and
// values) lie.
MHD_Result CollectPieces(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* pieces = static_cast<std::vector<std::string_view>*>(cls);
  pieces->emplace_back(key);
  if (value != nullptr) pieces->emplace_back(value);
  return MHD_YES;
}

// MHD 0.9.75 splits the request line in place and hands out C strings, so a
// NUL byte in the target silently cuts it short ("field1=12\0" "34" would
// store 12, and "/update\0?..." still has its arguments parsed). The target
// is the bytes from `url` up to the NUL MHD wrote before `version`; MHD
// turned only the '?', '&' and '=' separators into NULs, each right where
// a piece (the path, an argument's key or value) ends. Any other byte
// outside the pieces, or a NUL where no piece ends, was hidden behind the
// client's NUL. When the pointers do not lie in one buffer (another MHD
// version), nothing is concluded.
bool TargetHidesBytes(MHD_Connection* connection, const char* url, const char* version) {
  // As integers: `version` may be a string of MHD's own, outside the buffer.
  constexpr std::uintptr_t kLongestTarget = 1 << 20;
  const auto begin = reinterpret_cast<std::uintptr_t>(url);
  const auto end = reinterpret_cast<std::uintptr_t>(version);
  if (end <= begin || end - begin > kLongestTarget) return false;
  const std::string_view target(url, end - begin - 1);
  std::vector<std::string_view> pieces = {std::string_view(url)};
  MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, CollectPieces, &pieces);
  std::vector<bool> covered(target.size(), false);
  std::vector<bool> piece_end(target.size() + 1, false);
  for (const std::string_view piece : pieces) {
    const auto at = reinterpret_cast<std::uintptr_t>(piece.data());
    if (at < begin || at + piece.size() > begin + target.size()) return false;
    const std::size_t from = at - begin;
    for (std::size_t i = 0; i < piece.size(); ++i) covered[from + i] = true;
    piece_end[from + piece.size()] = true;
  }
  for (std::size_t i = 0; i < target.size(); ++i) {
    if (!covered[i] && (target[i] != '\0' || !piece_end[i])) return true;
  }
  return false;
}

// A refused body up to this size is read and dropped before the 413, so
// that the client, still sending it, reads the reply.
constexpr std::uint64_t kReadAndDropBytes = 1 << 20;

// The same for the method: MHD cuts it at the space before the target,
// which it turns into a NUL; "GET\0 /x" or "POST\0X /x" leave another NUL,
// or other bytes, between the method's end and the target.
bool MethodHidesBytes(const char* method, const char* url) {
  // MHD skips any run of spaces before the target; its whole request line
  // lies in the connection's memory pool (32 KiB by default).
  constexpr std::uintptr_t kWidestGap = 32 * 1024;
  const auto end = reinterpret_cast<std::uintptr_t>(method) + std::strlen(method);
  const auto target = reinterpret_cast<std::uintptr_t>(url);
  if (target <= end || target - end > kWidestGap) return false;
  int nuls = 0;
  for (const char* p = method + std::strlen(method); p < url; ++p) {
    if (*p == '\0') {
      ++nuls;
    } else if (*p != ' ' && *p != '\t') {
      return true;
    }
  }
  return nuls != 1;
}

std::string ClientAddress(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == nullptr || info->client_addr == nullptr) return "-";
  char host[INET6_ADDRSTRLEN] = "-";
  const sockaddr* address = info->client_addr;
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, host, sizeof host);
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, host,
              sizeof host);
  }
  return host;
}

MHD_Result Queue(MHD_Connection* connection, const Response& response, bool close) {
  MHD_Response* native = MHD_create_response_from_buffer(
      response.body.size(), const_cast<char*>(response.body.data()), MHD_RESPMEM_MUST_COPY);
  if (native == nullptr) return MHD_NO;
  // A literal (Response::content_type): its data ends in a NUL.
  MHD_add_response_header(native, MHD_HTTP_HEADER_CONTENT_TYPE, response.content_type.data());
  for (const auto& [name, value] : response.headers) {
    MHD_add_response_header(native, name.c_str(), value.c_str());
  }
  for (const StaticHeader& header : response.static_headers) {
    MHD_add_response_header(native, header.name, header.value);
  }
  if (close) MHD_add_response_header(native, MHD_HTTP_HEADER_CONNECTION, "close");
  const MHD_Result queued =
      MHD_queue_response(connection, static_cast<unsigned>(response.status), native);
  MHD_destroy_response(native);
  return queued;
}

// Logs and queues `response`. Queued in the first call (the head alone),
// it makes MHD skip the body and close the connection after the reply.
MHD_Result Answer(HttpdContext& context, MHD_Connection* connection, const Request& request,
                  const char* version, const Response& response, bool close = true) {
  if (context.access_log != nullptr) {
    const std::string target =
        request.query.empty() ? request.path : request.path + "?" + request.query;
    context.access_log->Write(ClientAddress(connection),
                              request.method + " " + target + " " + version, response.status,
                              response.body.size());
  }
  return Queue(connection, response, close);
}

}  // namespace

MHD_Result AnswerConnection(void* cls, MHD_Connection* connection, const char* url,
                            const char* method, const char* version, const char* upload_data,
                            size_t* upload_data_size, void** request_state) noexcept {
  try {
    auto& context = *static_cast<HttpdContext*>(cls);
    const Api& api = *context.api;
    auto* handle = static_cast<PendingHandle*>(*request_state);
    if (handle == nullptr) {
      // First call: headers only. Answering now makes MHD close the
      // connection, so only a request that must not be read is.
      handle = new PendingHandle(std::make_shared<PendingRequest>());
      *request_state = handle;
      PendingRequest* pending = handle->get();
      pending->context = &context;
      pending->connection = connection;
      // Counted before `stopping` is read: HttpdServer::Stop sets it before
      // it waits for the count to drop, so a request is either waited for
      // or told the server is stopping, never cut off after it ran.
      ++context.in_flight;
      context.header_deadline.HeadArrived(connection);
      Request& request = pending->request;
      request.method = method;
      request.path = OriginForm(url);
      MHD_get_connection_values(connection, MHD_HEADER_KIND, CollectHeader, &request);
      MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, CollectArgument, &request.query);
      // A request that cannot be read as its bytes say is answered now,
      // before any body is read or 100 Continue sent, and its connection
      // closed, as nginx does.
      auto length = CheckFraming(request.headers, std::string_view(version) == "HTTP/1.0");
      Status malformed = length.status();
      if (TargetHidesBytes(connection, url, version)) {
        malformed = InvalidArgument("the request target holds a NUL byte");
      } else if (MethodHidesBytes(method, url)) {
        malformed = InvalidArgument("the request method holds a NUL byte");
      }
      if (!malformed.ok()) {
        return Answer(context, connection, request, version,
                      ErrorResponse(malformed, Format::kNone, ErrorStyle::kErrorObject));
      }
      if (context.stopping.load()) {
        // Not run, so a client that misses this reply may safely resend.
        request.refusal = {StatusCode::kUnavailable, "the server is stopping; send it again"};
      }
      if (*length && api.BodyTooLarge(request, **length)) {
        request.body_too_large = true;
        // Refused now, in the route's own style (Precheck), when no body is
        // on its way: the client waits for 100 Continue, or the length is
        // not worth reading. MHD closes without reading what was sent, and
        // a body still arriving could reset the connection before the
        // client reads the reply; a body of ordinary size is read and
        // dropped first, as before.
        // MHD sends no 100 Continue to HTTP/1.0: such a client sends its
        // body anyway.
        const bool waiting = EqualsIgnoringAsciiCase(request.Header("expect"), "100-continue") &&
                             std::string_view(version) == "HTTP/1.1";
        if (waiting || **length > kReadAndDropBytes) {
          return Answer(context, connection, request, version, api.Handle(request));
        }
      }
      return MHD_YES;
    }
    PendingRequest* pending = handle->get();
    Request& request = pending->request;
    if (*upload_data_size != 0) {
      if (request.body.size() + *upload_data_size > api.options().frontend_body_limit()) {
        request.body_too_large = true;
        request.body.clear();
      } else if (!request.body_too_large) {
        request.body.append(upload_data, *upload_data_size);
      }
      *upload_data_size = 0;
      return MHD_YES;
    }
    if (!pending->started) {
      pending->started = true;
      // Counted before `closing` is read (see HttpdServer::Stop): once it
      // is set, a request refused here starts nothing that outlives MHD.
      ++context.awaiting_reply;
      if (context.closing.load() && request.refusal.ok()) {
        request.refusal = {StatusCode::kUnavailable, "the server is stopping; send it again"};
      }
      api.Handle(request,
                 [handle = *handle](Response response) { Deliver(handle, std::move(response)); });
    }
    {
      std::lock_guard lock(pending->mutex);
      if (!pending->response) {
        // A write waiting for its commit: park the connection, so this
        // thread serves others meanwhile; Deliver resumes it, and MHD
        // calls here again.
        MHD_suspend_connection(connection);
        pending->suspended = true;
        return MHD_YES;
      }
    }
    return Answer(context, connection, request, version, *pending->response,
                  context.stopping.load());
  } catch (const std::exception& e) {
    LogError(std::string("http request failed: ") + e.what());
    return MHD_NO;
  }
}

void RequestCompleted(void* cls, MHD_Connection* connection, void** request_state,
                      MHD_RequestTerminationCode) noexcept {
  if (*request_state == nullptr) return;
  delete static_cast<PendingHandle*>(*request_state);
  *request_state = nullptr;
  auto& context = *static_cast<HttpdContext*>(cls);
  context.header_deadline.Replied(connection);
  --context.in_flight;
}

void ConnectionChanged(void* cls, MHD_Connection* connection, void**,
                       MHD_ConnectionNotificationCode code) noexcept {
  auto& deadline = static_cast<HttpdContext*>(cls)->header_deadline;
  try {
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
      const MHD_ConnectionInfo* info =
          MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
      if (info != nullptr) deadline.Opened(connection, info->connect_fd);
    } else {
      deadline.Closed(connection);
    }
  } catch (const std::exception& e) {
    LogError(std::string("connection bookkeeping failed: ") + e.what());
  }
}

size_t KeepEscaped(void*, MHD_Connection*, char* text) noexcept { return std::strlen(text); }

}  // namespace fieldpost
