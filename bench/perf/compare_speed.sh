#!/usr/bin/env bash
# compare_speed.sh: how long `anebench compare` takes on two results.json
# files of 20,000 cases each (target: under a second). The files come from
# tests/tools/gen_compare_fixture (through the record writer), with
# SAMPLES raw eval samples per case (default: 10, the default --min-samples).
#   ANEBENCH_BIN=build/anebench bench/perf/compare_speed.sh [SAMPLES...]
# Prints the best of 3 wall times and the CPU time (user+sys) of that run.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${ANEBENCH_BIN:-$PWD/build/anebench}
[ -x "$BIN" ] || { echo "compare_speed: no anebench at $BIN (set ANEBENCH_BIN)" >&2; exit 2; }
GEN=${GEN_COMPARE_FIXTURE:-$(dirname "$BIN")/tools/gen_compare_fixture}
if [ ! -x "$GEN" ]; then
  # The perf build has no tests: build the generator in a build of its own.
  cmake -S . -B build-perf-tools -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-perf-tools -j 2 --target gen_compare_fixture >/dev/null
  GEN=$PWD/build-perf-tools/tools/gen_compare_fixture
fi
N=20000
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ $# -gt 0 ] || set -- 10
for S in "$@"; do
  "$GEN" "$TMP/base.json" base $N "$S"
  "$GEN" "$TMP/other.json" other $N "$S"
  MB=$(( $(wc -c <"$TMP/base.json") / 1000000 ))
  best="" cpu=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S" -o "$TMP/t" "$BIN" compare "$TMP/base.json" "$TMP/other.json" >"$TMP/out"
    read -r wall user sys <"$TMP/t"
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then
      best=$wall
      cpu=$(awk "BEGIN{printf \"%.2f\", $user + $sys}")
    fi
  done
  grep -q "^compared 17499 of 19999 cases in common" "$TMP/out" || { echo "compare_speed: unexpected output:" >&2; tail -5 "$TMP/out" >&2; exit 1; }
  verdict=$(awk "BEGIN{print ($best < 1.0) ? \"under\" : \"OVER\"}")
  echo "compare: 2 x $N cases, $S raw samples per case ($MB MB per file): ${best} s wall (best of 3), ${cpu} s CPU; target < 1 s: $verdict"
done
