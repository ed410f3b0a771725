#!/usr/bin/env bash
# compare_speed.sh: how long `anebench compare` takes, and how much memory
# it holds at its peak, on two results.json files of N cases each, next to
# the same figures of a baseline build (the reading path before records
# lost their fixed text buffers), measured in the same run on the same files.
# The files come from tests/tools/gen_compare_fixture (through the record
# writer), with SAMPLES raw eval samples per case (10, the default
# --min-samples).
#   ANEBENCH_BIN=build/anebench [ANEBENCH_BASELINE_BIN=old/anebench] \
#     bench/perf/compare_speed.sh [N...]        (default: 20000 100000)
# Prints, per N: best of 3 wall times, the CPU time (user+sys) of that run
# and the peak resident memory (GNU time's %M), for this build and the
# baseline; then how peak memory grows from one N to the next, per 1000
# cases (the same figure between every two sizes = linear growth).
# Targets (issue 14): 2 x 100k cases under 2 s wall and under the inputs'
# size in peak memory. Wall times on a shared machine move with its load:
# the CPU time is the steadier figure.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${ANEBENCH_BIN:-$PWD/build/anebench}
BASE=${ANEBENCH_BASELINE_BIN:-}
[ -x "$BIN" ] || { echo "compare_speed: no anebench at $BIN (set ANEBENCH_BIN)" >&2; exit 2; }
[ -z "$BASE" ] || [ -x "$BASE" ] || { echo "compare_speed: no baseline at $BASE" >&2; exit 2; }
GEN=${GEN_COMPARE_FIXTURE:-$(dirname "$BIN")/tools/gen_compare_fixture}
if [ ! -x "$GEN" ]; then
  # The perf build has no tests: build the generator in a build of its own.
  cmake -S . -B build-perf-tools -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-perf-tools -j 2 --target gen_compare_fixture >/dev/null
  GEN=$PWD/build-perf-tools/tools/gen_compare_fixture
fi
TIME=/usr/bin/time
"$TIME" -f "%e" true 2>/dev/null || { echo "compare_speed: needs GNU time at $TIME" >&2; exit 2; }
S=${SAMPLES:-10}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ $# -gt 0 ] || set -- 20000 100000

# best of 3: sets wall, cpu (s) and mb (peak RSS, MB) of the fastest run.
measure() {
  local bin=$1 out=$2
  wall="" cpu="" mb=""
  for _ in 1 2 3; do
    "$TIME" -f "%e %U %S %M" -o "$TMP/t" "$bin" compare "$TMP/base.json" "$TMP/other.json" >"$out"
    read -r w u s k <"$TMP/t"
    if [ -z "$wall" ] || awk "BEGIN{exit !($w < $wall)}"; then
      wall=$w
      cpu=$(awk "BEGIN{printf \"%.2f\", $u + $s}")
      mb=$(awk "BEGIN{printf \"%.0f\", $k / 1024}")
    fi
  done
}

per_k=""
for N in "$@"; do
  "$GEN" "$TMP/base.json" base "$N" "$S"
  "$GEN" "$TMP/other.json" other "$N" "$S"
  size() { stat -c %s "$1" 2>/dev/null || stat -f %z "$1"; }
  IN=$(( ($(size "$TMP/base.json") + $(size "$TMP/other.json")) / 1048576 ))
  measure "$BIN" "$TMP/out"
  grep -q "cases in common" "$TMP/out" || { echo "compare_speed: unexpected output:" >&2; tail -5 "$TMP/out" >&2; exit 1; }
  now_wall=$wall now_cpu=$cpu now_mb=$mb
  line="compare 2 x $N cases ($S samples a case, inputs $IN MB): now $now_wall s wall, $now_cpu s CPU, $now_mb MB peak"
  if [ -n "$BASE" ]; then
    measure "$BASE" "$TMP/out.base"
    cmp -s "$TMP/out" "$TMP/out.base" || { echo "compare_speed: the baseline's output differs" >&2; exit 1; }
    line="$line | before: $wall s wall, $cpu s CPU, $mb MB peak"
  fi
  echo "$line"
  verdict_t=$(awk "BEGIN{print ($now_wall < 2.0) ? \"under\" : \"OVER\"}")
  verdict_m=$(awk "BEGIN{print ($now_mb < $IN) ? \"under\" : \"OVER\"}")
  echo "  targets: wall < 2 s: $verdict_t; peak < inputs ($IN MB): $verdict_m ($(awk "BEGIN{printf \"%.2f\", $now_mb / $IN}") x inputs)"
  per_k="$per_k $N:$now_mb"
done
# Linear growth: the same MB per 1000 cases between every two sizes.
echo "$per_k" | awk '{ line = "peak memory by N (MB):" $0; for (i = 2; i <= NF; i++) {
  split($(i-1), a, ":"); split($i, b, ":");
  line = line sprintf("; %d->%d: %.2f MB per 1000 cases", a[1], b[1], (b[2] - a[2]) * 1000 / (b[1] - a[1])) }
  print line }'
