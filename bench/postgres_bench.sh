#!/usr/bin/env bash
# fieldpost on PostgreSQL beside LMDB, in one run: durable GET /update (to
# CHANNELS channels, 64 by default, as stations write), GET
# .../fields/1/last.txt of one channel (a last value, which servers on a
# database keep in memory once read) and GET .../feeds.json?results=1 (a
# read they do not keep: a query each) through `fieldpost serve` and the nginx module,
# with 1, 2 and 4 frontend processes (serve processes, or nginx workers) on
# one database or one data directory. The PostgreSQL server is the script's
# own (initdb in the temp dir, fsync and synchronous_commit on, as shipped).
# The ratio column is PostgreSQL's req/s over LMDB's for the same frontend
# and process count; "db µs" is the database server's CPU time per request
# answered. Checks that every acknowledged write is stored.
# The frontends reach the database by its unix socket, as a local
# PostgreSQL is reached; PG_TCP=1 makes them use loopback TCP instead, as
# frontends on other machines do (about a quarter slower on reads here).
# Each figure is the median of RUNS rounds (3 by default) of DURATION
# seconds, with every configuration of a frontend loaded in turn in each
# round (see measure): one run on this 2-core machine, shared with the
# database server, swings by a third.
# Env: FIELDPOST, NGINX_MODULE, DURATION (s, default 5), RUNS (3), CONNECTIONS (64),
# PG_BIN (/usr/lib/postgresql/15/bin), PG_TCP, TMPDIR (put it on the disk to
# measure).
set -euo pipefail
DURATION=${DURATION:-5}
RUNS=${RUNS:-3}
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
[[ -x $PG_BIN/postgres ]] || die "no PostgreSQL at $PG_BIN (apt-get install postgresql-15)"
check_tools

# --- the database server --------------------------------------------------
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  # PostgreSQL refuses to run as root.
  as_owner=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  chmod 755 "$TMP"
fi
mkdir -p "$TMP/pg" "$TMP/pgsock"
echo bench >"$TMP/pgpass"
[[ $(id -u) -eq 0 ]] && chown -R nobody: "$TMP/pg" "$TMP/pgsock" "$TMP/pgpass"
"${as_owner[@]}" "$PG_BIN/initdb" -D "$TMP/pg" -U fieldpost --pwfile "$TMP/pgpass" \
  --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$TMP/initdb.log" 2>&1 \
  || die "initdb failed: $(cat "$TMP/initdb.log")"
PG_PORT=$(free_port)
"${as_owner[@]}" "$PG_BIN/postgres" -D "$TMP/pg" -p "$PG_PORT" -k "$TMP/pgsock" \
  -c listen_addresses=127.0.0.1 -c max_connections=200 >"$TMP/postgres.log" 2>&1 &
PG_PID=$!
PIDS+=("$PG_PID")
wait_for "PostgreSQL" grep -q "ready to accept" "$TMP/postgres.log"
# database_ticks: the CPU time (clock ticks, user and system) the database
# server's processes have used so far: the postmaster, its background
# processes and the frontends' backends (which live as long as the
# frontends' connections).
database_ticks() {
  local pid ticks=0 stat
  for pid in "$PG_PID" $(pgrep -P "$PG_PID"); do
    stat=$(cut -d' ' -f14,15 "/proc/$pid/stat" 2>/dev/null) || continue
    ticks=$((ticks + ${stat% *} + ${stat#* }))
  done
  echo "$ticks"
}
TICK_US=$((1000000 / $(getconf CLK_TCK)))

database_count=0
# new_database: sets LOCATION to the URI of a fresh database.
new_database() {
  database_count=$((database_count + 1))
  psql -X -q "postgresql://fieldpost:bench@127.0.0.1:$PG_PORT/postgres" \
    -c "CREATE DATABASE bench$database_count" >/dev/null
  if [[ -n ${PG_TCP:-} ]]; then
    LOCATION="postgresql://fieldpost:bench@127.0.0.1:$PG_PORT/bench$database_count"
  else
    LOCATION="postgresql://fieldpost@/bench$database_count?host=$TMP/pgsock&port=$PG_PORT"
  fi
}

# store_flags LOCATION: --data DIR or --database URI.
store_flags() { [[ $1 == postgresql://* ]] && echo "--database $1" || echo "--data $1"; }

# Writes go to CHANNELS channels, one station each, as a site's stations
# do: a wrk script takes the next channel's key for every request.
CHANNELS=${CHANNELS:-64}
cat >"$TMP/spread.lua" <<'LUA'
local keys = {}
for key in io.lines(os.getenv("KEYS_FILE")) do keys[#keys + 1] = key end
local next = math.random(#keys)
request = function()
  next = next % #keys + 1
  return wrk.format("GET", "/update?api_key=" .. keys[next] .. "&field1=21.5")
end
LUA

# new_channel LOCATION: prints "ID WRITEKEY READKEY" of a public channel.
new_channel() {
  [[ $1 == postgresql://* ]] || mkdir -p "$1"
  # shellcheck disable=SC2046
  "$FIELDPOST" channel create $(store_flags "$1") --name bench --public --json 2>/dev/null |
    python3 -c 'import json,sys;c=json.load(sys.stdin);print(c["id"],c["write_key"],c["read_key"])'
}

# stored LOCATION: the entries of every channel, added up.
stored() {
  # shellcheck disable=SC2046
  "$FIELDPOST" channel list $(store_flags "$1") --json 2>/dev/null | python3 -c '
import json,sys
print(sum(c["last_entry_id"] for c in json.load(sys.stdin)["channels"]))'
}

# --- frontends -------------------------------------------------------------
PORTS=()
serve_count=0
# start_frontends KIND LOCATION N: N serve processes, or one nginx with N
# workers and the module; sets PORTS.
start_frontends() {
  local kind=$1 location=$2 n=$3 i
  PORTS=()
  if [[ $kind == serve ]]; then
    for ((i = 0; i < n; i++)); do
      serve_count=$((serve_count + 1))
      # shellcheck disable=SC2046
      start_serve "" "$TMP/serve-$serve_count.log" $(store_flags "$location")
      PORTS+=("$PORT")
    done
  else
    local directive="fieldpost_data $location;"
    [[ $location == postgresql://* ]] && directive="fieldpost_database $location;"
    PORT=$(free_port)
    NGINX_WORKERS=$n start_nginx "nginx-$PORT" "$PORT" "location / { fieldpost; }" \
      "$directive" "load_module $NGINX_MODULE;"
    PORTS+=("$PORT")
  fi
}

# load PATH SECONDS [SCRIPT]: wrk on every port at once, CONNECTIONS split
# between them. Sets RPS (summed), P99 (the worst) and OK (2xx).
load() {
  local path=$1 seconds=$2 script=() per=$((CONNECTIONS / ${#PORTS[@]})) port outs=() pids=() i
  [[ -n ${3:-} ]] && script=(-s "$3")
  for port in "${PORTS[@]}"; do
    outs+=("$TMP/wrk-$port-$RANDOM.txt")
    wrk -t1 -c"$per" -d"${seconds}s" --latency "${script[@]}" "http://127.0.0.1:$port$path" \
      >"${outs[-1]}" &
    pids+=("$!")
  done
  for i in "${pids[@]}"; do wait "$i"; done
  RPS=0 P99=0 OK=0
  for i in "${outs[@]}"; do
    parse_wrk "$i"
    RPS=$(awk -v a="$RPS" -v b="$WRK_RPS" 'BEGIN {printf "%.0f", a + b}')
    P99=$(python3 -c '
import sys
def ms(t):
    for unit, f in (("us", 1e-3), ("ms", 1), ("s", 1e3)):
        if t.endswith(unit): return float(t[:-len(unit)]) * f
a, b = sys.argv[1], sys.argv[2]
print(a if ms(a or "0ms") >= ms(b) else b)' "$( [[ $P99 == 0 ]] && echo 0ms || echo "$P99")" "$WRK_P99")
    OK=$((OK + WRK_TOTAL - ${WRK_NON2XX:-0}))
  done
}

# --- one frontend kind, every configuration interleaved ---------------------
# A kind's six configurations (LMDB and PostgreSQL, 1, 2 and 4 processes) run
# at once, each on its own data directory or database, idle while another is
# loaded. Every round loads each in turn, and each figure is the median of
# RUNS rounds: the ratios and the 1/2/4 trend then compare runs made
# moments apart, not minutes apart, on a machine whose speed drifts.
CONFIGS=()
declare -A PORTS_OF LOCATION_OF CHANNEL_OF KEYS_OF BEFORE_OF OK_OF FIGURES TICKS_OF ANSWERED_OF

# setup KIND STORE N: the configuration's channels and frontends.
setup() {
  local kind=$1 backend=$2 n=$3 config="$1-$2-$3" location id key c port
  if [[ $backend == PostgreSQL ]]; then
    new_database
    location=$LOCATION
  else
    location=$TMP/data-$kind-$n
  fi
  KEYS_OF[$config]=$TMP/keys-$kind-$backend-$n
  for ((c = 0; c < CHANNELS; c++)); do
    read -r id key _ < <(new_channel "$location")
    echo "$key" >>"${KEYS_OF[$config]}"
  done
  start_frontends "$kind" "$location" "$n"
  for port in "${PORTS[@]}"; do
    wait_for "$kind on $backend" curl -sf -o /dev/null "http://127.0.0.1:$port/channels/$id/feeds.json"
  done
  CONFIGS+=("$config")
  PORTS_OF[$config]=${PORTS[*]}
  LOCATION_OF[$config]=$location
  CHANNEL_OF[$config]=$id
  OK_OF[$config]=0
}

# rounds WHAT PATH [SCRIPT]: a warm-up, then RUNS rounds of PATH on every
# configuration (PATH's {id} is its channel). Appends "RPS P99" lines to
# FIGURES[config/WHAT]; adds the 2xx of writes, warm-up included, to OK_OF.
rounds() {
  local what=$1 path config round ticks
  for ((round = 0; round <= RUNS; round++)); do
    for config in "${CONFIGS[@]}"; do
      read -ra PORTS <<<"${PORTS_OF[$config]}"
      export KEYS_FILE=${KEYS_OF[$config]}
      path=${2//\{id\}/${CHANNEL_OF[$config]}}
      if ((round == 0)); then
        load "$path" "$WARMUP" "${3:-}"
      else
        ticks=$(database_ticks)
        load "$path" "$DURATION" "${3:-}"
        FIGURES[$config/$what]+="$RPS $P99"$'\n'
        TICKS_OF[$config/$what]=$((${TICKS_OF[$config/$what]:-0} + $(database_ticks) - ticks))
        ANSWERED_OF[$config/$what]=$((${ANSWERED_OF[$config/$what]:-0} + OK))
      fi
      if [[ $what == write ]]; then OK_OF[$config]=$((${OK_OF[$config]} + OK)); fi
    done
  done
}

# median CONFIG WHAT: prints "RPS P99" of the round with the median req/s.
median() {
  printf '%s' "${FIGURES[$1/$2]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

# rounds_of CONFIG WHAT: every round's req/s, in the order run.
rounds_of() {
  printf '%s' "${FIGURES[$1/$2]}" | cut -d' ' -f1 | paste -sd' '
}

ROWS=()
# measure KIND: every configuration of the kind, then its table rows.
measure() {
  local kind=$1 backend n config rps p99 base what cells stored_now
  CONFIGS=()
  for n in 1 2 4; do
    for backend in LMDB PostgreSQL; do setup "$kind" "$backend" "$n"; done
  done
  for config in "${CONFIGS[@]}"; do BEFORE_OF[$config]=$(stored "${LOCATION_OF[$config]}"); done
  rounds write / "$TMP/spread.lua"
  sleep 0.5
  rounds read "/channels/{id}/fields/1/last.txt"
  # A read no server keeps: the newest entry as a feed.
  rounds feed "/channels/{id}/feeds.json?results=1"
  for config in "${CONFIGS[@]}"; do
    IFS=- read -r kind backend n <<<"$config"
    stored_now=$(($(stored "${LOCATION_OF[$config]}") - ${BEFORE_OF[$config]}))
    if ((stored_now < ${OK_OF[$config]})); then
      echo "postgres_bench: WARNING: $config: $stored_now stored < ${OK_OF[$config]} acknowledged" >&2
    fi
    cells=""
    for what in write read feed; do
      read -r rps p99 < <(median "$config" "$what")
      read -r base _ < <(median "$kind-LMDB-$n" "$what")
      cells+=" $rps | $p99 | $(awk -v a="$rps" -v b="$base" 'BEGIN {printf "%.2f", a / b}')× |"
      # The database server's CPU time per request answered: what a
      # database machine must be sized for.
      if [[ $backend == PostgreSQL ]]; then
        cells+=" $(awk -v t="${TICKS_OF[$config/$what]}" -v n="${ANSWERED_OF[$config/$what]}" \
          -v us="$TICK_US" 'BEGIN {printf "%.0f", t * us / n}') |"
      else
        cells+=" – |"
      fi
      [[ $what == write ]] && cells+=" $stored_now |"
    done
    ROWS+=("| $kind | $backend | $n |$cells")
    # Every round's req/s, to see the spread the medians come from.
    echo "  $config req/s by round: /update $(rounds_of "$config" write)," \
      "last.txt $(rounds_of "$config" read), feed $(rounds_of "$config" feed)" >&2
  done
  if [[ $kind == serve ]]; then
    for pid in "${PIDS[@]:1}"; do stop_server "$pid"; done
  else
    local dir
    for dir in "$TMP"/nginx-*; do
      [[ -e $dir/nginx.pid ]] && kill -TERM "$(<"$dir/nginx.pid")"
    done
    for dir in "$TMP"/nginx-*; do
      for _ in $(seq 50); do [[ -e $dir/nginx.pid ]] || break; sleep 0.1; done
    done
  fi
}

echo "postgres_bench: medians of $RUNS interleaved rounds of ${DURATION}s, $CONNECTIONS connections, data in $TMP" >&2
kinds=(serve)
have_module && kinds+=(module)
for kind in "${kinds[@]}"; do measure "$kind"; done

echo
echo "durable GET /update, GET last.txt and GET feeds.json?results=1, wrk ${CONNECTIONS} connections in all, median of $RUNS interleaved rounds of ${DURATION}s," \
  "loopback, $(nproc) CPUs; PostgreSQL 15 on the same machine, by" \
  "$([[ -n ${PG_TCP:-} ]] && echo "loopback TCP" || echo "its unix socket")"
echo
echo "| frontend | store | processes | /update req/s | p99 | × LMDB | db µs | stored | last.txt req/s | p99 | × LMDB | db µs | feed req/s | p99 | × LMDB | db µs |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
