#!/usr/bin/env bash
# run_fuzzers.sh [SECONDS] [NAME...]: builds every libFuzzer target
# (tests/fuzz/fuzz_*.c) with clang under ASan + UBSan in build-fuzz/ and runs
# each for SECONDS (default 300) over its committed seed corpus
# tests/fuzz/corpus/<name>/ (read only: new inputs go to
# build-fuzz/fuzz-work/<name>/). A crash leaves its input in
# build-fuzz/fuzz-work/artifacts/ and the script exits 1.
#   bash tests/fuzz/run_fuzzers.sh 20           # CI's short bounded run
#   bash tests/fuzz/run_fuzzers.sh 3600 fuzz_csv  # one target, an hour
set -euo pipefail
secs=${1:-300}
shift || true
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${ANEBENCH_FUZZ_BUILD:-$src/build-fuzz}
cc=${ANEBENCH_FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null; then
  echo "run_fuzzers: $cc not found (libFuzzer needs clang)" >&2
  exit 3
fi
cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER="$cc" -DANEBENCH_FUZZ=ON -DANEBENCH_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzzers -- -j2 >/dev/null

if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for f in "$src"/tests/fuzz/fuzz_*.c; do names+=("$(basename "$f" .c)"); done
fi
work="$build/fuzz-work"
mkdir -p "$work/artifacts"
status=0
for name in "${names[@]}"; do
  bin="$build/tests/fuzz/$name"
  seeds="$src/tests/fuzz/corpus/${name#fuzz_}"
  mkdir -p "$work/$name"
  dirs=("$work/$name")
  [ -d "$seeds" ] && dirs+=("$seeds")
  log="$work/$name.log"
  if ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=1:abort_on_error=1" \
     UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:print_stacktrace=1:halt_on_error=1" \
     "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
       -artifact_prefix="$work/artifacts/$name-" "${dirs[@]}" >"$log" 2>&1; then
    echo "fuzz $name: clean for ${secs}s ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' || true) runs; $(ls "${dirs[@]}" 2>/dev/null | wc -l) corpus files)"
  else
    echo "fuzz $name: FAILED (log: $log)" >&2
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20 >&2 || tail -20 "$log" >&2
    status=1
  fi
done
exit $status
