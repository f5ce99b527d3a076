#!/usr/bin/env bash
# Measure GET /update throughput on loopback with wrk, in three setups:
#   1. nginx answering /update by itself (the ceiling: no app, no disk)
#   2. nginx -> fieldpost fcgi, through the repo's real nginx snippets
#   3. fieldpost serve (standalone HTTP server)
# Setups 2 and 3 do real durable writes; the script checks that the number of
# entries stored matches the number of 2xx answers wrk counted.
# Env: FIELDPOST (binary), DURATION (s, default 10), CONNECTIONS (default 32),
# TMPDIR (where data lives: put it on the disk you want to measure).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FIELDPOST=${FIELDPOST:-$REPO/build/fieldpost}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
WARMUP=2
NGINX=${NGINX:-/usr/sbin/nginx}

TMP=$(mktemp -d)
PIDS=()           # background children (fieldpost)
NGINX_PIDFILES=() # nginx daemonises, so we track it by pid file
ROWS=()           # result rows, printed at the end
BASE_RPS=""       # req/s of setup 1, the denominator of the ratio column

cleanup() {
  local pid pidfile
  for pidfile in "${NGINX_PIDFILES[@]}"; do
    [[ -s $pidfile ]] || continue
    pid=$(<"$pidfile")
    kill -TERM "$pid" 2>/dev/null || continue
    # Not our child (it daemonised): poll until it is gone before rm -rf.
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || continue
    wait "$pid" 2>/dev/null || true  # graceful stop: let it close the store
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # turn signals into exit, so the EXIT trap runs

die() { echo "update_bench: $*" >&2; exit 1; }

free_port() {
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

# Poll until a command succeeds; servers take a moment to bind.
wait_for() {
  local what=$1; shift
  for _ in $(seq 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "timed out waiting for $what"
}

# start_nginx NAME PORT SERVER_BODY: minimal nginx, everything under $TMP/NAME.
start_nginx() {
  local dir=$TMP/$1 port=$2 body=$3 user=""
  mkdir -p "$dir"
  # As root without "user", workers drop to nobody and could not reach the
  # 0700 temp dir or the 0660 FastCGI socket.
  [[ $(id -u) -eq 0 ]] && user="user root;"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 2;
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
    server {
        listen 127.0.0.1:$port default_server;
        $body
    }
}
EOF
  NGINX_PIDFILES+=("$dir/nginx.pid")
  # -e: the startup error log, before the config is read (default: stderr).
  "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
    || die "nginx failed to start: $(cat "$dir/error.log")"
}

# create_channel DIR: prints "ID WRITEKEY".
create_channel() {
  "$FIELDPOST" channel create --data "$1" --name bench --json |
    python3 -c 'import json,sys;c=json.load(sys.stdin);print(c["id"],c["write_key"])'
}

# last_entry DIR ID: last_entry_id read straight from the store (LMDB allows
# a reader next to the running server).
last_entry() {
  "$FIELDPOST" channel list --data "$1" --json | python3 -c '
import json,sys
print(next(c["last_entry_id"] for c in json.load(sys.stdin)["channels"] if c["id"]==int(sys.argv[1])))' "$2"
}

# bench LABEL URL [DATA ID]: warm up, measure, append a row to ROWS.
bench() {
  local label=$1 url=$2 data=${3:-} id=${4:-} out before="" stored="-"
  local rps p99 total non2xx errors ratio ok
  out=$TMP/wrk-${#ROWS[@]}.txt
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null
  if [[ -n $data ]]; then
    sleep 0.5 # let writes still in flight when wrk stopped land
    before=$(last_entry "$data" "$id")
  fi
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" >"$out"
  if [[ -n $data ]]; then
    sleep 0.5
    stored=$(( $(last_entry "$data" "$id") - before ))
  fi
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  total=$(awk '/ requests in / {print $1}' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  errors=$(sed -n 's/^ *Socket errors: *//p' "$out")
  [[ -n $rps && -n $p99 && -n $total ]] || die "cannot parse wrk output: $(cat "$out")"
  ok=$(( total - ${non2xx:-0} ))
  # wrk stops with up to one request per connection in flight: the server
  # still commits those, so stored may exceed 2xx by at most CONNECTIONS.
  # Fewer stored than acknowledged would mean a lost durable write.
  if [[ $stored != - ]] && (( stored < ok || stored > ok + CONNECTIONS )); then
    echo "update_bench: WARNING: $label: $stored stored vs $ok acknowledged" >&2
  fi
  BASE_RPS=${BASE_RPS:-$rps}
  ratio=$(awk -v a="$rps" -v b="$BASE_RPS" 'BEGIN {printf "%.2f", a / b}')
  ROWS+=("| $label | $rps | $p99 | ${ratio}× | $ok | $stored | ${non2xx:-0} | ${errors:-none} |")
  echo "  $label: $rps req/s, p99 $p99, 2xx $ok, stored $stored" \
    "${non2xx:+, NON-2xx $non2xx}${errors:+, socket errors: $errors}" >&2
}

[[ -x $FIELDPOST ]] || die "no fieldpost binary at $FIELDPOST (set FIELDPOST=)"
command -v wrk >/dev/null || die "wrk not installed"
[[ -x $NGINX ]] || die "nginx not found at $NGINX (set NGINX=)"
echo "update_bench: ${DURATION}s per setup, $CONNECTIONS connections, data in $TMP" >&2

# 1. nginx alone: the most a loopback HTTP server can do on this machine.
port=$(free_port)
start_nginx nginx-alone "$port" \
  'location /update { default_type text/plain; return 200 "1"; }'
wait_for "nginx alone" curl -sf -o /dev/null "http://127.0.0.1:$port/update"
bench "nginx alone (return 200)" "http://127.0.0.1:$port/update?api_key=X&field1=21.5"

# 2. nginx -> fieldpost fcgi, using a copy of the shipped snippets so the
#    benchmark exercises the configuration users actually install.
read -r id key < <(create_channel "$TMP/data")
"$FIELDPOST" fcgi --data "$TMP/data" --socket "$TMP/fcgi.sock" --threads 32 \
  2>"$TMP/fcgi.log" &
PIDS+=($!)
wait_for "fcgi socket $TMP/fcgi.sock" test -S "$TMP/fcgi.sock"
mkdir -p "$TMP/snippets"
cp "$REPO/conf/nginx/fieldpost.conf" "$REPO/conf/nginx/fieldpost-fastcgi.conf" "$TMP/snippets/"
sed -i -e "s|/etc/nginx/snippets/|$TMP/snippets/|g" \
  -e "s|unix:/run/fieldpost/fcgi.sock|unix:$TMP/fcgi.sock|g" "$TMP"/snippets/*.conf
port=$(free_port)
start_nginx nginx-fcgi "$port" "include $TMP/snippets/fieldpost.conf;"
wait_for "nginx -> fcgi" curl -sf -o /dev/null \
  "http://127.0.0.1:$port/channels/$id/feeds/last.json?api_key=$key"
bench "nginx → fieldpost fcgi" "http://127.0.0.1:$port/update?api_key=$key&field1=21.5" \
  "$TMP/data" "$id"

# 3. fieldpost serve (libmicrohttpd), no proxy in front.
read -r id key < <(create_channel "$TMP/data2")
port=$(free_port)
"$FIELDPOST" serve --data "$TMP/data2" --listen "127.0.0.1:$port" --threads 64 \
  2>"$TMP/serve.log" &
PIDS+=($!)
wait_for "fieldpost serve" curl -sf -o /dev/null \
  "http://127.0.0.1:$port/channels/$id/feeds/last.json?api_key=$key"
bench "fieldpost serve" "http://127.0.0.1:$port/update?api_key=$key&field1=21.5" \
  "$TMP/data2" "$id"

echo
echo "GET /update, wrk -t2 -c$CONNECTIONS -d${DURATION}s, loopback, $(nproc) CPUs"
echo
echo "| setup | req/s | p99 | × nginx alone | 2xx (wrk) | entries stored | non-2xx | socket errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${ROWS[@]}"
