#!/usr/bin/env bash
# Measure read throughput on a big channel, in one run:
#   1. load ENTRIES entries into one public channel through the bulk API of
#      `fieldpost serve` (POST /channels/ID/bulk_update.csv), timed;
#   2. report the size of data.mdb per stored entry (file and LMDB pages);
#   3. measure GET /channels/ID/fields/1/last.txt,
#      GET /channels/ID/feeds.json?results=100, the channel page's poll for
#      new readings (feeds.json?start_entry_id=NEXT&results=8000, none new)
#      and the channel page itself (GET /channels/ID) with wrk in three setups:
#      nginx alone (fixed replies: the ceiling), nginx -> fieldpost fcgi
#      through the repo's real nginx snippets, and fieldpost serve.
# Env: FIELDPOST (binary), ENTRIES (default 1000000), DURATION (s, default
# 10), CONNECTIONS (default 64), NGINX, TMPDIR (where the data lives).
set -euo pipefail

# Settings, temp dir, cleanup trap and the shared helpers.
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ENTRIES=${ENTRIES:-1000000}
BULK_MAX=14400  # most updates one bulk request may carry (kMaxBulkUpdates)
RESULTS=100     # feeds.json?results=N
DATA=$TMP/data

declare -A RPS=() P99=() # "ENDPOINT|SETUP" -> wrk figures
WARNINGS=()        # printed under the table: a figure there is not meaningful

# --- loading --------------------------------------------------------------

# value_of I: field1 of entry I (0-based), 20.0 + (I % 100) / 10 with one
# decimal. Integer arithmetic, so bash and python3 agree on the text.
value_of() {
  local t=$(( 200 + $1 % 100 ))
  echo "$(( t / 10 )).$(( t % 10 ))"
}

# make_bodies DIR KEY: writes the bulk_update.csv form bodies into DIR, one
# file per request of at most BULK_MAX updates, and prints how many. Built
# up front so the load time measures the server, not the generator.
make_bodies() {
  mkdir -p "$1"
  python3 - "$1" "$2" "$ENTRIES" "$BULK_MAX" <<'EOF'
import sys, urllib.parse
out, key, entries, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
# Digits, ',', '.' and '|' may stand raw in a form body; only the key could
# need percent-encoding.
head = f"write_api_key={urllib.parse.quote(key, safe='')}&time_format=absolute&updates="
n = 0
for start in range(0, entries, chunk):
    # T one minute apart from 2020-09-13: every created_at is unique and past.
    ups = "|".join(f"{1600000000 + i * 60},{(200 + i % 100) // 10}.{i % 10}"
                   for i in range(start, min(start + chunk, entries)))
    with open(f"{out}/body-{n:05d}", "w") as f:
        f.write(head + ups)
    n += 1
print(n)
EOF
}

# post_bodies URL DIR: POSTs every body in DIR, in order; each must be
# answered 202 {"success":true}.
post_bodies() {
  local url=$1 dir=$2 body code reply
  for body in "$dir"/body-*; do
    code=$(curl -sS -o "$dir/reply" -w '%{http_code}' --data-binary "@$body" \
      -H 'Content-Type: application/x-www-form-urlencoded' "$url") \
      || die "POST $url with $(basename "$body") failed (curl exit $?)"
    reply=$(<"$dir/reply")
    [[ $code == 202 && $reply == '{"success":true}' ]] \
      || die "POST $url with $(basename "$body"): HTTP $code $reply"
  done
}

# --- sizes ----------------------------------------------------------------

# db_sizes DIR: prints "APPARENT ALLOCATED PAGESIZE TREEPAGES HWMPAGES FREEPAGES"
# for DIR/data.mdb. TREEPAGES sums branch, leaf and overflow pages over the
# main DB and every named DB (mdb_stat -a): pages that hold data. HWMPAGES is
# LMDB's "Number of pages used", the end of the file in use, which also
# counts FREEPAGES, pages on the freelist waiting to be reused.
db_sizes() {
  local apparent allocated env tree free
  apparent=$(du -b "$1/data.mdb" | cut -f1)
  allocated=$(du -B1 "$1/data.mdb" | cut -f1)
  env=$(mdb_stat -e "$1" | awk -F': ' '/Page size/ {p=$2} /Number of pages used/ {u=$2} END {print p, u}')
  tree=$(mdb_stat -a "$1" | awk -F': ' '/(Branch|Leaf|Overflow) pages/ {n+=$2} END {print n}')
  free=$(mdb_stat -f "$1" | awk -F': ' '/Free pages/ {print $2}')
  [[ -n $apparent && -n $allocated && $env == *' '* && -n $tree ]] \
    || die "cannot read the size of $1/data.mdb"
  echo "$apparent $allocated ${env% *} $tree ${env#* } ${free:-0}"
}

# db_breakdown DIR PAGESIZE: one "name N pages (X B/entry)" per database of
# more than one page, from mdb_stat -a, largest first.
db_breakdown() {
  mdb_stat -a "$1" | awk -F': ' -v ps="$2" -v n="$ENTRIES" '
    /^Status of / {db = substr($0, 11)}
    /(Branch|Leaf|Overflow) pages/ {pages[db] += $2}
    END {for (d in pages) if (pages[d] > 1)
           printf "%d\t%s %d pages (%.1f B/entry)\n", pages[d], d, pages[d], pages[d] * ps / n}' |
    sort -rn | cut -f2 | paste -sd, | sed 's/,/, /g'
}

# per_entry BYTES: BYTES / ENTRIES with one decimal.
per_entry() { awk -v b="$1" -v n="$ENTRIES" 'BEGIN {printf "%.1f", b / n}'; }

# --- measuring ------------------------------------------------------------

# check_replies SETUP BASEURL: the replies must be right before their speed
# means anything: last.txt is the last stored value, feeds.json has RESULTS
# entries, the poll none, and the page is the channel's.
check_replies() {
  local setup=$1 base=$2 last n poll page
  last=$(curl -sfS "$base$LAST_PATH") || die "$setup: GET $LAST_PATH failed"
  [[ $last == "$EXPECTED_LAST" ]] \
    || die "$setup: last.txt answered '$last', expected '$EXPECTED_LAST'"
  curl -sfS -o "$TMP/check.json" "$base$FEEDS_PATH" || die "$setup: GET $FEEDS_PATH failed"
  n=$(grep -o '"entry_id"' "$TMP/check.json" | wc -l)
  (( n == RESULTS )) || die "$setup: feeds.json has $n entries, expected $RESULTS"
  poll=$(curl -sfS "$base$POLL_PATH") || die "$setup: GET $POLL_PATH failed"
  [[ $poll == *'"feeds":[]}' ]] || die "$setup: the poll answered '$poll', expected no feeds"
  page=$(curl -sfS -H "$BROWSER_ACCEPT" "$base$PAGE_PATH") || die "$setup: GET $PAGE_PATH failed"
  [[ $page == *"<main id=\"channel\" data-channel=\"$id\""* ]] \
    || die "$setup: $PAGE_PATH is not the channel's page"
  echo "  $setup: replies OK (last.txt '$last'; feeds.json $n entries," \
    "$(wc -c <"$TMP/check.json") bytes)" >&2
}

# bench ENDPOINT SETUP URL: warm up, measure, keep req/s and p99.
bench() {
  local endpoint=$1 setup=$2 url=$3 out accept=()
  out=$TMP/wrk-${#RPS[@]}.txt
  # The channel page is served to browsers; other clients get JSON there.
  [[ $endpoint == "$PAGE_PATH" ]] && accept=(-H "$BROWSER_ACCEPT")
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "${accept[@]}" "$url" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${accept[@]}" "$url" >"$out"
  parse_wrk "$out"
  RPS[$endpoint|$setup]=$WRK_RPS
  P99[$endpoint|$setup]=$WRK_P99
  if [[ -n $WRK_NON2XX || -n $WRK_ERRORS ]]; then
    WARNINGS+=("$endpoint, $setup: ${WRK_NON2XX:-0} non-2xx of $WRK_TOTAL, socket errors: ${WRK_ERRORS:-none}")
  fi
  echo "  $setup $endpoint: $WRK_RPS req/s, p99 $WRK_P99" \
    "${WRK_NON2XX:+, NON-2xx $WRK_NON2XX}${WRK_ERRORS:+, socket errors: $WRK_ERRORS}" >&2
}

# bench_setup SETUP BASEURL: check the replies, then measure every endpoint.
bench_setup() {
  local endpoint
  check_replies "$1" "$2"
  for endpoint in "${ENDPOINTS[@]}"; do bench "$endpoint" "$1" "$2$endpoint"; done
}

# --- main -----------------------------------------------------------------

check_tools
command -v mdb_stat >/dev/null || die "mdb_stat not installed (lmdb-utils)"
[[ $ENTRIES =~ ^[1-9][0-9]*$ ]] || die "ENTRIES must be a positive integer, not '$ENTRIES'"
echo "read_bench: $ENTRIES entries, ${DURATION}s per run, $CONNECTIONS connections," \
  "data in $TMP" >&2

# 0. The channel, and the size of a store that holds only it.
read -r id key < <(create_channel "$DATA" --public --field1 Temperature) || true
[[ -n ${key:-} ]] || die "fieldpost channel create failed"
sizes=$(db_sizes "$DATA")
read -r base_apparent base_allocated _ base_tree _ _ <<<"$sizes"
LAST_PATH=/channels/$id/fields/1/last.txt
FEEDS_PATH="/channels/$id/feeds.json?results=$RESULTS"
POLL_PATH="/channels/$id/feeds.json?start_entry_id=$(( ENTRIES + 1 ))&results=8000"
PAGE_PATH=/channels/$id
BROWSER_ACCEPT="Accept: text/html,application/xhtml+xml,*/*;q=0.8"
ENDPOINTS=("$LAST_PATH" "$FEEDS_PATH" "$POLL_PATH" "$PAGE_PATH")
EXPECTED_LAST=$(value_of $(( ENTRIES - 1 )))  # created_at grows with i

# 1. Load through the bulk API of the standalone server.
echo "  generating bulk bodies..." >&2
t0=$EPOCHREALTIME
requests=$(make_bodies "$TMP/bulk" "$key")
t1=$EPOCHREALTIME
start_serve "$DATA" "$TMP/load.log"
wait_for "fieldpost serve (loader)" curl -sf -o /dev/null "http://127.0.0.1:$PORT$FEEDS_PATH"
echo "  loading $ENTRIES entries in $requests requests..." >&2
t2=$EPOCHREALTIME
post_bodies "http://127.0.0.1:$PORT/channels/$id/bulk_update.csv" "$TMP/bulk"
t3=$EPOCHREALTIME
gen_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
load_s=$(awk -v a="$t2" -v b="$t3" 'BEGIN {printf "%.2f", b - a}')
load_rate=$(awk -v s="$load_s" -v n="$ENTRIES" 'BEGIN {printf "%.0f", n / s}')
echo "  loaded in ${load_s}s, $load_rate entries/s" >&2
stored=$(last_entry "$DATA" "$id")
(( stored == ENTRIES )) || die "channel holds $stored entries after the load, expected $ENTRIES"
# The real feeds.json, poll and page replies, so nginx alone can serve ones
# of the same size.
mkdir -p "$TMP/ref"
curl -sfS -o "$TMP/ref/feeds.json" "http://127.0.0.1:$PORT$FEEDS_PATH" \
  || die "GET $FEEDS_PATH from the loader failed"
curl -sfS -o "$TMP/ref/feeds$(( ENTRIES + 1 )).json" "http://127.0.0.1:$PORT$POLL_PATH" \
  || die "GET $POLL_PATH from the loader failed"
curl -sfS -H "$BROWSER_ACCEPT" -o "$TMP/ref/page.html" "http://127.0.0.1:$PORT$PAGE_PATH" \
  || die "GET $PAGE_PATH from the loader failed"
stop_server "$SERVE_PID"  # one fieldpost at a time; sizes of a closed store
rm -rf "$TMP/bulk"

# 2. Size per entry.
sizes=$(db_sizes "$DATA")
read -r apparent allocated pagesize tree hwm free <<<"$sizes"
breakdown=$(db_breakdown "$DATA" "$pagesize")

# 3. Reads. nginx alone answers the same URLs: last.txt with `return 200` of
#    the expected value; feeds.json from a copy of fieldpost's real reply, a
#    file served through `alias` (a 7 KB JSON body inside `return 200 "..."`
#    would need escaping for nginx's config syntax); the poll's reply is the
#    file named after its start_entry_id, and the page is a copy of the
#    page. open_file_cache keeps the files open, so the ceiling is not
#    paying an open() per request.
echo "  measuring reads..." >&2
port=$(free_port)
start_nginx nginx-alone "$port" "
        location = $LAST_PATH { default_type text/plain; return 200 \"$EXPECTED_LAST\"; }
        location = /channels/$id/feeds.json {
            default_type application/json;
            open_file_cache max=16;
            alias $TMP/ref/feeds\$arg_start_entry_id.json;
        }
        location = $PAGE_PATH {
            default_type text/html;
            open_file_cache max=16;
            alias $TMP/ref/page.html;
        }"
wait_for "nginx alone" curl -sf -o /dev/null "http://127.0.0.1:$port$LAST_PATH"
bench_setup "nginx alone" "http://127.0.0.1:$port"

start_fcgi_nginx "$DATA"
wait_for "nginx -> fcgi" curl -sf -o /dev/null "http://127.0.0.1:$PORT$LAST_PATH"
bench_setup "nginx → fieldpost fcgi" "http://127.0.0.1:$PORT"
stop_server "$FCGI_PID"

SETUPS=("nginx alone" "nginx → fieldpost fcgi")
if have_module; then
  start_module_nginx "$DATA"
  wait_for "nginx module" curl -sf -o /dev/null "http://127.0.0.1:$PORT$LAST_PATH"
  bench_setup "nginx + fieldpost module" "http://127.0.0.1:$PORT"
  SETUPS+=("nginx + fieldpost module")
fi

start_serve "$DATA" "$TMP/serve.log"  # default --threads
wait_for "fieldpost serve" curl -sf -o /dev/null "http://127.0.0.1:$PORT$LAST_PATH"
bench_setup "fieldpost serve" "http://127.0.0.1:$PORT"
SETUPS+=("fieldpost serve")

# --- report ---------------------------------------------------------------

echo
echo "Reads from one public channel of $ENTRIES entries, wrk -t2 -c$CONNECTIONS" \
  "-d${DURATION}s after a ${WARMUP}s warm-up, loopback, $(nproc) CPUs"
echo
echo "| endpoint | setup | req/s | p99 | × nginx alone |"
echo "|---|---|---:|---:|---:|"
for endpoint in "${ENDPOINTS[@]}"; do
  for setup in "${SETUPS[@]}"; do
    ratio=$(awk -v a="${RPS[$endpoint|$setup]}" -v b="${RPS[$endpoint|nginx alone]}" \
      'BEGIN {printf "%.2f", a / b}')
    echo "| \`GET $endpoint\` | $setup | ${RPS[$endpoint|$setup]} | ${P99[$endpoint|$setup]} | ${ratio}× |"
  done
done
if (( ${#WARNINGS[@]} )); then
  echo
  printf 'WARNING: %s\n' "${WARNINGS[@]}"
fi
echo
echo "nginx alone serves feeds.json, the poll and the page from files (alias)" \
  "holding fieldpost's own replies: $(wc -c <"$TMP/ref/feeds.json")," \
  "$(wc -c <"$TMP/ref/feeds$(( ENTRIES + 1 )).json") and $(wc -c <"$TMP/ref/page.html") bytes."
echo
echo "Load: $ENTRIES entries in $requests POST bulk_update.csv requests of up to" \
  "$BULK_MAX: ${load_s} s, $load_rate entries/s (fieldpost serve; generating the" \
  "bodies took ${gen_s} s, not counted)."
echo
echo "Size of data.mdb for $ENTRIES entries (empty channel: $base_apparent B):"
echo
echo "- apparent (du -b): $apparent B = $(per_entry "$apparent") B/entry;" \
  "minus the empty channel $(per_entry $(( apparent - base_apparent ))) B/entry"
echo "- allocated (du -B1): $allocated B = $(per_entry "$allocated") B/entry;" \
  "minus the empty channel $(per_entry $(( allocated - base_allocated ))) B/entry"
echo "- LMDB pages in use (branch + leaf + overflow, all DBs): $tree × $pagesize B" \
  "= $(per_entry $(( tree * pagesize ))) B/entry; minus the empty channel" \
  "$(per_entry $(( (tree - base_tree) * pagesize ))) B/entry"
echo "- LMDB high-water mark: $hwm pages, of which $free on the freelist"
echo "- by database: $breakdown"
