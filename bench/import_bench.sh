#!/usr/bin/env bash
# Time `fieldpost import` of a ROWS-row CSV in ThingSpeak's export layout
# into an empty channel, and `fieldpost export` of it back, RUNS times
# each (a fresh data directory per import), and print the medians with the
# peak resident memory of each command (GNU time's maximum RSS).
# Env: FIELDPOST (binary), ROWS (default 1000000), RUNS (default 3),
# TMPDIR (where the data lives).
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
[[ -x $FIELDPOST ]] || die "no fieldpost binary at $FIELDPOST (set FIELDPOST=)"
[[ -x /usr/bin/time ]] || die "GNU time is not installed (apt install time)"

# One row a minute from 2020-09-13, three fields and a status, as ThingSpeak
# exports them.
python3 - "$TMP/rows.csv" "$ROWS" <<'PY'
import sys, datetime
path, rows = sys.argv[1], int(sys.argv[2])
start = datetime.datetime(2020, 9, 13, tzinfo=datetime.timezone.utc)
with open(path, "w") as f:
    f.write("created_at,entry_id,field1,field2,field3,field4,field5,field6,field7,field8,"
            "latitude,longitude,elevation,status\n")
    for i in range(rows):
        t = (start + datetime.timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M:%S UTC")
        f.write(f"{t},{i + 1},{20 + i % 100 / 10:.1f},{i % 97},{i % 13},,,,,,,,,ok\n")
PY
echo "import_bench: $ROWS rows, $(du -h "$TMP/rows.csv" | cut -f1), $RUNS runs, data in $TMP" >&2

# timed LABEL CMD...: appends "SECONDS KIB" of one run to $TMP/LABEL.
timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$TMP/one" "$@" >/dev/null 2>"$TMP/stderr" ||
    die "$label failed: $(cat "$TMP/stderr")"
  cat "$TMP/one" >>"$TMP/$label"
}

for run in $(seq "$RUNS"); do
  data=$TMP/data-$run
  mkdir -p "$data"
  id=$("$FIELDPOST" channel create --data "$data" --name bench --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  timed import "$FIELDPOST" import --data "$data" --channel "$id" "$TMP/rows.csv"
  timed export "$FIELDPOST" export --data "$data" --channel "$id" --to "$TMP/export.csv"
  cmp -s <(tail -n +2 "$TMP/rows.csv") <(tail -n +2 "$TMP/export.csv") ||
    die "the export differs from the imported file"
  rm -rf "$data"
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "| command | rows | median s | rows/s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
for label in import export; do
  seconds=$(cut -d' ' -f1 "$TMP/$label" | median)
  kib=$(cut -d' ' -f2 "$TMP/$label" | sort -n | tail -1)
  echo "| fieldpost $label | $ROWS | $seconds | $(awk -v r="$ROWS" -v s="$seconds" \
    'BEGIN {printf "%.0f", r / s}') | $(awk -v k="$kib" 'BEGIN {printf "%.1f", k / 1024}') |"
done
