/* The C interface between the web-server modules (C, the servers' headers)
 * and the API core and storage (C++). A module's C file sees only this; the
 * C++ behind it (fieldpost_bridge.cc) never sees a web server. Nothing here
 * throws. */
#ifndef FIELDPOST_MODULE_BRIDGE_FIELDPOST_BRIDGE_H
#define FIELDPOST_MODULE_BRIDGE_FIELDPOST_BRIDGE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes that are not NUL-terminated. */
typedef struct {
  const char* data;
  size_t len;
} fieldpost_str;

typedef struct {
  fieldpost_str name; /* lower-case, '-' separated */
  fieldpost_str value;
} fieldpost_header;

typedef struct {
  fieldpost_str method;
  fieldpost_str path; /* below the mount prefix, from '/', still percent-encoded */
  fieldpost_str query;
  fieldpost_str body;
  const fieldpost_header* headers;
  size_t header_count;
  int body_too_large; /* the body was over fieldpost_body_limit() and not read */
} fieldpost_request;

/* A header whose bytes live as long as the process (and are NUL-terminated
 * after their length): a web server may keep pointers to them instead of
 * copies. */
typedef struct {
  fieldpost_str name;
  fieldpost_str lower_name;
  fieldpost_str value;
} fieldpost_static_header;

typedef struct {
  int status;
  fieldpost_str status_line; /* "200 OK", as the FastCGI responder sends it */
  fieldpost_str content_type;
  fieldpost_str body;
  const fieldpost_header* headers; /* besides Content-Type and Content-Length */
  size_t header_count;
  const fieldpost_static_header* static_headers; /* sent after `headers` */
  size_t static_header_count;
} fieldpost_response;

/* Gets a response on the worker's thread. The response's bytes live only
 * for the call. */
typedef void (*fieldpost_deliver)(void* token, const fieldpost_response* response);

/* Replies of deferred writes, waiting to be sent: one queue per process. */
typedef struct fieldpost_replies fieldpost_replies;

/* NULL with the reason in `error` when no eventfd could be made. */
fieldpost_replies* fieldpost_replies_open(char* error, size_t error_size);
/* Readable (an eventfd, non-blocking) while replies are waiting. */
int fieldpost_replies_fd(const fieldpost_replies* replies);
/* Calls `deliver` for every waiting reply, oldest first. */
void fieldpost_replies_take(fieldpost_replies* replies, fieldpost_deliver deliver);
/* Replies still queued are dropped. Close the stores first: their writer
 * threads may still be queueing. */
void fieldpost_replies_close(fieldpost_replies* replies);

/* What a web server's directives may set for a data directory: the
 * settings `fieldpost fcgi` takes as max_body, max_bulk_body and
 * storage.max_map_mib (in bytes), retention_days and metrics. */
typedef struct {
  size_t max_body;       /* larger bodies: 413 */
  size_t max_bulk_body;  /* the same for bulk updates */
  size_t max_map;        /* the LMDB map grows up to this; writes then 507 */
  size_t retention_days; /* for channels without their own; 0 keeps entries */
  int metrics;           /* 1: answer GET /metrics (core/metrics.h) */
} fieldpost_limits;

/* The defaults `fieldpost fcgi` has. */
void fieldpost_limits_default(fieldpost_limits* limits);
/* 1 when every limit is in its range; else 0, with the first one out of
 * range and its range in `error` ("max_body 10 is out of range: ..."). */
int fieldpost_limits_check(const fieldpost_limits* limits, char* error, size_t error_size);
/* 1 when `a` and `b` set the same values (one store serves one set). */
int fieldpost_limits_same(const fieldpost_limits* a, const fieldpost_limits* b);
/* The most body bytes any route takes under `limits`; a larger body is
 * not read. */
size_t fieldpost_body_limit(const fieldpost_limits* limits);

/* The request target as the client sent it, in origin form (api/request.h
 * OriginForm): an absolute-form target loses its scheme and host. Points
 * into `target`, or at a static "/". */
fieldpost_str fieldpost_origin_form(fieldpost_str target);

/* 1 when `location` is a PostgreSQL URI (postgresql://...), 0 when it is
 * taken for a data directory. */
int fieldpost_is_database(const char* location);
/* `location` as a log line may show it: a URI without its password. */
void fieldpost_location_for_log(const char* location, char* out, size_t out_size);

/* In the parent (nginx's master, Apache's parent), before it forks the
 * processes that open stores: on a database, a write committed by one of
 * them is then in every sibling's next read at once, as on LMDB (they keep
 * channels' last values in memory). Harmless on a data directory; safe to
 * call again. */
void fieldpost_share_writes(void);

/* One data directory or database, opened in this process. */
typedef struct fieldpost_store fieldpost_store;

/* `location` is a data directory or a PostgreSQL URI. NULL with the
 * reason in `error` (never a password) on failure. `limits` are checked
 * ones; `replies` must outlive the store; NULL when only
 * fieldpost_handle_blocking is used. With `replies`, a database's
 * requests but writes run on threads of the store's own. */
fieldpost_store* fieldpost_store_open(const char* location, const fieldpost_limits* limits,
                                      fieldpost_replies* replies, char* error, size_t error_size);
/* Commits every write handed to it, then closes. */
void fieldpost_store_close(fieldpost_store* store);

/* Hands a request to the API. Returns 1 when `deliver` was called before
 * returning (reads, refusals); 0 when the reply is queued on the store's
 * replies: a write's once its commit returns, and on a database every
 * other request's too (it runs on the store's threads); -1 when the
 * request could not be handed over (no memory): nothing ran, answer 500.
 * The request's bytes may go once this returns. */
int fieldpost_handle(fieldpost_store* store, const fieldpost_request* request, void* token,
                     fieldpost_deliver deliver);

/* The same, waiting for a write's commit in this thread: for a web server
 * that gives each request a thread of its own (Apache). Returns 1 once
 * `deliver` was called, or -1 as fieldpost_handle does. */
int fieldpost_handle_blocking(fieldpost_store* store, const fieldpost_request* request, void* token,
                              fieldpost_deliver deliver);

#ifdef __cplusplus
}
#endif

#endif
