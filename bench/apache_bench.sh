#!/usr/bin/env bash
# Measure mod_fieldpost inside Apache httpd beside the same Apache serving a
# static file (the ceiling: no application, no disk), in one run:
#   1. Apache, a static one-byte file
#   2. Apache + mod_fieldpost, durable GET /update (2xx counted and checked
#      against the entries stored)
#   3. Apache + mod_fieldpost, GET /channels/ID/fields/1/last.txt
# Apache runs the event MPM with Debian's mpm_event.conf settings.
# Env: FIELDPOST (binary), APACHE (default /usr/sbin/apache2), APACHE_MODULE
# (default build/mod_fieldpost.so), DURATION (s, default 10), CONNECTIONS
# (default 64), TMPDIR (where the data lives).
set -euo pipefail

# Settings, temp dir, cleanup trap and the shared helpers.
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APACHE=${APACHE:-/usr/sbin/apache2}
APACHE_MODULE=${APACHE_MODULE:-$REPO/build/mod_fieldpost.so}
ROWS=()
BASE_RPS=""

# bench LABEL URL [DATA ID]: warm up, measure, append a row to ROWS; with
# DATA and ID, count the entries the run stored.
bench() {
  local label=$1 url=$2 data=${3:-} id=${4:-} out=$TMP/wrk-${#ROWS[@]}.txt before stored="-"
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null
  [[ -n $data ]] && before=$(last_entry "$data" "$id")
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" >"$out"
  parse_wrk "$out"
  local ok=$(( WRK_TOTAL - ${WRK_NON2XX:-0} ))
  if [[ -n $data ]]; then
    stored=$(( $(last_entry "$data" "$id") - before ))
    if (( stored < ok || stored > ok + CONNECTIONS )); then
      echo "apache_bench: WARNING: $label: $stored stored vs $ok acknowledged" >&2
    fi
  fi
  BASE_RPS=${BASE_RPS:-$WRK_RPS}
  local ratio
  ratio=$(awk -v a="$WRK_RPS" -v b="$BASE_RPS" 'BEGIN {printf "%.2f", a / b}')
  ROWS+=("| $label | $WRK_RPS | $WRK_P99 | ${ratio}× | $ok | $stored | ${WRK_NON2XX:-0} |")
  echo "  $label: $WRK_RPS req/s, p99 $WRK_P99, 2xx $ok, stored $stored" >&2
}

check_tools
[[ -x $APACHE ]] || die "Apache not found at $APACHE (apt install apache2; set APACHE=)"
[[ -f $APACHE_MODULE ]] ||
  die "no Apache module at $APACHE_MODULE (cmake -DFIELDPOST_APACHE_MODULE=ON)"
echo "apache_bench: ${DURATION}s per setup, $CONNECTIONS connections, data in $TMP" >&2

read -r id key < <(create_channel "$TMP/data" --public)
mkdir -p "$TMP/www"
printf 1 >"$TMP/www/one.txt"
port=$(free_port)
write_apache_conf "$TMP/apache" "$port" "$TMP/www" "$TMP/data" "$APACHE_MODULE"
NGINX_PIDFILES+=("$TMP/apache/apache.pid") # the cleanup trap stops it by pid file
"$APACHE" -f "$TMP/apache/apache.conf" -k start ||
  die "Apache failed to start: $(cat "$TMP/apache/error.log")"
base=http://127.0.0.1:$port
wait_for "Apache" curl -sf -o /dev/null "$base/one.txt"
curl -sf -o /dev/null "$base/iot/update?api_key=$key&field1=21.5" ||
  die "mod_fieldpost refused the first write: $(cat "$TMP/apache/error.log")"

bench "Apache, static file" "$base/one.txt"
bench "Apache + mod_fieldpost, /update" "$base/iot/update?api_key=$key&field1=21.5" \
  "$TMP/data" "$id"
bench "Apache + mod_fieldpost, last.txt" "$base/iot/channels/$id/fields/1/last.txt"

echo
echo "Apache httpd (event MPM), wrk -t2 -c$CONNECTIONS -d${DURATION}s, loopback, $(nproc) CPUs"
echo
echo "| setup | req/s | p99 | × static file | 2xx (wrk) | entries stored | non-2xx |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
