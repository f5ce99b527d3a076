#!/usr/bin/env bash
# Builds the libFuzzer drivers with clang (ASan + UBSan) in build-fuzz/ and
# runs each for FUZZ_SECONDS (default 10), starting from its seed corpus in
# tests/fuzz/corpus/. New inputs go to build-fuzz/corpus/, crashes to
# build-fuzz/findings/; any finding fails the run. Copy a finding into the
# seed corpus once fixed, so the gcc replay test keeps it.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${FUZZ_SECONDS:-10}
drivers=(bulk_csv bulk_json channel_settings feed_query form json_params path_update timestamp tzif)

CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFIELDPOST_UNITY_BUILD=OFF \
  -DFIELDPOST_FUZZERS=ON >/dev/null
cmake --build build-fuzz -j2 --target "${drivers[@]/%/_fuzzer}"

# One driver per CPU at a time: each fuzzes on one thread.
fuzz() {
  local driver=$1 work=build-fuzz/corpus/$1 findings=build-fuzz/findings/$1
  local log=build-fuzz/$1.log result=ok
  mkdir -p "$work" "$findings"
  if ! build-fuzz/tests/fuzz/${driver}_fuzzer -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$findings/" "$work" "tests/fuzz/corpus/$driver" >"$log" 2>&1; then
    result=FAILED
    tail -n 30 "$log"
  fi
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  echo "fuzz $driver: $result, $runs executions in ${seconds}s, corpus $(ls "$work" | wc -l) new inputs, findings $(ls "$findings" | wc -l)"
  [ "$result" = ok ]
}

status=0
parallel=$(nproc)
pids=()
for driver in "${drivers[@]}"; do
  fuzz "$driver" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$parallel" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
