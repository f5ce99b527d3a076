/* ngx_http_fieldpost_module: the ThingSpeak API of fieldpost inside nginx.
 *
 *     fieldpost_data /var/lib/fieldpost;   http, server or location
 *     fieldpost_database postgresql://...;  instead: a PostgreSQL database
 *     location /iot/ { fieldpost; }         the location's prefix is the mount
 *     fieldpost_max_body 64k;               optional, as `fieldpost fcgi`'s
 *     fieldpost_max_bulk_body 4m;           settings; one set per data
 *     fieldpost_max_map 1024g;              directory
 *     fieldpost_retention_days 0;           and, as fieldpost.conf's
 *     fieldpost_metrics off;                retention_days and metrics
 *
 * A thin adapter, like fcgi/ and httpd/: it turns nginx's request into the
 * bridge's (module/bridge/fieldpost_bridge.h) and the reply back. Each worker
 * opens its data directories after the fork. Reads are answered in the
 * worker; a write is committed by the store's writer thread, and its reply
 * comes back through an eventfd in the worker's event loop, so the loop
 * never waits for a disk. On a database every request runs on the
 * bridge's threads and comes back the same way: the loop never waits for
 * the network either. */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "fieldpost_bridge.h"

/* A data directory or database the workers open, and the limits it is
 * served with. */
typedef struct {
  ngx_str_t path;    /* NUL-terminated: a directory or a PostgreSQL URI */
  ngx_str_t display; /* for the log: a URI without its password */
  fieldpost_limits limits;
} ngx_http_fieldpost_dir_t;

typedef struct {
  ngx_array_t data_dirs; /* ngx_http_fieldpost_dir_t */
} ngx_http_fieldpost_main_conf_t;

typedef struct {
  ngx_str_t data_dir;   /* fieldpost_data */
  ngx_str_t database;   /* fieldpost_database; of the two, one is set */
  size_t max_body;      /* fieldpost_max_body */
  size_t max_bulk_body; /* fieldpost_max_bulk_body */
  off_t max_map;        /* fieldpost_max_map */
  ngx_int_t retention;  /* fieldpost_retention_days */
  ngx_flag_t metrics;   /* fieldpost_metrics */
  ngx_flag_t enabled;   /* fieldpost */
  ngx_str_t mount;      /* prefix without trailing '/' */
  ngx_uint_t store;     /* index in data_dirs */
  size_t body_limit;    /* the most body any route takes */
} ngx_http_fieldpost_loc_conf_t;

/* A request handed to the API, and the token the bridge replies to. It is
 * not in the request's pool: nginx may free the request before its reply
 * comes (worker_shutdown_timeout, a terminated request), and the reply of
 * a write comes later from the commit. Freed by whichever of the two ends
 * second. */
typedef struct {
  ngx_http_request_t* r;
  ngx_event_t wait; /* keeps a gracefully stopping worker until the reply */
  unsigned replied : 1;
  unsigned request_gone : 1;
  unsigned deferred : 1; /* a write: its reply comes from the event loop */
} ngx_http_fieldpost_pending_t;

static char* ngx_http_fieldpost_set_data(ngx_conf_t* cf, ngx_command_t* cmd, void* conf);
static char* ngx_http_fieldpost_set_database(ngx_conf_t* cf, ngx_command_t* cmd, void* conf);
static ngx_int_t ngx_http_fieldpost_check_data(ngx_conf_t* cf, ngx_str_t* full);
static ngx_int_t ngx_http_fieldpost_init_module(ngx_cycle_t* cycle);
static ngx_int_t ngx_http_fieldpost_init_process(ngx_cycle_t* cycle);
static void ngx_http_fieldpost_exit_process(ngx_cycle_t* cycle);
static void* ngx_http_fieldpost_create_main_conf(ngx_conf_t* cf);
static void* ngx_http_fieldpost_create_loc_conf(ngx_conf_t* cf);
static char* ngx_http_fieldpost_merge_loc_conf(ngx_conf_t* cf, void* parent, void* child);
static char* ngx_http_fieldpost(ngx_conf_t* cf, ngx_command_t* cmd, void* conf);
static ngx_int_t ngx_http_fieldpost_handler(ngx_http_request_t* r);
static void ngx_http_fieldpost_run(ngx_http_request_t* r);
static void ngx_http_fieldpost_deliver(void* token, const fieldpost_response* response);
static void ngx_http_fieldpost_replies_ready(ngx_event_t* rev);
static void ngx_http_fieldpost_still_waiting(ngx_event_t* ev);

/* The commit of a write rarely takes a millisecond; the timer only keeps a
 * gracefully stopping worker alive until its replies are sent. */
#define NGX_HTTP_FIELDPOST_WAIT_LOG_MS 10000

static ngx_command_t ngx_http_fieldpost_commands[] = {

    {ngx_string("fieldpost"), NGX_HTTP_LOC_CONF | NGX_CONF_NOARGS, ngx_http_fieldpost,
     NGX_HTTP_LOC_CONF_OFFSET, 0, NULL},

    {ngx_string("fieldpost_data"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
     ngx_http_fieldpost_set_data, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_fieldpost_loc_conf_t, data_dir), NULL},

    {ngx_string("fieldpost_database"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
     ngx_http_fieldpost_set_database, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_fieldpost_loc_conf_t, database), NULL},

    {ngx_string("fieldpost_max_body"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
     ngx_conf_set_size_slot, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_fieldpost_loc_conf_t, max_body), NULL},

    {ngx_string("fieldpost_max_bulk_body"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
     ngx_conf_set_size_slot, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_fieldpost_loc_conf_t, max_bulk_body), NULL},

    {ngx_string("fieldpost_max_map"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
     ngx_conf_set_off_slot, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_fieldpost_loc_conf_t, max_map), NULL},

    {ngx_string("fieldpost_retention_days"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_TAKE1,
     ngx_conf_set_num_slot, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_fieldpost_loc_conf_t, retention), NULL},

    {ngx_string("fieldpost_metrics"),
     NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF | NGX_HTTP_LOC_CONF | NGX_CONF_FLAG,
     ngx_conf_set_flag_slot, NGX_HTTP_LOC_CONF_OFFSET,
     offsetof(ngx_http_fieldpost_loc_conf_t, metrics), NULL},

    ngx_null_command};

static ngx_http_module_t ngx_http_fieldpost_module_ctx = {
    NULL,                                /* preconfiguration */
    NULL,                                /* postconfiguration */
    ngx_http_fieldpost_create_main_conf, /* create main configuration */
    NULL,                                /* init main configuration */
    NULL,                                /* create server configuration */
    NULL,                                /* merge server configuration */
    ngx_http_fieldpost_create_loc_conf,  /* create location configuration */
    ngx_http_fieldpost_merge_loc_conf    /* merge location configuration */
};

ngx_module_t ngx_http_fieldpost_module = {NGX_MODULE_V1,
                                          &ngx_http_fieldpost_module_ctx,  /* module context */
                                          ngx_http_fieldpost_commands,     /* module directives */
                                          NGX_HTTP_MODULE,                 /* module type */
                                          NULL,                            /* init master */
                                          ngx_http_fieldpost_init_module,  /* init module */
                                          ngx_http_fieldpost_init_process, /* init process */
                                          NULL,                            /* init thread */
                                          NULL,                            /* exit thread */
                                          ngx_http_fieldpost_exit_process, /* exit process */
                                          NULL,                            /* exit master */
                                          NGX_MODULE_V1_PADDING};

/* This worker's state: one store per data directory (NULL where it could
 * not be opened: those locations answer 503), and the reply queue. */
static fieldpost_store** ngx_http_fieldpost_stores;
static ngx_uint_t ngx_http_fieldpost_nstores;
static fieldpost_replies* ngx_http_fieldpost_replies;
static ngx_connection_t* ngx_http_fieldpost_replies_conn;

static void* ngx_http_fieldpost_create_main_conf(ngx_conf_t* cf) {
  ngx_http_fieldpost_main_conf_t* fmcf;

  fmcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_fieldpost_main_conf_t));
  if (fmcf == NULL) {
    return NULL;
  }

  if (ngx_array_init(&fmcf->data_dirs, cf->pool, 1, sizeof(ngx_http_fieldpost_dir_t)) != NGX_OK) {
    return NULL;
  }

  return fmcf;
}

static void* ngx_http_fieldpost_create_loc_conf(ngx_conf_t* cf) {
  ngx_http_fieldpost_loc_conf_t* flcf;

  flcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_fieldpost_loc_conf_t));
  if (flcf == NULL) {
    return NULL;
  }

  /* data_dir and mount: zeroed = unset */
  flcf->max_body = NGX_CONF_UNSET_SIZE;
  flcf->max_bulk_body = NGX_CONF_UNSET_SIZE;
  flcf->max_map = NGX_CONF_UNSET;
  flcf->retention = NGX_CONF_UNSET;
  flcf->metrics = NGX_CONF_UNSET;
  flcf->enabled = 0;
  flcf->store = NGX_CONF_UNSET_UINT;

  return flcf;
}

/* The index of `dir` in the main configuration's list, added if new, so
 * locations sharing a directory share one store per worker; NGX_DECLINED
 * when it is there with other limits (one store has one set). */
static ngx_int_t ngx_http_fieldpost_store_index(ngx_conf_t* cf, ngx_str_t* dir,
                                                const fieldpost_limits* limits) {
  ngx_uint_t i;
  ngx_http_fieldpost_dir_t *dirs, *added;
  ngx_http_fieldpost_main_conf_t* fmcf;

  fmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_fieldpost_module);
  dirs = fmcf->data_dirs.elts;

  for (i = 0; i < fmcf->data_dirs.nelts; i++) {
    if (dirs[i].path.len == dir->len && ngx_strncmp(dirs[i].path.data, dir->data, dir->len) == 0) {
      if (!fieldpost_limits_same(&dirs[i].limits, limits)) {
        return NGX_DECLINED;
      }
      return i;
    }
  }

  added = ngx_array_push(&fmcf->data_dirs);
  if (added == NULL) {
    return NGX_ERROR;
  }

  added->path = *dir;
  added->limits = *limits;
  added->display.data = ngx_pnalloc(cf->pool, dir->len + 1);
  if (added->display.data == NULL) {
    return NGX_ERROR;
  }
  fieldpost_location_for_log((const char*)dir->data, (char*)added->display.data, dir->len + 1);
  added->display.len = ngx_strlen(added->display.data);
  return fmcf->data_dirs.nelts - 1;
}

static char* ngx_http_fieldpost_merge_loc_conf(ngx_conf_t* cf, void* parent, void* child) {
  ngx_http_fieldpost_loc_conf_t* prev = parent;
  ngx_http_fieldpost_loc_conf_t* conf = child;

  u_char error[256];
  char shown[512];
  ngx_int_t index;
  ngx_str_t full;
  fieldpost_limits limits;

  fieldpost_limits_default(&limits);
  /* Of fieldpost_data and fieldpost_database, a block's own replaces the
   * one around it; one block may not set both. */
  if (conf->data_dir.data != NULL && conf->database.data != NULL) {
    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "set either \"fieldpost_data\" (a directory) or \"fieldpost_database\" "
                       "(a PostgreSQL URI) in a block, not both");
    return NGX_CONF_ERROR;
  }
  if (conf->data_dir.data == NULL && conf->database.data == NULL) {
    conf->data_dir = prev->data_dir;
    conf->database = prev->database;
  }
  ngx_conf_merge_size_value(conf->max_body, prev->max_body, limits.max_body);
  ngx_conf_merge_size_value(conf->max_bulk_body, prev->max_bulk_body, limits.max_bulk_body);
  ngx_conf_merge_off_value(conf->max_map, prev->max_map, (off_t)limits.max_map);
  ngx_conf_merge_value(conf->retention, prev->retention, (ngx_int_t)limits.retention_days);
  ngx_conf_merge_value(conf->metrics, prev->metrics, limits.metrics);

  if (!conf->enabled) {
    /* An "if" block inside a fieldpost location keeps its handler: it
     * serves the same mount from the same store. */
    if (prev->enabled && conf->store == NGX_CONF_UNSET_UINT) {
      conf->store = prev->store;
      conf->mount = prev->mount;
      conf->body_limit = prev->body_limit;
    }
    return NGX_CONF_OK;
  }

  limits.max_body = conf->max_body;
  limits.max_bulk_body = conf->max_bulk_body;
  limits.max_map = (size_t)conf->max_map;
  /* ngx_conf_set_num_slot refuses what is not a number, negatives too. */
  limits.retention_days = (size_t)conf->retention;
  limits.metrics = conf->metrics ? 1 : 0;
  if (!fieldpost_limits_check(&limits, (char*)error, sizeof(error))) {
    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "fieldpost_%s", error);
    return NGX_CONF_ERROR;
  }

  if (conf->database.len > 0) {
    /* NUL-terminated by ngx_conf_set_str_slot's arguments. */
    full = conf->database;
  } else if (conf->data_dir.len > 0) {
    /* Relative to nginx's prefix; NUL-terminated for the store. */
    full = conf->data_dir;
    if (ngx_conf_full_name(cf->cycle, &full, 0) != NGX_OK) {
      return NGX_CONF_ERROR;
    }
    /* The directory itself was checked where fieldpost_data was written. */
  } else {
    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "\"fieldpost\" needs \"fieldpost_data DIR\" or \"fieldpost_database "
                       "URI\" in its location or a block around it");
    return NGX_CONF_ERROR;
  }

  index = ngx_http_fieldpost_store_index(cf, &full, &limits);
  if (index == NGX_ERROR) {
    return NGX_CONF_ERROR;
  }

  if (index == NGX_DECLINED) {
    fieldpost_location_for_log((const char*)full.data, shown, sizeof(shown));
    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "fieldpost_data or fieldpost_database \"%s\" is served by another "
                       "location with other fieldpost_max_body, fieldpost_max_bulk_body, "
                       "fieldpost_max_map, fieldpost_retention_days or fieldpost_metrics "
                       "values: a data directory or database has one set, so set them once "
                       "around both",
                       shown);
    return NGX_CONF_ERROR;
  }

  conf->store = index;
  conf->body_limit = fieldpost_body_limit(&limits);
  return NGX_CONF_OK;
}

/* Whether `full` is a directory to serve, said with a hint that works when
 * followed (the admin commands refuse a directory that does not exist). */
static ngx_int_t ngx_http_fieldpost_check_data(ngx_conf_t* cf, ngx_str_t* full) {
  ngx_file_info_t fi;

  if (ngx_file_info(full->data, &fi) == NGX_FILE_ERROR) {
    ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                       "fieldpost_data \"%V\": cannot use it (create it with "
                       "\"mkdir -p %V\", let nginx's worker user write it, then add "
                       "channels with \"fieldpost channel create --data %V\")",
                       full, full, full);
    return NGX_ERROR;
  }
  if (!ngx_is_dir(&fi)) {
    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "fieldpost_data \"%V\" is not a directory", full);
    return NGX_ERROR;
  }
  return NGX_OK;
}

/* "fieldpost_data DIR": checked where it is written, so that nginx -t
 * names this line rather than the end of the block around it. */
static char* ngx_http_fieldpost_set_data(ngx_conf_t* cf, ngx_command_t* cmd, void* conf) {
  ngx_http_fieldpost_loc_conf_t* flcf = conf;
  ngx_str_t full;
  char* rv;

  rv = ngx_conf_set_str_slot(cf, cmd, conf);
  if (rv != NGX_CONF_OK) {
    return rv;
  }
  full = flcf->data_dir;
  if (ngx_conf_full_name(cf->cycle, &full, 0) != NGX_OK ||
      ngx_http_fieldpost_check_data(cf, &full) != NGX_OK) {
    return NGX_CONF_ERROR;
  }
  return NGX_CONF_OK;
}

/* "fieldpost_database URI": a PostgreSQL URI, checked where it is written.
 * The URI may hold a password: no message repeats it. */
static char* ngx_http_fieldpost_set_database(ngx_conf_t* cf, ngx_command_t* cmd, void* conf) {
  ngx_http_fieldpost_loc_conf_t* flcf = conf;
  char* rv;

  rv = ngx_conf_set_str_slot(cf, cmd, conf);
  if (rv != NGX_CONF_OK) {
    return rv;
  }
  if (!fieldpost_is_database((const char*)flcf->database.data)) {
    return "needs a PostgreSQL URI: postgresql://USER:PASSWORD@HOST[:PORT]/DBNAME";
  }
  return NGX_CONF_OK;
}

/* "fieldpost;" in a prefix location: serve the API there. */
static char* ngx_http_fieldpost(ngx_conf_t* cf, ngx_command_t* cmd, void* conf) {
  ngx_http_fieldpost_loc_conf_t* flcf = conf;

  ngx_http_core_loc_conf_t* clcf;

  if (flcf->enabled) {
    return "is duplicate";
  }

  clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);

  if (clcf->named || clcf->exact_match
#if (NGX_PCRE)
      || clcf->regex
#endif
  ) {
    return "needs a prefix location (location /PATH/ { fieldpost; }): "
           "the prefix is where the API is mounted";
  }

  flcf->enabled = 1;
  flcf->mount = clcf->name;
  if (flcf->mount.len > 0 && flcf->mount.data[flcf->mount.len - 1] == '/') {
    flcf->mount.len--;
  }

  clcf->handler = ngx_http_fieldpost_handler;

  return NGX_CONF_OK;
}

/* In the master, before it forks the workers (at each start and reload). */
static ngx_int_t ngx_http_fieldpost_init_module(ngx_cycle_t* cycle) {
  (void)cycle;
  fieldpost_share_writes();
  return NGX_OK;
}

static ngx_int_t ngx_http_fieldpost_init_process(ngx_cycle_t* cycle) {
  u_char error[512];
  ngx_uint_t i;
  ngx_http_fieldpost_dir_t* dirs;
  ngx_connection_t* c;
  ngx_http_fieldpost_main_conf_t* fmcf;

  /* Not in the cache manager and loader, which serve no requests. */
  if (ngx_process != NGX_PROCESS_WORKER && ngx_process != NGX_PROCESS_SINGLE) {
    return NGX_OK;
  }

  fmcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_http_fieldpost_module);
  if (fmcf == NULL || fmcf->data_dirs.nelts == 0) {
    return NGX_OK;
  }

  ngx_http_fieldpost_replies = fieldpost_replies_open((char*)error, sizeof(error));
  if (ngx_http_fieldpost_replies == NULL) {
    ngx_log_error(NGX_LOG_EMERG, cycle->log, 0, "fieldpost: %s", error);
    return NGX_ERROR;
  }

  c = ngx_get_connection(fieldpost_replies_fd(ngx_http_fieldpost_replies), cycle->log);
  if (c == NULL) {
    return NGX_ERROR;
  }

  c->read->handler = ngx_http_fieldpost_replies_ready;
  c->read->log = cycle->log;
  c->log = cycle->log;
  ngx_http_fieldpost_replies_conn = c;

  if (ngx_handle_read_event(c->read, 0) != NGX_OK) {
    return NGX_ERROR;
  }

  dirs = fmcf->data_dirs.elts;
  ngx_http_fieldpost_nstores = fmcf->data_dirs.nelts;
  ngx_http_fieldpost_stores =
      ngx_pcalloc(cycle->pool, ngx_http_fieldpost_nstores * sizeof(fieldpost_store*));
  if (ngx_http_fieldpost_stores == NULL) {
    return NGX_ERROR;
  }

  for (i = 0; i < ngx_http_fieldpost_nstores; i++) {
    ngx_http_fieldpost_stores[i] =
        fieldpost_store_open((const char*)dirs[i].path.data, &dirs[i].limits,
                             ngx_http_fieldpost_replies, (char*)error, sizeof(error));

    if (ngx_http_fieldpost_stores[i] == NULL) {
      /* The worker still serves the other locations; this one
       * answers 503 with the reason in the log. */
      ngx_log_error(NGX_LOG_ALERT, cycle->log, 0, "fieldpost: cannot open \"%V\": %s",
                    &dirs[i].display, error);
    }
  }

  return NGX_OK;
}

static void ngx_http_fieldpost_exit_process(ngx_cycle_t* cycle) {
  ngx_uint_t i;
  ngx_connection_t* c;

  /* Stores first: closing one commits what it was handed, and its writer
   * thread may queue replies until then. */
  for (i = 0; i < ngx_http_fieldpost_nstores; i++) {
    fieldpost_store_close(ngx_http_fieldpost_stores[i]);
    ngx_http_fieldpost_stores[i] = NULL;
  }

  /* Give back the eventfd's connection (the bridge closes the fd), or
   * nginx reports it as a socket left open. */
  c = ngx_http_fieldpost_replies_conn;
  if (c != NULL) {
    if (c->read->active) {
      ngx_del_event(c->read, NGX_READ_EVENT, NGX_CLOSE_EVENT);
    }

    ngx_free_connection(c);
    c->fd = (ngx_socket_t)-1;
    ngx_http_fieldpost_replies_conn = NULL;
  }

  fieldpost_replies_close(ngx_http_fieldpost_replies);
  ngx_http_fieldpost_replies = NULL;
}

/* A request whose body was over the limit and not read: the only reason
 * a request has this module's context. */
static ngx_int_t ngx_http_fieldpost_note_body_too_large(ngx_http_request_t* r) {
  void* ctx = ngx_pcalloc(r->pool, 1);

  if (ctx == NULL) {
    return NGX_ERROR;
  }
  ngx_http_set_ctx(r, ctx, ngx_http_fieldpost_module);
  return NGX_OK;
}

static ngx_int_t ngx_http_fieldpost_handler(ngx_http_request_t* r) {
  ngx_int_t rc;
  ngx_http_fieldpost_loc_conf_t* flcf;

  flcf = ngx_http_get_module_loc_conf(r, ngx_http_fieldpost_module);

  if (r->headers_in.content_length_n > (off_t)flcf->body_limit) {
    /* Not read: the API answers 413 in the route's own style. Noted
     * here: discarding a body that has all arrived zeroes its
     * Content-Length, and without the note such a request would reach
     * the API as one with no body at all. */
    if (ngx_http_fieldpost_note_body_too_large(r) != NGX_OK) {
      return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }
    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
      return rc;
    }

    r->main->count++; /* as reading the body would have */
    ngx_http_fieldpost_run(r);
    return NGX_DONE;
  }

  rc = ngx_http_read_client_request_body(r, ngx_http_fieldpost_run);
  if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
    return rc;
  }

  return NGX_DONE;
}

/* The request body in one piece: in place when nginx has it in one memory
 * buffer, else copied (and read back from its temp file when it spilled). */
static ngx_int_t ngx_http_fieldpost_body(ngx_http_request_t* r, size_t limit, fieldpost_str* body,
                                         int* too_large) {
  size_t len;
  u_char* p;
  ssize_t n;
  ngx_buf_t* b;
  ngx_chain_t* cl;

  body->data = NULL;
  body->len = 0;

  if (r->request_body == NULL || r->request_body->bufs == NULL) {
    return NGX_OK;
  }

  cl = r->request_body->bufs;
  if (cl->next == NULL && !cl->buf->in_file) {
    body->data = (const char*)cl->buf->pos;
    body->len = cl->buf->last - cl->buf->pos;
    return NGX_OK;
  }

  len = 0;
  for (cl = r->request_body->bufs; cl; cl = cl->next) {
    len += ngx_buf_size(cl->buf);
  }

  if (len > limit) {
    /* A chunked body has no Content-Length to refuse it by up front. */
    *too_large = 1;
    return NGX_OK;
  }

  p = ngx_pnalloc(r->pool, len);
  if (p == NULL) {
    return NGX_ERROR;
  }

  body->data = (const char*)p;
  body->len = len;

  for (cl = r->request_body->bufs; cl; cl = cl->next) {
    b = cl->buf;

    if (b->in_file) {
      n = ngx_read_file(b->file, p, b->file_last - b->file_pos, b->file_pos);
      if (n != b->file_last - b->file_pos) {
        return NGX_ERROR;
      }

      p += n;
      continue;
    }

    p = ngx_cpymem(p, b->pos, b->last - b->pos);
  }

  return NGX_OK;
}

/* The request headers as the bridge takes them: nginx keeps each name's
 * lower-case form beside it. */
static ngx_int_t ngx_http_fieldpost_headers(ngx_http_request_t* r, fieldpost_header** out,
                                            size_t* count) {
  size_t n;
  ngx_uint_t i;
  ngx_list_part_t* part;
  ngx_table_elt_t* h;

  n = 0;
  for (part = &r->headers_in.headers.part; part; part = part->next) {
    n += part->nelts;
  }

  *out = ngx_palloc(r->pool, (n ? n : 1) * sizeof(fieldpost_header));
  if (*out == NULL) {
    return NGX_ERROR;
  }

  *count = 0;
  for (part = &r->headers_in.headers.part; part; part = part->next) {
    h = part->elts;
    for (i = 0; i < part->nelts; i++) {
      if (h[i].hash == 0) {
        continue; /* removed by another module */
      }

      (*out)[*count].name.data = (const char*)h[i].lowcase_key;
      (*out)[*count].name.len = h[i].key.len;
      (*out)[*count].value.data = (const char*)h[i].value.data;
      (*out)[*count].value.len = h[i].value.len;
      (*count)++;
    }
  }

  return NGX_OK;
}

/* Finishes `r` with a short text reply that is nginx's own, not the API's:
 * the cases where no API is there to answer. */
static void ngx_http_fieldpost_refuse(ngx_http_request_t* r, ngx_uint_t status,
                                      const char* reason) {
  ngx_log_error(NGX_LOG_ERR, r->connection->log, 0, "fieldpost: %s", reason);
  ngx_http_finalize_request(r, status);
}

/* The request's pool is going: the reply, if it comes later, is dropped. */
static void ngx_http_fieldpost_request_gone(void* data) {
  ngx_http_fieldpost_pending_t* pending = data;

  pending->request_gone = 1;
  if (pending->wait.timer_set) {
    ngx_del_timer(&pending->wait);
  }
  if (pending->replied) {
    ngx_free(pending);
  }
}

static ngx_http_fieldpost_pending_t* ngx_http_fieldpost_track(ngx_http_request_t* r) {
  ngx_pool_cleanup_t* cleanup;
  ngx_http_fieldpost_pending_t* pending;

  cleanup = ngx_pool_cleanup_add(r->pool, 0);
  if (cleanup == NULL) {
    return NULL;
  }
  pending = ngx_calloc(sizeof(ngx_http_fieldpost_pending_t), r->connection->log);
  if (pending == NULL) {
    return NULL;
  }
  pending->r = r;
  pending->wait.handler = ngx_http_fieldpost_still_waiting;
  pending->wait.data = pending;
  pending->wait.log = r->connection->log;
  cleanup->handler = ngx_http_fieldpost_request_gone;
  cleanup->data = pending;
  return pending;
}

/* The request's path as the client sent it, still percent-encoded, without
 * the query (the location matched its decoded form). After an internal
 * redirect, or in a subrequest, the raw target is not this request's:
 * its decoded path is escaped again instead. */
static ngx_int_t ngx_http_fieldpost_target(ngx_http_request_t* r, u_char** start, u_char** end) {
  u_char* q;
  uintptr_t escapes;

  if (r == r->main && !r->internal && r->valid_unparsed_uri) {
    *start = r->unparsed_uri.data;
    *end = *start + r->unparsed_uri.len;
    q = ngx_strlchr(*start, *end, '?');
    if (q != NULL) {
      *end = q;
    }
    return NGX_OK;
  }

  escapes = ngx_escape_uri(NULL, r->uri.data, r->uri.len, NGX_ESCAPE_URI);
  *start = ngx_pnalloc(r->pool, r->uri.len + 2 * escapes + 1);
  if (*start == NULL) {
    return NGX_ERROR;
  }
  *end = escapes == 0 ? ngx_cpymem(*start, r->uri.data, r->uri.len)
                      : (u_char*)ngx_escape_uri(*start, r->uri.data, r->uri.len, NGX_ESCAPE_URI);
  return NGX_OK;
}

/* Body read (or discarded): hand the request to the API. */
static void ngx_http_fieldpost_run(ngx_http_request_t* r) {
  u_char *raw, *end;
  ngx_int_t handled;
  fieldpost_store* store;
  fieldpost_request in;
  ngx_http_fieldpost_pending_t* pending;
  ngx_http_fieldpost_loc_conf_t* flcf;

  flcf = ngx_http_get_module_loc_conf(r, ngx_http_fieldpost_module);

  store = flcf->store < ngx_http_fieldpost_nstores ? ngx_http_fieldpost_stores[flcf->store] : NULL;
  if (store == NULL) {
    ngx_http_fieldpost_refuse(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                              "the data directory is not open in this "
                              "worker (see the alert above)");
    return;
  }

  ngx_memzero(&in, sizeof(in));

  in.method.data = (const char*)r->method_name.data;
  in.method.len = r->method_name.len;

  if (ngx_http_fieldpost_target(r, &raw, &end) != NGX_OK) {
    ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
    return;
  }

  if ((size_t)(end - raw) < flcf->mount.len ||
      ngx_strncmp(raw, flcf->mount.data, flcf->mount.len) != 0 ||
      (raw + flcf->mount.len < end && raw[flcf->mount.len] != '/')) {
    /* The client percent-encoded the prefix itself, or the location has
     * no trailing '/' and matched a longer name ("/iotx" for "/iot"). */
    ngx_http_fieldpost_refuse(r, NGX_HTTP_NOT_FOUND,
                              "the request's path is not below the location's "
                              "prefix as written");
    return;
  }

  raw += flcf->mount.len;
  in.path.data = raw == end ? "/" : (const char*)raw;
  in.path.len = raw == end ? 1 : (size_t)(end - raw);

  in.query.data = (const char*)r->args.data;
  in.query.len = r->args.len;

  in.body_too_large = ngx_http_get_module_ctx(r, ngx_http_fieldpost_module) != NULL;

  if (ngx_http_fieldpost_body(r, flcf->body_limit, &in.body, &in.body_too_large) != NGX_OK ||
      ngx_http_fieldpost_headers(r, (fieldpost_header**)&in.headers, &in.header_count) != NGX_OK) {
    ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
    return;
  }

  pending = ngx_http_fieldpost_track(r);
  if (pending == NULL) {
    ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
    return;
  }

  handled = fieldpost_handle(store, &in, pending, ngx_http_fieldpost_deliver);

  if (handled == 1) {
    return; /* answered and finalized by ngx_http_fieldpost_deliver */
  }

  if (handled < 0) {
    pending->replied = 1; /* none will come */
    ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
    return;
  }

  /* A write waits for its commit; its reply comes through the eventfd.
   * The request stays counted (reading the body counted it). */
  pending->deferred = 1;
  ngx_add_timer(&pending->wait, NGX_HTTP_FIELDPOST_WAIT_LOG_MS);
}

static void ngx_http_fieldpost_still_waiting(ngx_event_t* ev) {
  ngx_log_error(NGX_LOG_WARN, ev->log, 0, "fieldpost: a write has waited %d ms for its commit",
                NGX_HTTP_FIELDPOST_WAIT_LOG_MS);
  ngx_add_timer(ev, NGX_HTTP_FIELDPOST_WAIT_LOG_MS);
}

static void ngx_http_fieldpost_replies_ready(ngx_event_t* rev) {
  fieldpost_replies_take(ngx_http_fieldpost_replies, ngx_http_fieldpost_deliver);

  /* Drained: wait for the next write to the eventfd (level-triggered
   * event methods would otherwise drop a ready event). */
  rev->ready = 0;

  if (ngx_handle_read_event(rev, 0) != NGX_OK) {
    ngx_log_error(NGX_LOG_ALERT, rev->log, 0, "fieldpost: cannot wait for replies any more");
  }
}

static ngx_int_t ngx_http_fieldpost_copy(ngx_http_request_t* r, ngx_str_t* to, fieldpost_str from) {
  to->len = from.len;
  to->data = ngx_pnalloc(r->pool, from.len ? from.len : 1);
  if (to->data == NULL) {
    return NGX_ERROR;
  }

  ngx_memcpy(to->data, from.data, from.len);
  return NGX_OK;
}

/* A new response header, marked as set; NULL when out of memory. */
static ngx_table_elt_t* ngx_http_fieldpost_push_header(ngx_http_request_t* r) {
  ngx_table_elt_t* h = ngx_list_push(&r->headers_out.headers);
  if (h == NULL) {
    return NULL;
  }
  h->hash = 1;
#if (nginx_version >= 1023000)
  h->next = NULL;
#endif
  return h;
}

/* Sends the API's response; returns what ngx_http_finalize_request takes. */
static ngx_int_t ngx_http_fieldpost_send(ngx_http_request_t* r,
                                         const fieldpost_response* response) {
  size_t i;
  ngx_int_t rc;
  ngx_buf_t* b;
  ngx_chain_t out;
  ngx_table_elt_t* h;

  r->headers_out.status = response->status;

  if (ngx_http_fieldpost_copy(r, &r->headers_out.status_line, response->status_line) != NGX_OK ||
      ngx_http_fieldpost_copy(r, &r->headers_out.content_type, response->content_type) != NGX_OK) {
    return NGX_ERROR;
  }

  r->headers_out.content_type_len = r->headers_out.content_type.len;
  r->headers_out.content_length_n = response->body.len;

  for (i = 0; i < response->header_count; i++) {
    h = ngx_http_fieldpost_push_header(r);
    if (h == NULL || ngx_http_fieldpost_copy(r, &h->key, response->headers[i].name) != NGX_OK ||
        ngx_http_fieldpost_copy(r, &h->value, response->headers[i].value) != NGX_OK) {
      return NGX_ERROR;
    }
    /* Other modules' filters may look the header up by its lower case. */
    h->lowcase_key = ngx_pnalloc(r->pool, h->key.len);
    if (h->lowcase_key == NULL) {
      return NGX_ERROR;
    }
    ngx_strlow(h->lowcase_key, h->key.data, h->key.len);
  }

  /* These live as long as the process, in lower case too: pointed at, not
   * copied (nginx never writes to a header's key or value). */
  for (i = 0; i < response->static_header_count; i++) {
    h = ngx_http_fieldpost_push_header(r);
    if (h == NULL) {
      return NGX_ERROR;
    }
    h->key.data = (u_char*)response->static_headers[i].name.data;
    h->key.len = response->static_headers[i].name.len;
    h->value.data = (u_char*)response->static_headers[i].value.data;
    h->value.len = response->static_headers[i].value.len;
    h->lowcase_key = (u_char*)response->static_headers[i].lower_name.data;
  }

  rc = ngx_http_send_header(r);
  if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
    return rc;
  }

  if (response->body.len == 0) {
    return ngx_http_send_special(r, NGX_HTTP_LAST);
  }

  b = ngx_create_temp_buf(r->pool, response->body.len);
  if (b == NULL) {
    return NGX_ERROR;
  }

  b->last = ngx_cpymem(b->last, response->body.data, response->body.len);
  b->last_buf = (r == r->main) ? 1 : 0;
  b->last_in_chain = 1;

  out.buf = b;
  out.next = NULL;

  return ngx_http_output_filter(r, &out);
}

static void ngx_http_fieldpost_deliver(void* token, const fieldpost_response* response) {
  ngx_http_fieldpost_pending_t* pending = token;
  ngx_http_request_t* r = pending->r;
  ngx_connection_t* c;
  unsigned deferred;

  pending->replied = 1;
  if (pending->wait.timer_set) {
    ngx_del_timer(&pending->wait);
  }

  if (pending->request_gone) {
    ngx_free(pending); /* nobody is waiting for this reply any more */
    return;
  }

  deferred = pending->deferred;
  c = r->connection;
  /* May free the request, and with it `pending` (its cleanup runs). */
  ngx_http_finalize_request(r, ngx_http_fieldpost_send(r, response));
  /* Outside the request's own handlers (a reply from the commit), nothing
   * else runs what finalizing posted: a subrequest's parent (auth_request,
   * SSI) would wait. */
  if (deferred) {
    ngx_http_run_posted_requests(c);
  }
}
