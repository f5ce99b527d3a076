#!/usr/bin/env bash
# Measure GET /update throughput on loopback with wrk, in three setups:
#   1. nginx answering /update by itself (the ceiling: no app, no disk)
#   2. nginx -> fieldpost fcgi, through the repo's real nginx snippets
#   3. fieldpost serve (standalone HTTP server), also with metrics on
# Setups 2 and 3 do real durable writes; the script checks that the number of
# entries stored matches the number of 2xx answers wrk counted.
# serve is measured again at 8 connections, where a write costs about one
# durable commit; the commit alone on the same disk is measured for that.
# Every server runs throughout; RUNS rounds (default 3) each load every
# setup in turn, and each figure is the median of the rounds: the ratio
# column is the median of each round's ratio to nginx alone in that round,
# so a machine that speeds up or slows down between rounds shifts both.
# Env: FIELDPOST (binary), DURATION (s, default 10), CONNECTIONS (default 64),
# RUNS (default 3), TMPDIR (where data lives: put it on the disk you want to
# measure).
set -euo pipefail

# Settings, temp dir, cleanup trap and the shared helpers.
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-3}    # interleaved rounds; each figure is their median
SETUPS=()         # labels, in the order each round measures them
declare -A URL_OF=() DATA_OF=() ID_OF=() CONNS_OF=()
declare -A RPS_OF=() RATIO_OF=() OK_OF=() STORED_OF=() NON2XX_OF=() ERRORS_OF=()

# setup LABEL URL [DATA ID [CONNS]]: a setup every round measures.
setup() {
  SETUPS+=("$1")
  URL_OF[$1]=$2
  DATA_OF[$1]=${3:-}
  ID_OF[$1]=${4:-}
  CONNS_OF[$1]=${5:-$CONNECTIONS}
}

# measure LABEL ROUND: warm up, measure, record the figures. The ratio is
# to nginx alone in the same round, so drift between rounds cancels.
measure() {
  local label=$1 round=$2 url=${URL_OF[$1]} data=${DATA_OF[$1]} id=${ID_OF[$1]}
  local conns=${CONNS_OF[$1]} out before="" stored="-" ok
  out=$TMP/wrk-$round-${#RPS_OF[@]}.txt
  wrk -t2 -c"$conns" -d"${WARMUP}s" "$url" >/dev/null
  if [[ -n $data ]]; then
    sleep 0.5 # let writes still in flight when wrk stopped land
    before=$(last_entry "$data" "$id")
  fi
  wrk -t2 -c"$conns" -d"${DURATION}s" --latency "$url" >"$out"
  if [[ -n $data ]]; then
    sleep 0.5
    stored=$(( $(last_entry "$data" "$id") - before ))
  fi
  parse_wrk "$out"
  ok=$(( WRK_TOTAL - ${WRK_NON2XX:-0} ))
  # wrk stops with up to one request per connection in flight: the server
  # still commits those, so stored may exceed 2xx by at most conns.
  # Fewer stored than acknowledged would mean a lost durable write.
  if [[ $stored != - ]] && (( stored < ok || stored > ok + conns )); then
    echo "update_bench: WARNING: $label: $stored stored vs $ok acknowledged" >&2
  fi
  RPS_OF[$label]+="$WRK_RPS $WRK_P99"$'\n'
  RATIO_OF[$label]+="$(awk -v a="$WRK_RPS" -v b="${BASE_OF[$round]:-$WRK_RPS}" \
    'BEGIN {printf "%.2f", a / b}') "
  BASE_OF[$round]=${BASE_OF[$round]:-$WRK_RPS}
  OK_OF[$label]=$(( ${OK_OF[$label]:-0} + ok ))
  [[ $stored != - ]] && STORED_OF[$label]=$(( ${STORED_OF[$label]:-0} + stored ))
  NON2XX_OF[$label]=$(( ${NON2XX_OF[$label]:-0} + ${WRK_NON2XX:-0} ))
  [[ -n ${WRK_ERRORS:-} ]] && ERRORS_OF[$label]+="$WRK_ERRORS "
  echo "  round $round, $label: $WRK_RPS req/s, p99 $WRK_P99, 2xx $ok, stored $stored" \
    "${WRK_NON2XX:+, NON-2xx $WRK_NON2XX}${WRK_ERRORS:+, socket errors: $WRK_ERRORS}" >&2
}
declare -A BASE_OF=()  # round -> nginx alone's req/s

# median_of WORDS...: the middle one (the lower middle of an even count).
median_of() {
  printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"
}

# row LABEL: the setup's table row, from the medians of its rounds.
row() {
  local label=$1 rps p99 ratio
  # req/s and p99 of the round with the median req/s.
  read -r rps p99 < <(printf '%s' "${RPS_OF[$label]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  # shellcheck disable=SC2086 # one word per round
  ratio=$(median_of ${RATIO_OF[$label]})
  echo "| $label | ${CONNS_OF[$label]} | $rps | $p99 | ${ratio}× | ${RATIO_OF[$label]% }" \
    "| ${OK_OF[$label]} | ${STORED_OF[$label]:--} | ${NON2XX_OF[$label]} | ${ERRORS_OF[$label]:-none} |"
}

# commit_alone DIR: what one LMDB-style durable commit costs on the disk
# under DIR, without fieldpost: write a data page and fdatasync, then write
# the meta page and fdatasync again, as mdb_txn_commit does. Prints
# "MICROSECONDS COMMITS_PER_SECOND" (median of 2000).
commit_alone() {
  python3 - "$1" <<'PY'
import os, statistics, sys, time
path = os.path.join(sys.argv[1], "commit-probe")
fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
page = b"x" * 4096
times = []
for i in range(2000):
    t = time.perf_counter()
    os.pwrite(fd, page, 4096 * (2 + i % 64))
    os.fdatasync(fd)
    os.pwrite(fd, page, 0)
    os.fdatasync(fd)
    times.append(time.perf_counter() - t)
os.close(fd)
os.unlink(path)
us = statistics.median(times) * 1e6
print(f"{us:.0f} {1e6 / us:.0f}")
PY
}

check_tools
echo "update_bench: $RUNS interleaved rounds of ${DURATION}s per setup, $CONNECTIONS" \
  "connections, data in $TMP" >&2

# Every server starts once; each round then loads every setup in turn.
# 1. nginx alone: the most a loopback HTTP server can do on this machine.
port=$(free_port)
start_nginx nginx-alone "$port" \
  'location /update { default_type text/plain; return 200 "1"; }'
wait_for "nginx alone" curl -sf -o /dev/null "http://127.0.0.1:$port/update"
setup "nginx alone (return 200)" "http://127.0.0.1:$port/update?api_key=X&field1=21.5"

# 2. nginx -> fieldpost fcgi, using a copy of the shipped snippets so the
#    benchmark exercises the configuration users actually install.
read -r id key < <(create_channel "$TMP/data")
start_fcgi_nginx "$TMP/data"
wait_for "nginx -> fcgi" curl -sf -o /dev/null \
  "http://127.0.0.1:$PORT/channels/$id/feeds/last.json?api_key=$key"
setup "nginx → fieldpost fcgi" "http://127.0.0.1:$PORT/update?api_key=$key&field1=21.5" \
  "$TMP/data" "$id"

# 2b. nginx with the fieldpost module: no responder, no FastCGI hop.
if have_module; then
  read -r id key < <(create_channel "$TMP/data-module")
  start_module_nginx "$TMP/data-module"
  wait_for "nginx module" curl -sf -o /dev/null \
    "http://127.0.0.1:$PORT/channels/$id/feeds/last.json?api_key=$key"
  setup "nginx + fieldpost module" "http://127.0.0.1:$PORT/update?api_key=$key&field1=21.5" \
    "$TMP/data-module" "$id"
fi

# 3. fieldpost serve (libmicrohttpd), no proxy in front, at CONNECTIONS and
#    at 8 connections.
read -r id key < <(create_channel "$TMP/data2")
start_serve "$TMP/data2" "$TMP/serve.log"  # default settings
serve_pid=$SERVE_PID
wait_for "fieldpost serve" curl -sf -o /dev/null \
  "http://127.0.0.1:$PORT/channels/$id/feeds/last.json?api_key=$key"
setup "fieldpost serve" "http://127.0.0.1:$PORT/update?api_key=$key&field1=21.5" \
  "$TMP/data2" "$id"
setup "fieldpost serve, 8 connections" "http://127.0.0.1:$PORT/update?api_key=$key&field1=21.5" \
  "$TMP/data2" "$id" 8

# 3b. The same with metrics on: every request and commit counted in the
#     directory's shared counters.
read -r id key < <(create_channel "$TMP/data3")
printf 'metrics = true\n' >"$TMP/metrics.conf"
start_serve "$TMP/data3" "$TMP/serve-metrics.log" --config "$TMP/metrics.conf"
wait_for "fieldpost serve, metrics on" curl -sf -o /dev/null \
  "http://127.0.0.1:$PORT/channels/$id/feeds/last.json?api_key=$key"
setup "fieldpost serve, metrics on" "http://127.0.0.1:$PORT/update?api_key=$key&field1=21.5" \
  "$TMP/data3" "$id"

for round in $(seq "$RUNS"); do
  for label in "${SETUPS[@]}"; do
    measure "$label" "$round"
    # serve's memory right after its first CONNECTIONS-connection load.
    if [[ $label == "fieldpost serve" && -z ${serve_rss:-} ]]; then
      serve_rss=$(rss_mib "$serve_pid")
    fi
  done
done
read -r commit_us commit_rate < <(commit_alone "$TMP")

echo
echo "GET /update, wrk -t2 -d${DURATION}s, loopback, $(nproc) CPUs; medians of $RUNS interleaved rounds"
echo
echo "| setup | connections | req/s | p99 | × nginx alone | × by round | 2xx (wrk, all rounds) | entries stored | non-2xx | socket errors |"
echo "|---|---:|---:|---:|---:|---|---:|---:|---:|---|"
for label in "${SETUPS[@]}"; do row "$label"; done
echo
echo "fieldpost serve resident memory after a $CONNECTIONS-connection run, LMDB map" \
  "excluded: $serve_rss MiB."
echo "One durable commit alone on this disk (write + fdatasync twice, as LMDB" \
  "commits; median): $commit_us µs, $commit_rate commits/s."
