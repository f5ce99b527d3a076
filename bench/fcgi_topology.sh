#!/usr/bin/env bash
# Which FastCGI layout the shipped nginx upstream should use, measured side
# by side in one run: one `fieldpost fcgi` with its default threads, against
# one single-threaded responder per CPU, each on its own socket, all sharing
# one data directory and balanced by nginx. Both go through a copy of the
# shipped snippets (kept connections). Each is measured on GET /update
# (durable writes, stored entries counted) and on fields/1/last.txt, with
# nginx answering alone as the ratio's baseline.
# Env: FIELDPOST, DURATION (s, default 10), CONNECTIONS (default 64), TMPDIR.
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROWS=()
BASE_RPS=""

# measure LABEL URL [DATA ID]: warm up, measure, append a row; with DATA and
# ID, counts the entries stored against the 2xx answers.
measure() {
  local label=$1 url=$2 data=${3:-} id=${4:-} out=$TMP/wrk-${#ROWS[@]}.txt
  local before="" stored="-" ok ratio
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null
  if [[ -n $data ]]; then sleep 0.5; before=$(last_entry "$data" "$id"); fi
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" >"$out"
  if [[ -n $data ]]; then sleep 0.5; stored=$(( $(last_entry "$data" "$id") - before )); fi
  parse_wrk "$out"
  ok=$(( WRK_TOTAL - ${WRK_NON2XX:-0} ))
  if [[ $stored != - ]] && (( stored < ok || stored > ok + CONNECTIONS )); then
    echo "$BENCH_NAME: WARNING: $label: $stored stored vs $ok acknowledged" >&2
  fi
  BASE_RPS=${BASE_RPS:-$WRK_RPS}
  ratio=$(awk -v a="$WRK_RPS" -v b="$BASE_RPS" 'BEGIN {printf "%.2f", a / b}')
  ROWS+=("| $label | $WRK_RPS | $WRK_P99 | ${ratio}× | $ok | $stored | ${WRK_NON2XX:-0} |")
  echo "  $label: $WRK_RPS req/s, p99 $WRK_P99" >&2
}

# layout SLUG LABEL THREADS COUNT DATA ID KEY: COUNT responders with THREADS each
# (0: the default), nginx in front through the shipped snippets with an
# upstream listing every socket; measures a write and a read, then stops all.
layout() {
  local name=$1 label=$2 threads=$3 count=$4 data=$5 id=$6 key=$7 i sock servers="" pids=() port
  for i in $(seq "$count"); do
    sock=$TMP/$name-$i.sock
    "$FIELDPOST" fcgi --data "$data" --socket "$sock" --threads "$threads" \
      2>>"$TMP/$name.log" &
    pids+=("$!")
    PIDS+=("$!")
    wait_for "fcgi socket $sock" test -S "$sock"
    servers+="server unix:$sock; "
  done
  port=$(free_port)
  start_nginx "nginx-$name" "$port" "include $TMP/snippets/fieldpost.conf;" \
    "upstream fieldpost { ${servers}keepalive 16; }"
  wait_for "nginx -> $name" curl -sf -o /dev/null \
    "http://127.0.0.1:$port/channels/$id/feeds/last.json?api_key=$key"
  measure "$label: /update" "http://127.0.0.1:$port/update?api_key=$key&field1=21.5" "$data" "$id"
  measure "$label: last.txt" "http://127.0.0.1:$port/channels/$id/fields/1/last.txt?api_key=$key"
  kill -TERM "$(<"$TMP/nginx-$name/nginx.pid")"
  for i in "${pids[@]}"; do stop_server "$i"; done
}

check_tools
cpus=$(nproc)
echo "$BENCH_NAME: ${DURATION}s per run, $CONNECTIONS connections, $cpus CPUs, data in $TMP" >&2

port=$(free_port)
start_nginx nginx-alone "$port" 'location / { default_type text/plain; return 200 "1"; }'
wait_for "nginx alone" curl -sf -o /dev/null "http://127.0.0.1:$port/"
measure "nginx alone (return 200)" "http://127.0.0.1:$port/update?api_key=X&field1=21.5"

# The shipped snippets, pointed at the upstream each layout defines.
mkdir -p "$TMP/snippets"
cp "$REPO"/conf/nginx/fieldpost{,-fastcgi}.conf "$TMP/snippets/"
sed -i -e "s|/etc/nginx/snippets/|$TMP/snippets/|g" "$TMP"/snippets/*.conf

read -r id key < <(create_channel "$TMP/data")
layout threaded "one responder, default threads" 0 1 "$TMP/data" "$id" "$key"
layout per-cpu "one 1-thread responder per CPU" 1 "$cpus" "$TMP/data" "$id" "$key"

echo
echo "nginx → fieldpost fcgi layouts, wrk -t2 -c$CONNECTIONS -d${DURATION}s, loopback, $cpus CPUs"
echo
echo "| setup | req/s | p99 | × nginx alone | 2xx (wrk) | entries stored | non-2xx |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
