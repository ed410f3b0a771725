#!/usr/bin/env bash
# efficiency_speed.sh: how much of a sweep's wall time goes to measured
# phases (bench/perf/efficiency.py says what counts), for this build and for
# a base commit built alongside, run by run in the same session so both see
# the same machine. Target (issue 12): >= 0.90 for `quick` on cpu and
# ane-sim:m5, and for `full` on ane-sim:m5 with any cooldown the machine
# asked for left out.
#   ANEBENCH_BIN=build/anebench bench/perf/efficiency_speed.sh [--quick] [--base COMMIT]
# --quick leaves out `full` (about ten minutes a run on a 2-core machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${ANEBENCH_BIN:-$PWD/build/anebench}
BASE=c45a9f4 # main before issue 12's measuring changes (fixed warm-up, fixed cooldown)
full=1
while [ $# -gt 0 ]; do
  case $1 in
    --quick) full=0 ;;
    --base) BASE=$2; shift ;;
    *) echo "efficiency_speed: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
[ -x "$BIN" ] || { echo "efficiency_speed: no anebench at $BIN (set ANEBENCH_BIN)" >&2; exit 2; }
PY=$(command -v python3)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The base commit, built in a temporary directory (its sources from git archive).
mkdir -p "$TMP/base"
git archive "$BASE" | tar -x -C "$TMP/base"
cmake -S "$TMP/base" -B "$TMP/base/build" -DCMAKE_BUILD_TYPE=Release -DANEBENCH_TESTS=OFF >/dev/null
cmake --build "$TMP/base/build" -j 2 --target anebench >/dev/null
OLD=$TMP/base/build/anebench
now() { "$PY" -c 'import time; print("%.6f" % time.time())'; }
# run BIN LABEL ARGS...: one sweep, its efficiency line "measured wall cool eff".
run() {
  local bin=$1 label=$2; shift 2
  local t0 t1
  t0=$(now)
  "$bin" run "$@" --out "$TMP/$label" --quiet >/dev/null 2>&1 || true
  t1=$(now)
  "$PY" bench/perf/efficiency.py "$(ls -d "$TMP/$label"/*)" "$("$PY" -c "print($t1 - $t0)")"
}
echo "efficiency: measured phases / wall time (cooldown the machine asked for left out); base $BASE"
printf '%-24s %28s   %28s\n' "sweep" "base: measured/wall = eff" "this build: measured/wall = eff"
sweeps=("quick cpu|--preset quick --backend cpu" "quick ane-sim:m5|--preset quick --backend ane-sim:m5")
[ $full = 1 ] && sweeps+=("full ane-sim:m5|--preset full --backend ane-sim:m5")
i=0
for s in "${sweeps[@]}"; do
  name=${s%%|*}
  read -r -a args <<<"${s#*|}"
  i=$((i + 1))
  read -r m0 w0 c0 e0 < <(run "$OLD" "old$i" "${args[@]}")
  read -r m1 w1 c1 e1 < <(run "$BIN" "new$i" "${args[@]}")
  printf '%-24s %8.1fs / %7.1fs = %5.3f   %8.1fs / %7.1fs = %5.3f%s\n' "$name" "$m0" "$w0" "$e0" "$m1" "$w1" "$e1" \
    "$([ "$c1" != 0.000 ] && echo "  (machine cooldown ${c1}s left out)")"
done
