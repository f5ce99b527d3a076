#!/usr/bin/env bash
# Where requests spend their instructions and system calls, on every path
# fieldpost serves, beside the servers answering on their own:
#
#   nginx alone        `return 200` (the ceiling, as in update_bench.sh)
#   nginx module       ngx_http_fieldpost_module
#   serve              fieldpost serve
#   nginx → fcgi       nginx with the shipped snippets + fieldpost fcgi (both counted)
#   Apache static      Apache (event MPM) serving a one-byte file
#   Apache module      mod_fieldpost in the same Apache
#
# each on GET /update (durable writes) and GET /channels/ID/fields/1/last.txt
# (serve also on feeds.json?results=100). nginx runs as one process (no
# master) and Apache with -X, so one process does all the work.
#
# Instructions: each server runs under callgrind (counts do not depend on
# how busy the machine is), with collection on only while wrk loads it for
# PROFILE_SECONDS (default 4) from PROFILE_CONNECTIONS (default 8); the table gives
# the instructions of the measured processes divided by the requests wrk
# completed, and for serve also without libmicrohttpd's memset of each
# connection's memory pool (most of serve's count, little of its time).
# System calls: the same load on servers started again without valgrind,
# with `strace -c -f` attached to them.
#
#   bench/profile.sh                 # every path
#   PATHS="serve module" bench/profile.sh
#   FIELDPOST=/tmp/old/fieldpost NGINX_MODULE=/tmp/old/ngx_http_fieldpost_module.so bench/profile.sh
#
# Needs valgrind, strace, wrk, nginx, apache2 (for the Apache paths) and the
# modules built. Each path's callgrind dumps are kept in bench/results/
# (profile-PATH-REQUEST.*) for callgrind_annotate; TOP=N prints the N
# functions that spend the most under each figure.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

PATHS=${PATHS:-"nginx module serve fcgi apache"}
SECONDS_PER=${PROFILE_SECONDS:-4}
LOAD_CONNECTIONS=${PROFILE_CONNECTIONS:-8}
TOP=${TOP:-0}
APACHE=${APACHE:-/usr/sbin/apache2}
APACHE_MODULE=${APACHE_MODULE:-$REPO/build/mod_fieldpost.so}
RESULTS=$REPO/bench/results
check_tools
command -v valgrind >/dev/null || die "valgrind not installed"
command -v strace >/dev/null || die "strace not installed"
mkdir -p "$RESULTS"
# Apache's children run as www-data: its dumps must be writable to them.
OUT=$TMP/out
mkdir -p "$OUT"
chmod 1777 "$OUT"
CALLGRIND=(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT/callgrind.%p")
NGINX_ONE_PROCESS=1
ROWS=()
# The user a server runs as, when not root: callgrind_control must be that
# user to reach the server's valgrind (Apache's, as root).
AS_SERVER=()

# load URL SECONDS: wrk from LOAD_CONNECTIONS connections; prints the
# requests completed; any non-2xx answer stops the script.
load() {
  local out=$TMP/wrk.txt
  wrk -t1 -c"$LOAD_CONNECTIONS" -d"$2s" --latency "$1" >"$out"
  parse_wrk "$out"
  [[ -z $WRK_NON2XX && -z $WRK_ERRORS ]] || die "$1: non-2xx or socket errors: $(cat "$out")"
  echo "$WRK_TOTAL"
}

# count_instructions NAME URL PID...: instructions per request of the PIDs
# (under callgrind) while wrk loads URL. Sets INSTRUCTIONS and MEMSET (the
# part spent in memset).
count_instructions() {
  local name=$1 url=$2 pid requests dump report total=0 memset=0; shift 2
  load "$url" 1 >/dev/null # warm-up, not counted
  for pid; do "${AS_SERVER[@]}" callgrind_control -i on "$pid" >/dev/null 2>&1; done
  requests=$(load "$url" "$SECONDS_PER")
  for pid; do
    "${AS_SERVER[@]}" callgrind_control -i off "$pid" >/dev/null 2>&1
    "${AS_SERVER[@]}" callgrind_control -d "$name" "$pid" >/dev/null 2>&1
    # Each dump counts from the previous one: only this load.
    dump=$(ls -t "$OUT"/callgrind."$pid".* 2>/dev/null | head -1)
    [[ -n $dump ]] || die "callgrind wrote no dump for $name (pid $pid)"
    cp "$dump" "$RESULTS/profile-$name-$pid.out"
    report=$TMP/report.txt
    callgrind_annotate --inclusive=no "$dump" >"$report" 2>/dev/null
    total=$((total + $(awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}' "$report")))
    memset=$((memset + $(awk '/memset/ {gsub(",", "", $1); sum += $1} END {print sum + 0}' \
      "$report")))
    if ((TOP > 0)); then
      echo "## $name, pid $pid: the $TOP functions that spend the most" >&2
      awk -v top="$TOP" '/^-+$/ {rulers++; next} rulers >= 4 && NF && shown < top {print; shown++}' \
        "$report" >&2
    fi
  done
  INSTRUCTIONS=$((total / requests))
  MEMSET=$((memset / requests))
}

# count_syscalls URL PID...: system calls per request of the PIDs (every
# thread) while wrk loads URL. Sets SYSCALLS.
count_syscalls() {
  local url=$1 pid args=() requests calls; shift
  load "$url" 1 >/dev/null
  for pid; do args+=(-p "$pid"); done
  strace -c -f -o "$TMP/strace.txt" "${args[@]}" 2>/dev/null &
  local tracer=$!
  sleep 1 # strace attaches to every thread before the load starts
  requests=$(load "$url" "$SECONDS_PER")
  kill -INT "$tracer"
  wait "$tracer" || true
  calls=$(awk '$NF == "total" {print $4}' "$TMP/strace.txt")
  SYSCALLS=$(awk -v c="$calls" -v r="$requests" 'BEGIN {printf "%.1f", c / r}')
}

# row PATH REQUEST: appends the figures measured last.
row() {
  local note=""
  ((MEMSET * 10 > INSTRUCTIONS)) && note=" ($((INSTRUCTIONS - MEMSET)) without memset)"
  ROWS+=("| $1 | $2 | $INSTRUCTIONS$note | $SYSCALLS |")
  echo "  $1 $2: $INSTRUCTIONS instructions$note, $SYSCALLS syscalls per request" >&2
}

# The servers of one path, started under WRAP (callgrind, or nothing for
# strace); each sets URL_UPDATE, URL_LAST (and URL_FEEDS) and SERVER_PIDS.
up_nginx() {
  local port
  port=$(free_port)
  start_nginx "nginx-alone-$port" "$port" \
    'location / { default_type text/plain; return 200 "1"; }'
  SERVER_PIDS=("$NGINX_PID")
  wait_for "nginx alone" curl -sf -o /dev/null "http://127.0.0.1:$port/"
  URL_UPDATE="http://127.0.0.1:$port/update?api_key=X&field1=21.5"
  URL_LAST="http://127.0.0.1:$port/channels/1/fields/1/last.txt"
}
up_module() {
  have_module || return 1
  local id key data=$TMP/data-module-$RANDOM
  read -r id key < <(create_channel "$data" --public)
  start_module_nginx "$data"
  SERVER_PIDS=("$NGINX_PID")
  wait_for "nginx module" curl -sf -o /dev/null "http://127.0.0.1:$PORT/channels/$id/feeds.json"
  URL_UPDATE="http://127.0.0.1:$PORT/update?api_key=$key&field1=21.5"
  URL_LAST="http://127.0.0.1:$PORT/channels/$id/fields/1/last.txt"
}
up_serve() {
  local id key data=$TMP/data-serve-$RANDOM
  read -r id key < <(create_channel "$data" --public)
  start_serve "$data" "$TMP/serve.log"
  SERVER_PIDS=("$SERVE_PID")
  wait_for "serve" curl -sf -o /dev/null "http://127.0.0.1:$PORT/channels/$id/feeds.json"
  URL_UPDATE="http://127.0.0.1:$PORT/update?api_key=$key&field1=21.5"
  URL_LAST="http://127.0.0.1:$PORT/channels/$id/fields/1/last.txt"
  URL_FEEDS="http://127.0.0.1:$PORT/channels/$id/feeds.json?results=100"
}
up_fcgi() {
  local id key data=$TMP/data-fcgi-$RANDOM
  read -r id key < <(create_channel "$data" --public)
  rm -f "$TMP/fcgi.sock"
  start_fcgi_nginx "$data"
  SERVER_PIDS=("$NGINX_PID" "$FCGI_PID")
  wait_for "nginx → fcgi" curl -sf -o /dev/null "http://127.0.0.1:$PORT/channels/$id/feeds.json"
  URL_UPDATE="http://127.0.0.1:$PORT/update?api_key=$key&field1=21.5"
  URL_LAST="http://127.0.0.1:$PORT/channels/$id/fields/1/last.txt"
}
up_apache() {
  [[ -x $APACHE && -f $APACHE_MODULE ]] || {
    echo "profile: no Apache or no $APACHE_MODULE: the Apache paths are skipped" >&2
    return 1
  }
  local id key port data=$TMP/data-apache-$RANDOM www=$TMP/www
  read -r id key < <(create_channel "$data" --public)
  mkdir -p "$www"
  printf 1 >"$www/one.txt"
  port=$(free_port)
  write_apache_conf "$TMP/apache-$port" "$port" "$www" "$data" "$APACHE_MODULE"
  # As root, Apache is started as www-data (it would switch to it anyway,
  # which leaves valgrind's control pipes out of callgrind_control's reach).
  if [[ $(id -u) -eq 0 ]]; then
    AS_SERVER=(setpriv --reuid=www-data --regid=www-data --clear-groups)
    chown -R www-data: "$TMP/apache-$port"
  fi
  "${AS_SERVER[@]}" "${WRAP[@]}" "$APACHE" -X -f "$TMP/apache-$port/apache.conf" \
    2>>"$TMP/apache.log" &
  SERVER_PIDS=($!)
  PIDS+=("$!")
  wait_for "Apache" curl -sf -o /dev/null "http://127.0.0.1:$port/one.txt"
  URL_STATIC="http://127.0.0.1:$port/one.txt"
  URL_UPDATE="http://127.0.0.1:$port/iot/update?api_key=$key&field1=21.5"
  URL_LAST="http://127.0.0.1:$port/iot/channels/$id/fields/1/last.txt"
}
down() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do stop_server "$pid"; done
  AS_SERVER=()
}

# measure PATH LABEL REQUEST URL_VARIABLE...: one path's requests, first
# under callgrind, then under strace.
measure() {
  local path=$1 label=$2 request variable
  shift 2
  declare -A instructions=() memsets=()
  WRAP=("${CALLGRIND[@]}")
  "up_$path" || return 0
  for request; do
    variable=URL_${request^^}
    count_instructions "$path-$request" "${!variable}" "${SERVER_PIDS[@]}"
    instructions[$request]=$INSTRUCTIONS
    memsets[$request]=$MEMSET
  done
  down
  WRAP=()
  "up_$path"
  for request; do
    variable=URL_${request^^}
    count_syscalls "${!variable}" "${SERVER_PIDS[@]}"
    INSTRUCTIONS=${instructions[$request]}
    MEMSET=${memsets[$request]}
    row "$label" "$request"
  done
  down
}

echo "profile: ${SECONDS_PER}s of load per figure from $LOAD_CONNECTIONS connections" >&2
for path in $PATHS; do
  case $path in
    nginx) measure nginx "nginx alone (return 200)" update last ;;
    module) measure module "nginx module" update last ;;
    serve) measure serve "serve" update last feeds ;;
    fcgi) measure fcgi "nginx → fcgi" update last ;;
    apache)
      measure apache "Apache" static update last
      ;;
    *) die "unknown path $path (nginx, module, serve, fcgi, apache)" ;;
  esac
done

echo
echo "Per request, wrk -c$LOAD_CONNECTIONS, ${SECONDS_PER}s per figure, $FIELDPOST"
echo
echo "| path | request | instructions | system calls |"
echo "|---|---|---:|---:|"
printf '%s\n' "${ROWS[@]}"
