#!/usr/bin/env bash
# Where a request spends its instructions in `fieldpost serve`: runs the
# server under callgrind (instruction counts do not depend on how busy the
# machine is), sends REQUESTS durable writes and then REQUESTS reads of
# fields/1/last.txt over one kept-alive connection, with collection on only
# while each batch runs, and prints the instructions per request and the
# functions that spend the most. Compare two binaries with FIELDPOST=.
#
#   bench/profile.sh                      # build/fieldpost, 2000 requests each
#   REQUESTS=500 FIELDPOST=/tmp/old/fieldpost bench/profile.sh
#
# Needs valgrind (callgrind_control, callgrind_annotate) and python3. The
# callgrind output files are kept in bench/results/profile-*.out.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

REQUESTS=${REQUESTS:-2000}
TOP=${TOP:-15}
[[ -x $FIELDPOST ]] || die "no fieldpost binary at $FIELDPOST (set FIELDPOST=)"
command -v valgrind >/dev/null || die "valgrind not installed"
RESULTS=$REPO/bench/results
mkdir -p "$RESULTS"

data=$TMP/data
read -r channel key < <(create_channel "$data" --public)
port=$(free_port)
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$TMP/callgrind.%p" \
  "$FIELDPOST" serve --data "$data" --listen "127.0.0.1:$port" --threads 4 2>"$TMP/serve.log" &
server=$!
PIDS+=("$server")
wait_for "fieldpost serve under callgrind" curl -sf "http://127.0.0.1:$port/channels/$channel/feeds.json"

# send TARGET: REQUESTS GETs on one kept-alive connection; fails on a non-200.
send() {
  python3 - "$port" "$1" "$REQUESTS" <<'PY'
import socket, sys
port, target, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port))
request = f"GET {target} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
buffer = b""
for _ in range(count):
    s.sendall(request)
    while b"\r\n\r\n" not in buffer:
        buffer += s.recv(65536)
    head, _, buffer = buffer.partition(b"\r\n\r\n")
    length = int([l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0])
    while len(buffer) < length:
        buffer += s.recv(65536)
    buffer = buffer[length:]
    if not head.startswith(b"HTTP/1.1 200"):
        sys.exit("not 200: " + head.split(b"\r\n")[0].decode())
PY
}

# measure NAME TARGET: instructions of REQUESTS requests to TARGET.
measure() {
  local name=$1 target=$2 out
  send "$target"  # warm-up, not counted
  # Counting starts with instrumentation; each dump starts the counts anew.
  callgrind_control -i on "$server" >/dev/null
  send "$target"
  callgrind_control -i off "$server" >/dev/null
  callgrind_control -d "$name" "$server" >/dev/null
  out=$(ls -t "$TMP"/callgrind.* 2>/dev/null | head -1)
  [[ -n $out ]] || die "callgrind wrote no dump for $name"
  cp "$out" "$RESULTS/profile-$name.out"
  local report=$TMP/$name.txt total
  callgrind_annotate --inclusive=no "$out" >"$report" 2>/dev/null
  total=$(awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}' "$report")
  echo
  echo "## $name: $((total / REQUESTS)) instructions per request ($REQUESTS requests, $FIELDPOST)"
  # The table after the last ruler: self cost per function, largest first.
  awk -v top="$TOP" '/^-+$/ {rulers++; next} rulers >= 4 && NF && shown < top {print; shown++}' \
    "$report"
}

measure write "/update?api_key=$key&field1=21.5"
measure last "/channels/$channel/fields/1/last.txt"
# The writes above left at least 100 entries.
measure feeds "/channels/$channel/feeds.json?results=100"
