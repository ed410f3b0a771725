#!/usr/bin/env bash
# compare_speed.sh: how long `anebench compare` and `anebench report` take,
# and how much memory they hold at their peak, on two results.json files of
# N cases each, next to the same figures of a baseline build (the reading
# path before the last change: ANEBENCH_BASELINE_BIN), measured in the same
# run on the same files, the two builds' runs interleaved so that both see
# the same machine. The files come from tests/tools/gen_compare_fixture
# (through the record writer), with SAMPLES raw eval samples per case (10,
# the default --min-samples).
#   ANEBENCH_BIN=build/anebench [ANEBENCH_BASELINE_BIN=old/anebench] \
#     bench/perf/compare_speed.sh [N...]        (default: 10000 50000 100000)
# Prints, per command and N: best of REPEATS (3) wall times, the CPU time
# (user+sys) of that run and the peak resident memory (GNU time's %M) with
# its ratio to the inputs' size, for this build and the baseline, and the
# ratios this/baseline; then, per command, the growth from one N to the next
# per 1000 cases (the same figure between every two sizes = linear growth).
# Targets (issue 14): 2 x 100k cases under 2 s wall and under the inputs'
# size in peak memory. Wall times on a shared machine move with its load:
# the CPU time and the ratios to the baseline are the steadier figures.
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
REPEATS=${REPEATS:-3}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ $# -gt 0 ] || set -- 10000 50000 100000

# once BIN CMD OUT: one run; appends "wall cpu mb" to OUT.t
once() {
  "$TIME" -f "%e %U %S %M" -o "$TMP/t" "$1" "$2" "$TMP/base.json" "$TMP/other.json" >"$3"
  read -r w u s k <"$TMP/t"
  echo "$w $(awk "BEGIN{printf \"%.2f %.0f\", $u + $s, $k / 1024}")" >>"$3.t"
}
# best OUT: the fastest run's "wall cpu mb" of OUT.t
best() { sort -n -k1,1 "$1.t" | head -1; }

if [ "$(uname)" = Darwin ]; then
  model=$(sysctl -n machdep.cpu.brand_string)
else
  model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') # platform: the Linux branch
fi
echo "machine: $model, $(getconf _NPROCESSORS_ONLN) cores, load average $(uptime | sed 's/.*averages*: //')"
echo "(earlier figures, compare 2 x 100k: 4.64 s / 604 MB when issue 14 was written; 7.67 s wall, 4.20 s CPU, 245 MB = 0.94 x inputs after its first part, on a loaded machine; 5e667e0, idle, 2026-12-03: compare 3.86 s wall, 5.41 s CPU, 295 MB, report 4.68 s, 6.26 s, 308 MB)"
growth=""
for N in "$@"; do
  "$GEN" "$TMP/base.json" base "$N" "$S"
  "$GEN" "$TMP/other.json" other "$N" "$S"
  INB=$(($(wc -c <"$TMP/base.json") + $(wc -c <"$TMP/other.json")))
  IN=$(awk "BEGIN{printf \"%.0f\", $INB / 1048576}")
  for cmd in compare report; do
    rm -f "$TMP"/out*.t
    for _ in $(seq "$REPEATS"); do # interleaved: both builds see the same load
      once "$BIN" "$cmd" "$TMP/out"
      [ -z "$BASE" ] || once "$BASE" "$cmd" "$TMP/out.base"
    done
    case $cmd in
      compare) grep -q "cases in common" "$TMP/out" ;;
      report) grep -q "anebench report" "$TMP/out" ;;
    esac || { echo "compare_speed: unexpected $cmd output:" >&2; tail -5 "$TMP/out" >&2; exit 1; }
    read -r w c m < <(best "$TMP/out")
    line=$(printf '%-7s 2 x %6d cases (inputs %4d MB): now %6.2f s wall, %6.2f s CPU, %5d MB peak (%.2f x inputs)' \
      "$cmd" "$N" "$IN" "$w" "$c" "$m" "$(awk "BEGIN{print $m * 1048576 / $INB}")")
    if [ -n "$BASE" ]; then
      [ "$cmd" != compare ] || cmp -s "$TMP/out" "$TMP/out.base" ||
        { echo "compare_speed: the baseline's compare output differs" >&2; exit 1; }
      read -r bw bc bm < <(best "$TMP/out.base")
      line=$(printf '%s | before: %6.2f s wall, %6.2f s CPU, %5d MB (%.2f x) | now/before: wall %.2f, CPU %.2f, memory %.2f' \
        "$line" "$bw" "$bc" "$bm" "$(awk "BEGIN{print $bm * 1048576 / $INB}")" \
        "$(awk "BEGIN{print $w / $bw}")" "$(awk "BEGIN{print $c / $bc}")" "$(awk "BEGIN{print $m / $bm}")")
    fi
    echo "$line"
    echo "        targets: wall < 2 s: $(awk "BEGIN{print ($w < 2.0) ? \"under\" : \"OVER\"}"); peak < inputs: $(awk "BEGIN{print ($m * 1048576 < $INB) ? \"under\" : \"OVER\"}")"
    growth="$growth $cmd:$N:$c:$m"
  done
done
# Linear growth: the same CPU seconds and MB per 1000 cases between every two sizes.
for cmd in compare report; do
  echo "$growth" | tr ' ' '\n' | grep "^$cmd:" | awk -F: -v cmd="$cmd" '
    { n[NR] = $2; c[NR] = $3; m[NR] = $4 }
    END { line = cmd " growth per 1000 cases:";
      for (i = 2; i <= NR; i++)
        line = line sprintf(" %dk->%dk: %.3f s CPU, %.2f MB;", n[i-1] / 1000, n[i] / 1000,
                            (c[i] - c[i-1]) * 1000 / (n[i] - n[i-1]), (m[i] - m[i-1]) * 1000 / (n[i] - n[i-1]));
      if (NR >= 2) print line }'
done
