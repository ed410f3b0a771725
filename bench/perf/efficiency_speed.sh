#!/usr/bin/env bash
# efficiency_speed.sh: how much of a sweep's wall time goes to measured
# phases (bench/perf/efficiency.py says what counts), for this build and for
# base commits built alongside, run by run in the same session so all see
# the same machine (each sweep: every base, then this build, back to back).
# Target (issue 12): >= 0.90 for `quick` on cpu and ane-sim:m5, and for
# `full` on ane-sim:m5 with any cooldown the machine asked for left out.
#   ANEBENCH_BIN=build/anebench bench/perf/efficiency_speed.sh [--quick]
#       [--base COMMIT]... [--full-this-only]
# Bases (default both): c45a9f4, main before issue 12's measuring changes
# (fixed 5 warm-up evals, fixed 0.5 s cooldown); 5e667e0, main before the
# host-overhead cuts of issue 12 section 4 (phase repeats on weights of
# their own, warm-up that ends when samples settle). --base replaces them.
# --quick leaves out `full` (ten minutes or more a run on a 2-core
# machine); --full-this-only runs `full` with this build alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${ANEBENCH_BIN:-$PWD/build/anebench}
BASES=()
full=1
full_bases=1
while [ $# -gt 0 ]; do
  case $1 in
    --quick) full=0 ;;
    --base)
      [ $# -ge 2 ] || { echo "efficiency_speed: --base needs a commit" >&2; exit 2; }
      BASES+=("$2")
      shift
      ;;
    --full-this-only) full_bases=0 ;;
    *) echo "efficiency_speed: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
[ ${#BASES[@]} -gt 0 ] || BASES=(c45a9f4 5e667e0)
[ -x "$BIN" ] || { echo "efficiency_speed: no anebench at $BIN (set ANEBENCH_BIN)" >&2; exit 2; }
PY=$(command -v python3)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# Each base commit, built in a temporary directory (its sources from git archive).
OLD=()
for b in "${BASES[@]}"; do
  git rev-parse -q --verify "$b^{commit}" >/dev/null || { echo "efficiency_speed: no commit '$b'" >&2; exit 2; }
  mkdir -p "$TMP/base-$b"
  git archive "$b" | tar -x -C "$TMP/base-$b"
  cmake -S "$TMP/base-$b" -B "$TMP/base-$b/build" -DCMAKE_BUILD_TYPE=Release -DANEBENCH_TESTS=OFF >/dev/null
  cmake --build "$TMP/base-$b/build" -j 2 --target anebench >/dev/null
  OLD+=("$TMP/base-$b/build/anebench")
done
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
cell() { printf '%7.1fs / %6.1fs = %5.3f' "$1" "$2" "$3"; }
echo "efficiency: measured phases / wall time (cooldown the machine asked for left out)"
echo "at start:$(uptime)"
printf '%-18s' "sweep"
for b in "${BASES[@]}"; do printf '   %-28s' "base $b"; done
printf '   %-28s\n' "this build"
sweeps=("quick cpu|--preset quick --backend cpu" "quick ane-sim:m5|--preset quick --backend ane-sim:m5")
[ $full = 1 ] && sweeps+=("full ane-sim:m5|--preset full --backend ane-sim:m5")
i=0
for s in "${sweeps[@]}"; do
  name=${s%%|*}
  read -r -a args <<<"${s#*|}"
  i=$((i + 1))
  line=$(printf '%-18s' "$name")
  for j in "${!OLD[@]}"; do
    if [ "$name" = "full ane-sim:m5" ] && [ $full_bases = 0 ]; then
      line+=$(printf '   %-28s' "(not run)")
      continue
    fi
    read -r m w c e < <(run "${OLD[$j]}" "old$j-$i" "${args[@]}")
    line+="   $(cell "$m" "$w" "$e")"
  done
  read -r m w c e < <(run "$BIN" "new$i" "${args[@]}")
  line+="   $(cell "$m" "$w" "$e")"
  [ "$c" != 0.000 ] && line+="  (machine cooldown ${c}s left out)"
  echo "$line"
done
