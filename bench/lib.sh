# shellcheck shell=bash
# Shared by the bench/*.sh scripts; sourced, not run. Sourcing it reads the
# settings every benchmark takes from the environment, makes the temp dir and
# installs the trap that cleans up after the script (also on failure and
# Ctrl-C). The functions below start nginx and fieldpost and parse wrk output.
# The sourcing script must already run under `set -euo pipefail`.

BENCH_NAME=$(basename "$0" .sh) # prefix of error messages
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FIELDPOST=${FIELDPOST:-$REPO/build/fieldpost}
# The nginx module; its setups are skipped when it is not built
# (cmake -DFIELDPOST_NGINX_MODULE=ON).
NGINX_MODULE=${NGINX_MODULE:-$REPO/build/ngx_http_fieldpost_module.so}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
# shellcheck disable=SC2034 # used by the sourcing scripts
WARMUP=2
NGINX=${NGINX:-/usr/sbin/nginx}

# A command the servers started below run under (valgrind, strace), empty
# for none; with NGINX_ONE_PROCESS=1, nginx runs as one foreground process
# (no master, no workers: what bench/profile.sh measures).
WRAP=()
NGINX_ONE_PROCESS=${NGINX_ONE_PROCESS:-0}

TMP=$(mktemp -d)
PIDS=()           # background children (fieldpost)
NGINX_PIDFILES=() # nginx daemonises, so we track it by pid file

cleanup() {
  local pid pidfile
  for pidfile in "${NGINX_PIDFILES[@]}"; do
    [[ -s $pidfile ]] || continue
    pid=$(<"$pidfile")
    kill -TERM "$pid" 2>/dev/null || continue
    # Not our child (it daemonised): poll until it is gone before rm -rf.
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  # The last started first: a server a later one depends on (a database
  # server its clients keep connected to) outlives them.
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    wait "$pid" 2>/dev/null || true  # graceful stop: let it close the store
  done
  [[ -n ${KEEP_TMP:-} ]] && echo "kept $TMP" >&2 || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # turn signals into exit, so the EXIT trap runs

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }

# check_tools: the programs every benchmark needs.
check_tools() {
  [[ -x $FIELDPOST ]] || die "no fieldpost binary at $FIELDPOST (set FIELDPOST=)"
  command -v wrk >/dev/null || die "wrk not installed"
  [[ -x $NGINX ]] || die "nginx not found at $NGINX (set NGINX=)"
}

free_port() {
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

# Poll until a command succeeds; servers take a moment to bind.
wait_for() {
  local what=$1; shift
  for _ in $(seq 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "timed out waiting for $what"
}

# start_nginx NAME PORT SERVER_BODY [HTTP_BODY [MAIN_BODY]]: minimal nginx,
# everything under $TMP/NAME; HTTP_BODY goes in the http {} block (an
# upstream), MAIN_BODY in the main context (load_module).
start_nginx() {
  local dir=$TMP/$1 port=$2 body=$3 http_body=${4:-} main_body=${5:-} user=""
  mkdir -p "$dir"
  # As root without "user", workers drop to nobody and could not reach the
  # 0700 temp dir or the 0660 FastCGI socket.
  [[ $(id -u) -eq 0 ]] && user="user root;"
  cat >"$dir/nginx.conf" <<EOF
$main_body
worker_processes ${NGINX_WORKERS:-2};
$user
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/body;
    fastcgi_temp_path $dir/fastcgi;
    proxy_temp_path $dir/proxy;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    $http_body
    server {
        listen 127.0.0.1:$port default_server;
        $body
    }
}
EOF
  NGINX_PIDFILES+=("$dir/nginx.pid")
  # -e: the startup error log, before the config is read (default: stderr).
  if [[ $NGINX_ONE_PROCESS == 1 ]]; then
    "${WRAP[@]}" "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
      -g "daemon off; master_process off;" 2>>"$dir/error.log" &
    NGINX_PID=$!
    PIDS+=("$NGINX_PID")
    return
  fi
  "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
    || die "nginx failed to start: $(cat "$dir/error.log")"
}

# start_fcgi_nginx DATA: `fieldpost fcgi` with its default settings on a
# unix socket, and an nginx in front of it that uses a copy of the shipped
# snippets, so the benchmark exercises the configuration users actually
# install. Sets PORT (nginx's) and FCGI_PID; the caller waits for a URL that
# proves the chain works.
start_fcgi_nginx() {
  local data=$1
  "${WRAP[@]}" "$FIELDPOST" fcgi --data "$data" --socket "$TMP/fcgi.sock" 2>"$TMP/fcgi.log" &
  FCGI_PID=$!
  PIDS+=("$FCGI_PID")
  wait_for "fcgi socket $TMP/fcgi.sock" test -S "$TMP/fcgi.sock"
  mkdir -p "$TMP/snippets"
  cp "$REPO"/conf/nginx/fieldpost{,-fastcgi,-upstream}.conf "$TMP/snippets/"
  sed -i -e "s|/etc/nginx/snippets/|$TMP/snippets/|g" \
    -e "s|unix:/run/fieldpost/fcgi.sock|unix:$TMP/fcgi.sock|g" "$TMP"/snippets/*.conf
  PORT=$(free_port)
  start_nginx nginx-fcgi "$PORT" "include $TMP/snippets/fieldpost.conf;" \
    "include $TMP/snippets/fieldpost-upstream.conf;"
}

# have_module: whether the nginx module is built (else say so).
have_module() {
  [[ -f $NGINX_MODULE ]] && return 0
  echo "$BENCH_NAME: no nginx module at $NGINX_MODULE: its setups are skipped" >&2
  return 1
}

# start_module_nginx DATA: nginx with ngx_http_fieldpost_module serving DATA
# at the root, configured as docs/deploy/nginx-module.md says. Sets PORT.
start_module_nginx() {
  PORT=$(free_port)
  start_nginx "nginx-module-$PORT" "$PORT" "location / { fieldpost; }" \
    "fieldpost_data $1;" "load_module $NGINX_MODULE;"
}

# start_serve DATA LOG [OPTIONS...]: `fieldpost serve` on a free port, stderr
# to LOG (DATA empty: OPTIONS name the store, --database URI). Sets PORT and
# SERVE_PID; the caller waits for a URL.
start_serve() {
  local data=$1 log=$2 store=(); shift 2
  [[ -n $data ]] && store=(--data "$data")
  PORT=$(free_port)
  "${WRAP[@]}" "$FIELDPOST" serve "${store[@]}" --listen "127.0.0.1:$PORT" "$@" 2>"$log" &
  SERVE_PID=$!
  PIDS+=("$SERVE_PID")
}

# write_apache_conf DIR PORT DOCROOT DATA MODULE: an Apache configuration in
# DIR/apache.conf (pid file and logs in DIR) with the event MPM and Debian's
# mpm_event.conf and apache2.conf keep-alive settings: DOCROOT at /, and
# mod_fieldpost (MODULE) on DATA under /iot. As root the children run as
# www-data, as docs/deploy/apache-module.md sets Apache up: DATA is theirs.
write_apache_conf() {
  local dir=$1 port=$2 docroot=$3 data=$4 module=$5 user="" modules=/usr/lib/apache2/modules
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then
    user=$'User www-data\nGroup www-data'
    chown -R www-data: "$data"
    chmod 755 "$TMP"
  fi
  cat >"$dir/apache.conf" <<EOF
ServerRoot $dir
DefaultRuntimeDir $dir
PidFile $dir/apache.pid
Mutex file:$dir default
ErrorLog $dir/error.log
LogLevel warn
Listen 127.0.0.1:$port
ServerName localhost
$user
LoadModule mpm_event_module $modules/mod_mpm_event.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule fieldpost_module $module
StartServers 2
MinSpareThreads 25
MaxSpareThreads 75
ThreadLimit 64
ThreadsPerChild 25
MaxRequestWorkers 150
MaxConnectionsPerChild 0
KeepAlive On
MaxKeepAliveRequests 100
KeepAliveTimeout 5
DocumentRoot $docroot
<Directory $docroot>
    Require all granted
</Directory>
FieldpostData $data
<Location /iot>
    SetHandler fieldpost
    Require all granted
</Location>
EOF
}

# stop_server PID: graceful stop of a fieldpost started above, waiting until
# it has closed the store. The pid leaves PIDS, so the trap cannot signal
# some unrelated process that reuses it later.
stop_server() {
  local pid keep=()
  for pid in "${PIDS[@]}"; do [[ $pid == "$1" ]] || keep+=("$pid"); done
  PIDS=("${keep[@]}")
  kill -TERM "$1" 2>/dev/null || return 0
  wait "$1" 2>/dev/null || true
}

# create_channel DIR [OPTIONS...]: prints "ID WRITEKEY". OPTIONS go to
# `fieldpost channel create` (--public, --field1 NAME, ...).
create_channel() {
  local dir=$1; shift
  mkdir -p "$dir"
  "$FIELDPOST" channel create --data "$dir" --name bench "$@" --json |
    python3 -c 'import json,sys;c=json.load(sys.stdin);print(c["id"],c["write_key"])'
}

# last_entry DIR ID: last_entry_id read straight from the store (LMDB allows
# a reader next to the running server).
last_entry() {
  "$FIELDPOST" channel list --data "$1" --json | python3 -c '
import json,sys
print(next(c["last_entry_id"] for c in json.load(sys.stdin)["channels"] if c["id"]==int(sys.argv[1])))' "$2"
}

# rss_mib PID: the resident memory of a process in MiB, without the pages of
# the LMDB map (data.mdb), which are the page cache's and shared.
rss_mib() {
  python3 - "$1" <<'PY'
import sys
total = 0
in_map = False
with open(f"/proc/{sys.argv[1]}/smaps") as f:
    for line in f:
        head = line.split()
        if head and "-" in head[0] and len(head) >= 5:
            in_map = line.rstrip().endswith("/data.mdb")
        elif head and head[0] == "Rss:" and not in_map:
            total += int(head[1])
print(f"{total / 1024:.1f}")
PY
}

# parse_wrk FILE: reads the output of `wrk --latency` into WRK_RPS, WRK_P99,
# WRK_TOTAL (requests completed), WRK_NON2XX (empty when none) and WRK_ERRORS
# (the socket errors line, empty when none).
# shellcheck disable=SC2034 # the WRK_* results are read by the callers
parse_wrk() {
  local out=$1
  WRK_RPS=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  WRK_P99=$(awk '$1 == "99%" {print $2}' "$out")
  WRK_TOTAL=$(awk '/ requests in / {print $1}' "$out")
  WRK_NON2XX=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  WRK_ERRORS=$(sed -n 's/^ *Socket errors: *//p' "$out")
  [[ -n $WRK_RPS && -n $WRK_P99 && -n $WRK_TOTAL ]] \
    || die "cannot parse wrk output: $(cat "$out")"
}
