// The libmicrohttpd access handler: collects a request across MHD's calls,
// hands it to the API, and queues the response. Entered from C, so it
// never throws.
#pragma once

#include <microhttpd.h>

#include <atomic>

#include "api/api.h"
#include "httpd/access_log.h"
#include "httpd/header_deadline.h"

namespace fieldpost {

// What the handler needs, passed to MHD as `cls`.
struct HttpdContext {
  const Api* api;
  AccessLog* access_log;  // null: no access log
  // Set when the server stops: replies then close their connection.
  std::atomic<bool> stopping{false};
  // Requests received (headers read) whose reply is not yet sent.
  std::atomic<int> in_flight{0};
  // Set once a stop has waited for the replies in flight: requests that
  // reach the Api after it are refused, so none parks its connection.
  std::atomic<bool> closing{false};
  // Requests handed to the Api whose reply has not come back yet; a write
  // parks its connection (MHD_suspend_connection) meanwhile, and MHD must
  // not be stopped with one parked.
  std::atomic<int> awaiting_reply{0};
  HeaderDeadline header_deadline{};
};

// The MHD_AccessHandlerCallback; `cls` is the HttpdContext.
MHD_Result AnswerConnection(void* cls, MHD_Connection* connection, const char* url,
                            const char* method, const char* version, const char* upload_data,
                            size_t* upload_data_size, void** request_state) noexcept;

// The MHD_RequestCompletedCallback that frees what AnswerConnection kept;
// `cls` is the HttpdContext.
void RequestCompleted(void* cls, MHD_Connection* connection, void** request_state,
                      MHD_RequestTerminationCode code) noexcept;

// The MHD_NotifyConnectionCallback that tells the header deadline of
// connections opening and closing; `cls` is the HttpdContext.
void ConnectionChanged(void* cls, MHD_Connection* connection, void** socket_context,
                       MHD_ConnectionNotificationCode code) noexcept;

// The MHD_UnescapeCallback that leaves bytes as they came: the API
// decodes paths and parameters itself.
size_t KeepEscaped(void* cls, MHD_Connection* connection, char* text) noexcept;

}  // namespace fieldpost
