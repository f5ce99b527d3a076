// The C++ side of module/bridge/fieldpost_bridge.h: converts a module's
// views to a Request and runs the API. For nginx, the replies of writes
// queue for the worker's event loop, which an eventfd wakes; Apache waits
// in the request's thread.
#include "module/bridge/fieldpost_bridge.h"

#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "api/api.h"
#include "api/http_errors.h"
#include "api/router.h"
#include "core/log.h"
#include "core/metrics.h"
#include "module/bridge/request_threads.h"
#include "storage/database_uri.h"
#include "storage/open_store.h"
#include "storage/thread_signals.h"

struct fieldpost_replies {
  struct Waiting {
    void* token;
    fieldpost_deliver deliver;
    fieldpost::Response response;
  };
  int event_fd = -1;
  std::mutex mutex;
  std::deque<Waiting> waiting;
};

struct fieldpost_store {
  std::unique_ptr<fieldpost::AdminStore> store;
  std::unique_ptr<fieldpost::Api> api;
  fieldpost_replies* replies = nullptr;
  // A database's store: every request but a write (which reads nothing
  // before it joins the batch) runs on these, never in nginx's event loop.
  // Null for a data directory, whose reads take microseconds.
  std::unique_ptr<fieldpost::RequestThreads> threads;
};

namespace {

using fieldpost::Response;

void CopyError(const std::string& message, char* error, std::size_t error_size) {
  if (error_size > 0) std::snprintf(error, error_size, "%s", message.c_str());
}

std::string_view View(fieldpost_str s) { return {s.data, s.len}; }
fieldpost_str Str(std::string_view s) { return {s.data(), s.size()}; }

// Hands `response` to `deliver` as the C view.
void DeliverView(void* token, fieldpost_deliver deliver, const Response& response) {
  std::string status_line = std::to_string(response.status);
  if (const std::string_view reason = fieldpost::StatusLineReason(response.status);
      !reason.empty()) {
    status_line.append(" ").append(reason);
  }
  std::vector<fieldpost_header> headers;
  headers.reserve(response.headers.size());
  for (const auto& [name, value] : response.headers) headers.push_back({Str(name), Str(value)});
  // The API's fixed tables are short: no allocation for them. A longer one
  // is a bug, answered 500 by Deliver rather than cut short.
  constexpr std::size_t kMaxStatic = 8;
  std::array<fieldpost_static_header, kMaxStatic> lasting;
  const std::size_t lasting_count = response.static_headers.size();
  if (lasting_count > kMaxStatic) throw std::length_error("too many static headers");
  for (std::size_t i = 0; i < lasting_count; ++i) {
    const fieldpost::StaticHeader& header = response.static_headers[i];
    lasting[i] = {Str(header.name), Str(header.lower_name), Str(header.value)};
  }
  const fieldpost_response view{response.status,    Str(status_line), Str(response.content_type),
                                Str(response.body), headers.data(),   headers.size(),
                                lasting.data(),     lasting_count};
  deliver(token, &view);
}

// The same, or, when building the view runs out of memory, a 500 made of
// static strings: the web server must get a reply to finish the request.
void Deliver(void* token, fieldpost_deliver deliver, const Response& response) noexcept {
  try {
    DeliverView(token, deliver, response);
  } catch (const std::exception&) {
    static constexpr char kStatusLine[] = "500 Internal Server Error";
    static constexpr char kType[] = "text/plain; charset=utf-8";
    static constexpr char kBody[] = "error_internal";
    const fieldpost_response fallback{500,
                                      {kStatusLine, sizeof kStatusLine - 1},
                                      {kType, sizeof kType - 1},
                                      {kBody, sizeof kBody - 1},
                                      nullptr,
                                      0,
                                      nullptr,
                                      0};
    deliver(token, &fallback);
  }
}

fieldpost::Request ToRequest(const fieldpost_request& in) {
  fieldpost::Request request;
  request.method = View(in.method);
  request.path = View(in.path);
  request.query = View(in.query);
  request.body = View(in.body);
  request.body_too_large = in.body_too_large != 0;
  request.headers.reserve(in.header_count);
  for (std::size_t i = 0; i < in.header_count; ++i) {
    request.headers.emplace_back(View(in.headers[i].name), View(in.headers[i].value));
  }
  return request;
}

// A request's bytes, copied: the web server may free its own as soon as
// fieldpost_handle returns, while a request thread still works on it.
struct OwnedRequest {
  std::string method, path, query, body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool body_too_large = false;

  explicit OwnedRequest(const fieldpost_request& in)
      : method(View(in.method)),
        path(View(in.path)),
        query(View(in.query)),
        body(View(in.body)),
        body_too_large(in.body_too_large != 0) {
    headers.reserve(in.header_count);
    for (std::size_t i = 0; i < in.header_count; ++i) {
      headers.emplace_back(View(in.headers[i].name), View(in.headers[i].value));
    }
  }

  fieldpost::Request AsRequest() const {
    fieldpost::Request request;
    request.method = method;
    request.path = path;
    request.query = query;
    request.body = body;
    request.body_too_large = body_too_large;
    request.headers.reserve(headers.size());
    for (const auto& [name, value] : headers) request.headers.emplace_back(name, value);
    return request;
  }
};

// Queues a reply for the event loop and wakes it.
void QueueReply(fieldpost_replies* replies, void* token, fieldpost_deliver deliver,
                Response response) {
  bool was_empty;
  {
    std::lock_guard lock(replies->mutex);
    was_empty = replies->waiting.empty();
    replies->waiting.push_back({token, deliver, std::move(response)});
  }
  // One wake-up per batch, not per reply: a reply queued behind others
  // is taken with them (the take resets the eventfd before it takes).
  if (!was_empty) return;
  const std::uint64_t one = 1;
  while (write(replies->event_fd, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

// What the reply callback shares with the call that handed the request
// over: a reply made on the calling thread before the call returns is
// delivered at once; any other waits in the queue for the event loop.
struct Handoff {
  std::thread::id caller = std::this_thread::get_id();
  bool returned = false;  // read and written only on the caller's thread
  bool delivered_inline = false;
};

}  // namespace

extern "C" {

fieldpost_replies* fieldpost_replies_open(char* error, size_t error_size) {
  const int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) {
    CopyError(std::string("eventfd: ") + std::strerror(errno), error, error_size);
    return nullptr;
  }
  auto* replies = new (std::nothrow) fieldpost_replies;
  if (replies == nullptr) {
    close(fd);
    CopyError("out of memory", error, error_size);
    return nullptr;
  }
  replies->event_fd = fd;
  return replies;
}

int fieldpost_replies_fd(const fieldpost_replies* replies) { return replies->event_fd; }

void fieldpost_replies_take(fieldpost_replies* replies, fieldpost_deliver deliver) {
  std::uint64_t count = 0;
  // Reset the eventfd before taking the queue: a reply queued after the
  // take writes it again, so none is left waiting without a wake-up.
  while (read(replies->event_fd, &count, sizeof count) < 0 && errno == EINTR) {
  }
  std::deque<fieldpost_replies::Waiting> taken;
  {
    std::lock_guard lock(replies->mutex);
    taken.swap(replies->waiting);
  }
  for (auto& waiting : taken) Deliver(waiting.token, deliver, waiting.response);
}

void fieldpost_replies_close(fieldpost_replies* replies) {
  if (replies == nullptr) return;
  close(replies->event_fd);
  delete replies;
}

void fieldpost_limits_default(fieldpost_limits* limits) {
  const fieldpost::ApiOptions api;
  limits->max_body = api.max_body_bytes;
  limits->max_bulk_body = api.max_bulk_body_bytes;
  limits->max_map = fieldpost::StorageOptions{}.max_map_bytes;
  limits->retention_days = 0;
  limits->metrics = 0;
}

int fieldpost_limits_same(const fieldpost_limits* a, const fieldpost_limits* b) {
  return a->max_body == b->max_body && a->max_bulk_body == b->max_bulk_body &&
         a->max_map == b->max_map && a->retention_days == b->retention_days &&
         (a->metrics != 0) == (b->metrics != 0);
}

int fieldpost_limits_check(const fieldpost_limits* limits, char* error, size_t error_size) {
  using fieldpost::ApiOptions;
  using fieldpost::StorageOptions;
  const struct {
    const char* name;
    std::size_t value, min, max;
    const char* unit;
  } checks[] = {
      {"max_body", limits->max_body, ApiOptions::kMinBodyLimit, ApiOptions::kMaxBodyLimit, "bytes"},
      {"max_bulk_body", limits->max_bulk_body, ApiOptions::kMinBodyLimit,
       ApiOptions::kMaxBulkBodyLimit, "bytes"},
      {"max_map", limits->max_map, StorageOptions::kMinMapBytes, StorageOptions::kMaxMapBytes,
       "bytes"},
      {"retention_days", limits->retention_days, 0, fieldpost::ChannelSettings::kMaxRetentionDays,
       "days"},
  };
  for (const auto& check : checks) {
    if (check.value < check.min || check.value > check.max) {
      if (error_size > 0) {
        std::snprintf(error, error_size, "%s %zu is out of range: from %zu to %zu %s", check.name,
                      check.value, check.min, check.max, check.unit);
      }
      return 0;
    }
  }
  return 1;
}

size_t fieldpost_body_limit(const fieldpost_limits* limits) {
  fieldpost::ApiOptions api;
  api.max_body_bytes = limits->max_body;
  api.max_bulk_body_bytes = limits->max_bulk_body;
  return api.frontend_body_limit();
}

void fieldpost_share_writes(void) { fieldpost::ShareWritesWithChildren(); }

int fieldpost_is_database(const char* location) {
  return fieldpost::CheckDatabaseUri(location).ok() ? 1 : 0;
}

void fieldpost_location_for_log(const char* location, char* out, size_t out_size) {
  CopyError(fieldpost::UriWithoutPassword(location), out, out_size);
}

fieldpost_str fieldpost_origin_form(fieldpost_str target) {
  const std::string_view origin = fieldpost::OriginForm(std::string_view(target.data, target.len));
  return fieldpost_str{origin.data(), origin.size()};
}

fieldpost_store* fieldpost_store_open(const char* data_dir, const fieldpost_limits* limits,
                                      fieldpost_replies* replies, char* error, size_t error_size) {
  // The store's threads are created here, and inherit this mask
  // (storage/thread_signals.h): nginx's and Apache's signals keep going to
  // the threads that wait for them.
  const sigset_t quiet = fieldpost::AsynchronousSignals();
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &quiet, &previous);
  struct RestoreMask {
    sigset_t mask;
    ~RestoreMask() { pthread_sigmask(SIG_SETMASK, &mask, nullptr); }
  } restore{previous};
  try {
    fieldpost::StorageOptions options;
    if (fieldpost::CheckDatabaseUri(data_dir).ok()) {
      options.database = data_dir;
    } else {
      options.data_dir = data_dir;
    }
    options.max_map_bytes = limits->max_map;
    // nginx's workers and Apache's children on a data directory: one
    // process commits the appends of all, so a commit carries every
    // process's writes. (An LMDB matter: a database batches per process.)
    options.relay_appends = true;
    // Pruned every hour, as by the other servers.
    options.prune_interval = std::chrono::hours(1);
    options.default_retention_days = static_cast<std::uint32_t>(limits->retention_days);
    options.metrics = limits->metrics != 0;
    options.metrics_layout = fieldpost::MetricsLayout(fieldpost::RouteLabels());
    options.cache_channels = true;
    auto opened = fieldpost::OpenStore(options);
    if (!opened.ok()) {
      CopyError(opened.status().message(), error, error_size);
      return nullptr;
    }
    auto store = std::make_unique<fieldpost_store>();
    store->store = std::move(*opened);
    fieldpost::ApiOptions api_options;
    api_options.max_body_bytes = limits->max_body;
    api_options.max_bulk_body_bytes = limits->max_bulk_body;
    store->api = std::make_unique<fieldpost::Api>(*store->store, api_options);
    store->replies = replies;
    // Only an event loop (replies given) needs requests off its thread.
    if (options.uses_database() && replies != nullptr) {
      store->threads = std::make_unique<fieldpost::RequestThreads>(options.database_connections);
    }
    return store.release();
  } catch (const std::exception& e) {
    CopyError(e.what(), error, error_size);
    return nullptr;
  }
}

void fieldpost_store_close(fieldpost_store* store) {
  if (store == nullptr) return;
  try {
    store->threads.reset();      // answers every request handed over
    store->store->StopWrites();  // commits what is queued; replies still queue
    delete store;
  } catch (const std::exception& e) {  // joining the writer thread failed
    fieldpost::LogError(std::string("web-server module: closing the store: ") + e.what());
  }
}

int fieldpost_handle(fieldpost_store* store, const fieldpost_request* in, void* token,
                     fieldpost_deliver deliver) {
  try {
    fieldpost_replies* replies = store->replies;
    const fieldpost::Request request = ToRequest(*in);
    // A write waits for no read: it goes to the store's batch from here,
    // and its commit answers it, as on LMDB; everything else on a database
    // runs on the store's threads.
    if (store->threads && !fieldpost::IsDeferredWrite(request)) {
      auto owned = std::make_shared<const OwnedRequest>(*in);
      const fieldpost::Api* api = store->api.get();
      store->threads->Post([owned, api, replies, token, deliver]() noexcept {
        try {
          api->Handle(owned->AsRequest(), [replies, token, deliver](Response response) {
            QueueReply(replies, token, deliver, std::move(response));
          });
        } catch (const std::exception& e) {
          // Out of memory copying the request's views: answered 500.
          fieldpost::LogError(std::string("web-server module: ") + e.what());
          try {
            QueueReply(replies, token, deliver, fieldpost::InternalErrorResponse());
          } catch (const std::exception&) {
          }
        }
      });
      return 0;
    }
    // Reads are answered here and now; only a write's reply, which may
    // come from the committing thread, needs a callback and its handoff.
    std::shared_ptr<Handoff> handoff;
    struct Made {  // one reference for the factory: std::function keeps it in place
      std::shared_ptr<Handoff>& handoff;
      fieldpost_replies* replies;
      void* token;
      fieldpost_deliver deliver;
    } made{handoff, replies, token, deliver};
    std::optional<Response> now = store->api->Answer(request, [&made] {
      made.handoff = std::make_shared<Handoff>();
      return fieldpost::Reply([handoff = made.handoff, replies = made.replies, token = made.token,
                               deliver = made.deliver](Response response) {
        if (std::this_thread::get_id() == handoff->caller && !handoff->returned) {
          handoff->delivered_inline = true;
          Deliver(token, deliver, response);
          return;
        }
        QueueReply(replies, token, deliver, std::move(response));
      });
    });
    if (now) {
      Deliver(token, deliver, *now);
      return 1;
    }
    handoff->returned = true;
    return handoff->delivered_inline ? 1 : 0;
  } catch (const std::exception& e) {
    // Out of memory before the API had the request: nothing was stored.
    fieldpost::LogError(std::string("nginx module: ") + e.what());
    return -1;
  }
}

int fieldpost_handle_blocking(fieldpost_store* store, const fieldpost_request* in, void* token,
                              fieldpost_deliver deliver) {
  try {
    const fieldpost::Response response = store->api->Handle(ToRequest(*in));
    Deliver(token, deliver, response);
    return 1;
  } catch (const std::exception& e) {
    // Out of memory: nothing was stored, or the reply could not be built.
    fieldpost::LogError(std::string("web-server module: ") + e.what());
    return -1;
  }
}

}  // extern "C"
