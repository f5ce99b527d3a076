/* mod_fieldpost: the ThingSpeak API of fieldpost inside Apache httpd.
 *
 *     LoadModule fieldpost_module .../mod_fieldpost.so
 *     FieldpostData /var/lib/fieldpost
 *     FieldpostDatabase postgresql://...   instead: a PostgreSQL database
 *     FieldpostMaxBody 64K          optional, as `fieldpost fcgi`'s settings;
 *     FieldpostMaxBulkBody 4M       one set per data directory
 *     FieldpostMaxMap 1024G
 *     FieldpostRetentionDays 0      and, as fieldpost.conf's retention_days
 *     FieldpostMetrics Off          and metrics
 *     <Location /iot>
 *         SetHandler fieldpost
 *     </Location>
 *
 * A thin adapter, like the nginx module: Apache's request becomes the
 * bridge's (module/bridge/fieldpost_bridge.h) and the reply comes back.
 * Apache gives each request a thread (or a process, under prefork), so a
 * write waits for its commit in it. Each child opens the data directories
 * in child_init, after Apache has dropped root. */

#include <ctype.h>
#include <string.h>

/* httpd.h first: the other headers use its types without including it. */
#include "httpd.h"

#include "ap_expr.h"
#include "apr_strings.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include "fieldpost_bridge.h"

module AP_MODULE_DECLARE_DATA fieldpost_module;

typedef struct {
  const char* data_dir;    /* FieldpostData or FieldpostDatabase; NULL: unset */
  const char* shown;       /* data_dir for the log: a URI without its password */
  int is_database;         /* data_dir is FieldpostDatabase's URI */
  fieldpost_limits limits; /* FieldpostMax*; 0: unset */
  /* FieldpostRetentionDays and FieldpostMetrics, where 0 is a value:
   * limits.retention_days and limits.metrics count once these are set. */
  int retention_set;
  int metrics_set;
  fieldpost_store* store; /* opened in child_init */
} fieldpost_server_conf;

static void* fieldpost_create_server_conf(apr_pool_t* pool, server_rec* s) {
  return apr_pcalloc(pool, sizeof(fieldpost_server_conf));
}

static void* fieldpost_merge_server_conf(apr_pool_t* pool, void* base_conf, void* add_conf) {
  fieldpost_server_conf* base = base_conf;
  fieldpost_server_conf* add = add_conf;
  fieldpost_server_conf* merged = apr_pcalloc(pool, sizeof(*merged));

  /* A virtual host's own FieldpostData or FieldpostDatabase replaces the
   * main server's, whichever that was. */
  const fieldpost_server_conf* where = add->data_dir != NULL ? add : base;
  merged->data_dir = where->data_dir;
  merged->shown = where->shown;
  merged->is_database = where->is_database;
  merged->limits.max_body = add->limits.max_body ? add->limits.max_body : base->limits.max_body;
  merged->limits.max_bulk_body =
      add->limits.max_bulk_body ? add->limits.max_bulk_body : base->limits.max_bulk_body;
  merged->limits.max_map = add->limits.max_map ? add->limits.max_map : base->limits.max_map;
  merged->retention_set = add->retention_set || base->retention_set;
  merged->limits.retention_days =
      add->retention_set ? add->limits.retention_days : base->limits.retention_days;
  merged->metrics_set = add->metrics_set || base->metrics_set;
  merged->limits.metrics = add->metrics_set ? add->limits.metrics : base->limits.metrics;
  return merged;
}

/* Where the API is mounted: the path of the <Location> that set the
 * handler (core keeps the most specific section's path; a Location is
 * applied after any Directory), without a trailing '/'. None at the
 * server level. */
static size_t fieldpost_mount_length(request_rec* r, const char** mount) {
  core_dir_config* core = ap_get_core_module_config(r->per_dir_config);
  size_t len = core->d != NULL ? strlen(core->d) : 0;

  *mount = core->d;
  while (len > 0 && core->d[len - 1] == '/') {
    len--;
  }
  return len;
}

static const char* fieldpost_set_data(cmd_parms* cmd, void* dir_conf, const char* arg) {
  fieldpost_server_conf* conf = ap_get_module_config(cmd->server->module_config, &fieldpost_module);
  const char* path = ap_server_root_relative(cmd->pool, arg);
  apr_finfo_t info;

  if (path == NULL) {
    return apr_psprintf(cmd->pool, "FieldpostData: invalid path %s", arg);
  }
  if (apr_stat(&info, path, APR_FINFO_TYPE, cmd->pool) != APR_SUCCESS) {
    return apr_psprintf(cmd->pool,
                        "FieldpostData %s: cannot use it (create it with "
                        "\"mkdir -p %s\", let Apache's user write it, then add channels "
                        "with \"fieldpost channel create --data %s\")",
                        path, path, path);
  }
  if (info.filetype != APR_DIR) {
    return apr_psprintf(cmd->pool, "FieldpostData %s is not a directory", path);
  }
  if (conf->data_dir != NULL && conf->is_database) {
    return "set either FieldpostData (a directory) or FieldpostDatabase (a PostgreSQL URI) "
           "for a server, not both";
  }
  conf->data_dir = path;
  conf->shown = path;
  conf->is_database = 0;
  return NULL;
}

/* FieldpostDatabase URI: a PostgreSQL URI. It may hold a password: no
 * message repeats it. */
static const char* fieldpost_set_database(cmd_parms* cmd, void* dir_conf, const char* arg) {
  fieldpost_server_conf* conf = ap_get_module_config(cmd->server->module_config, &fieldpost_module);
  const size_t size = strlen(arg) + 1;
  char* shown = apr_palloc(cmd->pool, size);

  if (!fieldpost_is_database(arg)) {
    return "FieldpostDatabase needs a PostgreSQL URI: "
           "postgresql://USER:PASSWORD@HOST[:PORT]/DBNAME";
  }
  if (conf->data_dir != NULL && !conf->is_database) {
    return "set either FieldpostData (a directory) or FieldpostDatabase (a PostgreSQL URI) "
           "for a server, not both";
  }
  fieldpost_location_for_log(arg, shown, size);
  conf->data_dir = apr_pstrdup(cmd->pool, arg);
  conf->shown = shown;
  conf->is_database = 1;
  return NULL;
}

/* FieldpostMaxBody, FieldpostMaxBulkBody, FieldpostMaxMap: bytes, or
 * with a K, M or G suffix (1024-based). */
static const char* fieldpost_set_limit(cmd_parms* cmd, void* dir_conf, const char* arg) {
  fieldpost_server_conf* conf = ap_get_module_config(cmd->server->module_config, &fieldpost_module);
  size_t* field = (size_t*)((char*)&conf->limits + (size_t)cmd->info);
  char* rest = NULL;
  apr_int64_t value = apr_strtoi64(arg, &rest, 10);
  int shift = 0;
  fieldpost_limits limits;
  char error[256];

  if (rest != NULL && *rest != '\0' && rest[1] == '\0') {
    switch (*rest) {
      case 'k':
      case 'K':
        shift = 10;
        break;
      case 'm':
      case 'M':
        shift = 20;
        break;
      case 'g':
      case 'G':
        shift = 30;
        break;
      default:
        shift = -1;
    }
    rest++;
  }
  if (rest == arg || rest == NULL || *rest != '\0' || shift < 0 || value <= 0 ||
      value > (APR_INT64_MAX >> shift)) {
    return apr_psprintf(cmd->pool, "%s %s: give bytes, or a number with K, M or G", cmd->cmd->name,
                        arg);
  }
  /* Checked against the ranges alone, the others at their defaults. */
  fieldpost_limits_default(&limits);
  *(size_t*)((char*)&limits + (size_t)cmd->info) = (size_t)value << shift;
  if (!fieldpost_limits_check(&limits, error, sizeof(error))) {
    return apr_psprintf(cmd->pool, "%s %s: %s", cmd->cmd->name, arg, error);
  }
  *field = (size_t)value << shift;
  return NULL;
}

static const char* fieldpost_set_retention(cmd_parms* cmd, void* dir_conf, const char* arg) {
  fieldpost_server_conf* conf = ap_get_module_config(cmd->server->module_config, &fieldpost_module);
  char* rest = NULL;
  apr_int64_t days = apr_strtoi64(arg, &rest, 10);
  fieldpost_limits limits;
  char error[256];

  if (rest == arg || rest == NULL || *rest != '\0' || days < 0) {
    return apr_psprintf(cmd->pool, "FieldpostRetentionDays %s: give a number of days", arg);
  }
  fieldpost_limits_default(&limits);
  limits.retention_days = (size_t)days;
  if (!fieldpost_limits_check(&limits, error, sizeof(error))) {
    return apr_psprintf(cmd->pool, "FieldpostRetentionDays %s: %s", arg, error);
  }
  conf->limits.retention_days = (size_t)days;
  conf->retention_set = 1;
  return NULL;
}

static const char* fieldpost_set_metrics(cmd_parms* cmd, void* dir_conf, int on) {
  fieldpost_server_conf* conf = ap_get_module_config(cmd->server->module_config, &fieldpost_module);

  conf->limits.metrics = on;
  conf->metrics_set = 1;
  return NULL;
}

static const command_rec fieldpost_commands[] = {
    AP_INIT_TAKE1("FieldpostData", fieldpost_set_data, NULL, RSRC_CONF,
                  "the fieldpost data directory this server's "
                  "SetHandler fieldpost serves"),
    AP_INIT_TAKE1("FieldpostDatabase", fieldpost_set_database, NULL, RSRC_CONF,
                  "the PostgreSQL URI (postgresql://...) this server's SetHandler fieldpost "
                  "serves, instead of FieldpostData"),
    AP_INIT_TAKE1("FieldpostMaxBody", fieldpost_set_limit,
                  (void*)APR_OFFSETOF(fieldpost_limits, max_body), RSRC_CONF,
                  "the largest request body (413 above); 64K by default"),
    AP_INIT_TAKE1("FieldpostMaxBulkBody", fieldpost_set_limit,
                  (void*)APR_OFFSETOF(fieldpost_limits, max_bulk_body), RSRC_CONF,
                  "the largest bulk_update body (413 above); 4M by default"),
    AP_INIT_TAKE1("FieldpostMaxMap", fieldpost_set_limit,
                  (void*)APR_OFFSETOF(fieldpost_limits, max_map), RSRC_CONF,
                  "the largest LMDB map (writes then fail 507); 1024G by default"),
    AP_INIT_TAKE1("FieldpostRetentionDays", fieldpost_set_retention, NULL, RSRC_CONF,
                  "days to keep the entries of channels without a retention of their own; "
                  "0 (the default) keeps them"),
    AP_INIT_FLAG("FieldpostMetrics", fieldpost_set_metrics, NULL, RSRC_CONF,
                 "answer GET /metrics (Prometheus) with the counters of every process on "
                 "the data directory; Off by default"),
    {NULL}};

/* The limits `conf` serves with: those set, else the defaults. */
static fieldpost_limits fieldpost_server_limits(const fieldpost_server_conf* conf) {
  fieldpost_limits limits;

  fieldpost_limits_default(&limits);
  if (conf->limits.max_body) limits.max_body = conf->limits.max_body;
  if (conf->limits.max_bulk_body) limits.max_bulk_body = conf->limits.max_bulk_body;
  if (conf->limits.max_map) limits.max_map = conf->limits.max_map;
  if (conf->retention_set) limits.retention_days = conf->limits.retention_days;
  if (conf->metrics_set) limits.metrics = conf->limits.metrics;
  return limits;
}

/* Virtual hosts that serve one data directory share one store, so they
 * must give it the same limits: Apache does not start otherwise. */
static int fieldpost_post_config(apr_pool_t* pconf, apr_pool_t* plog, apr_pool_t* ptemp,
                                 server_rec* main_server) {
  server_rec *s, *other;

  /* In the parent, before it forks the children that open the stores. */
  fieldpost_share_writes();

  for (s = main_server; s != NULL; s = s->next) {
    fieldpost_server_conf* conf = ap_get_module_config(s->module_config, &fieldpost_module);
    fieldpost_limits limits = fieldpost_server_limits(conf);

    if (conf->data_dir == NULL) {
      continue;
    }
    for (other = main_server; other != s; other = other->next) {
      fieldpost_server_conf* seen = ap_get_module_config(other->module_config, &fieldpost_module);
      fieldpost_limits seen_limits = fieldpost_server_limits(seen);

      if (seen->data_dir != NULL && strcmp(seen->data_dir, conf->data_dir) == 0 &&
          !fieldpost_limits_same(&seen_limits, &limits)) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s,
                     "fieldpost: FieldpostData or FieldpostDatabase %s is served by two "
                     "virtual hosts with other FieldpostMaxBody, FieldpostMaxBulkBody, "
                     "FieldpostMaxMap, FieldpostRetentionDays or FieldpostMetrics values: a "
                     "data directory or database has one set, so set them once for both",
                     conf->shown);
        return HTTP_INTERNAL_SERVER_ERROR;
      }
    }
  }
  return OK;
}

static apr_status_t fieldpost_close_store(void* store) {
  fieldpost_store_close(store);
  return APR_SUCCESS;
}

/* Opens each virtual host's data directory in this child; hosts that
 * name the same directory share one store, closed with the child. */
static void fieldpost_child_init(apr_pool_t* pool, server_rec* main_server) {
  server_rec *s, *other;
  char error[512];
  fieldpost_limits limits;

  for (s = main_server; s != NULL; s = s->next) {
    fieldpost_server_conf* conf = ap_get_module_config(s->module_config, &fieldpost_module);

    if (conf->data_dir == NULL || conf->store != NULL) {
      continue;
    }
    for (other = main_server; other != s; other = other->next) {
      fieldpost_server_conf* seen = ap_get_module_config(other->module_config, &fieldpost_module);
      if (seen->store != NULL && strcmp(seen->data_dir, conf->data_dir) == 0) {
        conf->store = seen->store;
        break;
      }
    }
    if (conf->store != NULL) {
      continue;
    }
    limits = fieldpost_server_limits(conf);
    conf->store = fieldpost_store_open(conf->data_dir, &limits, NULL, error, sizeof(error));
    if (conf->store != NULL) {
      apr_pool_cleanup_register(pool, conf->store, fieldpost_close_store, apr_pool_cleanup_null);
    } else {
      ap_log_error(APLOG_MARK, APLOG_ALERT, 0, s, "fieldpost: cannot open %s: %s", conf->shown,
                   error);
    }
  }
}

/* Reads the body, at most `limit` bytes kept; *too_large when there was
 * more (the rest is read and dropped, so the connection stays usable). */
static int fieldpost_read_body(request_rec* r, size_t limit, fieldpost_str* body, int* too_large) {
  char* buffer;
  size_t capacity, kept = 0;
  long n;
  int rc = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK);

  body->data = NULL;
  body->len = 0;
  *too_large = 0;
  if (rc != OK) {
    return rc;
  }
  if (!ap_should_client_block(r)) {
    return OK;
  }
  if (r->remaining > (apr_off_t)limit) {
    *too_large = 1;
  }
  /* As much as Content-Length announces (one byte more, to see a body that
   * runs past it); a chunked body grows the buffer as it comes. */
  capacity = r->remaining > 0 && !*too_large ? (size_t)r->remaining + 1 : 8192;
  buffer = apr_palloc(r->pool, capacity);
  for (;;) {
    char scratch[8192];
    char* into = *too_large ? scratch : buffer + kept;
    size_t room = *too_large ? sizeof(scratch) : capacity - kept;

    n = ap_get_client_block(r, into, room);
    if (n < 0) {
      return HTTP_BAD_REQUEST;
    }
    if (n == 0) {
      break;
    }
    if (*too_large) {
      continue; /* read and dropped, so the connection stays usable */
    }
    kept += (size_t)n;
    if (kept > limit) {
      *too_large = 1;
    } else if (kept == capacity) {
      char* larger = apr_palloc(r->pool, capacity * 2);
      memcpy(larger, buffer, kept);
      buffer = larger;
      capacity *= 2;
    }
  }
  if (!*too_large) {
    body->data = buffer;
    body->len = kept;
  }
  return OK;
}

typedef struct {
  fieldpost_header* items;
  size_t count;
  apr_pool_t* pool;
} fieldpost_header_list;

static int fieldpost_add_header(void* data, const char* name, const char* value) {
  fieldpost_header_list* list = data;
  char* lower = apr_pstrdup(list->pool, name);
  char* p;

  for (p = lower; *p != '\0'; p++) {
    *p = (char)tolower((unsigned char)*p);
  }
  list->items[list->count].name.data = lower;
  list->items[list->count].name.len = strlen(lower);
  list->items[list->count].value.data = value;
  list->items[list->count].value.len = strlen(value);
  list->count++;
  return 1;
}

static void fieldpost_send_reply(void* token, const fieldpost_response* response) {
  request_rec* r = token;
  size_t i;

  r->status = response->status;
  r->status_line = apr_pstrmemdup(r->pool, response->status_line.data, response->status_line.len);
  ap_set_content_type(
      r, apr_pstrmemdup(r->pool, response->content_type.data, response->content_type.len));
  for (i = 0; i < response->header_count; i++) {
    apr_table_addn(
        r->headers_out,
        apr_pstrmemdup(r->pool, response->headers[i].name.data, response->headers[i].name.len),
        apr_pstrmemdup(r->pool, response->headers[i].value.data, response->headers[i].value.len));
  }
  /* These live as long as the process, NUL-terminated: no copies. */
  for (i = 0; i < response->static_header_count; i++) {
    apr_table_addn(r->headers_out, response->static_headers[i].name.data,
                   response->static_headers[i].value.data);
  }
  /* After the others, where proxy_fcgi puts the responder's: the same
   * header order as Apache in front of `fieldpost fcgi`. */
  ap_set_content_length(r, (apr_off_t)response->body.len);
  if (!r->header_only && response->body.len > 0) {
    ap_rwrite(response->body.data, (int)response->body.len, r);
  }
}

static int fieldpost_handler(request_rec* r) {
  fieldpost_server_conf* server;
  fieldpost_request in;
  fieldpost_header_list headers;
  const char *raw, *end, *query, *mount;
  size_t mount_len;
  int rc;

  if (r->handler == NULL || strcmp(r->handler, "fieldpost") != 0) {
    return DECLINED;
  }
  server = ap_get_module_config(r->server->module_config, &fieldpost_module);
  if (server->data_dir == NULL) {
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  "fieldpost: SetHandler fieldpost without FieldpostData or "
                  "FieldpostDatabase for this server");
    return HTTP_INTERNAL_SERVER_ERROR;
  }
  if (server->store == NULL) {
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  "fieldpost: %s is not open in this child (see the alert "
                  "above)",
                  server->shown);
    return HTTP_SERVICE_UNAVAILABLE;
  }

  memset(&in, 0, sizeof(in));
  in.method.data = r->method;
  in.method.len = strlen(r->method);

  /* The target as the client sent it, as the other frontends take it:
   * r->parsed_uri has been normalised by Apache ("//update", "/./update",
   * "/a/../update" and "%2e%2e" resolved), which would store a write that
   * nginx and serve answer 404. The <Location> matched the decoded form. */
  {
    fieldpost_str target = {r->unparsed_uri, strlen(r->unparsed_uri)};
    const char* mark;

    target = fieldpost_origin_form(target);
    raw = target.data;
    end = raw + target.len;
    mark = memchr(raw, '?', target.len);
    query = mark != NULL ? mark + 1 : NULL;
    if (mark != NULL) {
      end = mark;
    }
  }
  mount_len = fieldpost_mount_length(r, &mount);
  if (mount_len > 0 && ((size_t)(end - raw) < mount_len || strncmp(raw, mount, mount_len) != 0 ||
                        (raw + mount_len < end && raw[mount_len] != '/'))) {
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  "fieldpost: the request's path is not below %s as written (set the "
                  "handler in a <Location>, not a <Directory> or <LocationMatch>; or the "
                  "client percent-encoded it)",
                  mount);
    return HTTP_NOT_FOUND;
  }
  if (mount_len > 0 && raw + mount_len == end) {
    /* "/iot" for <Location /iot>: the front page's relative links need
     * "/iot/", as nginx's location redirect gives. */
    apr_table_setn(r->headers_out, "Location",
                   apr_pstrcat(r->pool, apr_pstrndup(r->pool, mount, mount_len), "/",
                               query != NULL ? "?" : "", query != NULL ? query : "", NULL));
    return HTTP_MOVED_PERMANENTLY;
  }
  raw += mount_len;
  in.path.data = raw == end ? "/" : raw;
  in.path.len = raw == end ? 1 : (size_t)(end - raw);
  in.query.data = query != NULL ? query : "";
  in.query.len = query != NULL ? strlen(query) : 0;

  {
    fieldpost_limits limits = fieldpost_server_limits(server);
    rc = fieldpost_read_body(r, fieldpost_body_limit(&limits), &in.body, &in.body_too_large);
  }
  if (rc != OK) {
    return rc;
  }

  headers.pool = r->pool;
  headers.count = 0;
  headers.items =
      apr_pcalloc(r->pool, (apr_table_elts(r->headers_in)->nelts + 1) * sizeof(fieldpost_header));
  apr_table_do(fieldpost_add_header, &headers, r->headers_in, NULL);
  in.headers = headers.items;
  in.header_count = headers.count;

  if (fieldpost_handle_blocking(server->store, &in, r, fieldpost_send_reply) < 0) {
    return HTTP_INTERNAL_SERVER_ERROR;
  }
  return OK;
}

/* The API's URLs name no files. Core's mapping of a request to storage
 * walks the <Directory> sections and looks for .htaccess files from the
 * filesystem root down to the document root's path for the URL: about six
 * stats and five opens a request, for nothing, and a .htaccess found there
 * would apply to the API. As mod_proxy does for its URLs, requests whose
 * <Location> sets our handler are mapped here, to nothing. The Location's
 * own directives (Require, ...) still apply: Apache walks the Locations
 * again after mapping.
 *
 * Apache resets r->per_dir_config to the server's defaults before the
 * map_to_storage hooks run, so whether a Location set our handler is
 * decided while translating the name, when the first walk of the
 * Locations is in force, and left as a note for map_to_storage. */
static char fieldpost_api_request;

static int fieldpost_translate_name(request_rec* r) {
  core_dir_config* core = ap_get_core_module_config(r->per_dir_config);
  const char *handler, *error = NULL;

  if (core->expr_handler == NULL) {
    return DECLINED;
  }
  /* SetHandler's value, as core's fixup will evaluate it for r->handler. */
  handler = ap_expr_str_exec(r, core->expr_handler, &error);
  if (error == NULL && handler != NULL && strcmp(handler, "fieldpost") == 0) {
    ap_set_module_config(r->request_config, &fieldpost_module, &fieldpost_api_request);
  }
  return DECLINED; /* core still sets r->filename, which loggers may show */
}

static int fieldpost_map_to_storage(request_rec* r) {
  return ap_get_module_config(r->request_config, &fieldpost_module) == &fieldpost_api_request
             ? OK
             : DECLINED;
}

static void fieldpost_register_hooks(apr_pool_t* pool) {
  ap_hook_post_config(fieldpost_post_config, NULL, NULL, APR_HOOK_MIDDLE);
  ap_hook_child_init(fieldpost_child_init, NULL, NULL, APR_HOOK_MIDDLE);
  ap_hook_translate_name(fieldpost_translate_name, NULL, NULL, APR_HOOK_FIRST);
  ap_hook_map_to_storage(fieldpost_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
  ap_hook_handler(fieldpost_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(fieldpost) = {
    STANDARD20_MODULE_STUFF,
    NULL,                         /* per-directory config */
    NULL,                         /* merge per-directory config */
    fieldpost_create_server_conf, /* per-server config */
    fieldpost_merge_server_conf,  /* merge per-server config */
    fieldpost_commands,           /* directives */
    fieldpost_register_hooks,     /* hooks */
    0                             /* flags */
};
