#!/usr/bin/env bash
# efficiency_speed.sh: how much of a sweep's wall time goes to measured
# phases (bench/perf/efficiency.py says what counts), for this build and for
# base commits built alongside, run by run in the same session so all see
# the same machine (each sweep: every base, then this build, back to back).
# Target (issue 12): >= 0.90 for `quick` on cpu and ane-sim:m5, and for
# `full` on ane-sim:m5 with any cooldown the machine asked for left out.
#   ANEBENCH_BIN=build/anebench bench/perf/efficiency_speed.sh [--quick]
#       [--base COMMIT]... [--full-this-only] [--rounds N]
# Bases (default both): c45a9f4, main before issue 12's measuring changes
# (fixed 5 warm-up evals, fixed 0.5 s cooldown); 5e667e0, main before the
# host-overhead cuts of issue 12 section 4 (phase repeats on weights of
# their own, warm-up that ends when samples settle). --base replaces them.
# --quick leaves out `full` (ten minutes or more a run on a 2-core
# machine); --full-this-only runs `full` with this build alone.
# --rounds N (default 3; `full` always 1): each quick sweep N times, the
# builds taken in turn within each round, so a burst of load from elsewhere
# on a shared machine falls on one round, not on one build; a cell shows the
# round with the median efficiency and the range over the rounds.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${ANEBENCH_BIN:-$PWD/build/anebench}
BASES=()
full=1
full_bases=1
rounds=3
while [ $# -gt 0 ]; do
  case $1 in
    --quick) full=0 ;;
    --base)
      [ $# -ge 2 ] || { echo "efficiency_speed: --base needs a commit" >&2; exit 2; }
      BASES+=("$2")
      shift
      ;;
    --full-this-only) full_bases=0 ;;
    --rounds)
      [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]?$ ]] || { echo "efficiency_speed: --rounds needs a count 1..99, not '${2:-}'" >&2; exit 2; }
      rounds=$2
      shift
      ;;
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
# run BIN LABEL ARGS...: one sweep, its efficiency line "measured wall cool
# eff"; the wall time is the command's alone (timed from within the
# interpreter that starts it, not counting the interpreter's own start).
run() {
  local bin=$1 label=$2; shift 2
  local wall
  wall=$("$PY" -c '
import subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.6f" % (time.monotonic() - t))' "$bin" run "$@" --out "$TMP/$label" --quiet)
  "$PY" bench/perf/efficiency.py "$(ls -d "$TMP/$label"/*)" "$wall"
}
cell() { printf '%7.1fs / %6.1fs = %5.3f' "$1" "$2" "$3"; }
# median FILE: of its "measured wall cool eff" lines, the one with the
# median efficiency, then the lowest and highest efficiency.
median() { "$PY" -c '
import sys
rows = sorted((l.split() for l in open(sys.argv[1]) if l.strip()), key=lambda r: float(r[3]))
m = rows[(len(rows) - 1) // 2]
print(" ".join(m), rows[0][3], rows[-1][3])' "$1"; }
echo "efficiency: measured phases / wall time (cooldown the machine asked for left out)"
echo "at start:$(uptime)"
echo "quick sweeps: $rounds rounds, builds in turn within each; a cell is the median round [lowest, highest]"
printf '%-18s' "sweep"
for b in "${BASES[@]}"; do printf '   %-44s' "base $b"; done
printf '   %-44s\n' "this build"
sweeps=("quick cpu|--preset quick --backend cpu" "quick ane-sim:m5|--preset quick --backend ane-sim:m5")
[ $full = 1 ] && sweeps+=("full ane-sim:m5|--preset full --backend ane-sim:m5")
i=0
for s in "${sweeps[@]}"; do
  name=${s%%|*}
  read -r -a args <<<"${s#*|}"
  i=$((i + 1))
  n=$rounds
  case $name in full*) n=1 ;; esac
  bins=("${OLD[@]}" "$BIN")
  rm -f "$TMP"/got-*
  for ((r = 1; r <= n; r++)); do
    for j in "${!bins[@]}"; do
      if [ "$name" = "full ane-sim:m5" ] && [ $full_bases = 0 ] && [ "$j" -lt ${#OLD[@]} ]; then
        continue
      fi
      run "${bins[$j]}" "b$j-s$i-r$r" "${args[@]}" >>"$TMP/got-$j"
      rm -rf "$TMP/b$j-s$i-r$r"
    done
  done
  line=$(printf '%-18s' "$name")
  cool=0.000
  for j in "${!bins[@]}"; do
    if [ ! -s "$TMP/got-$j" ]; then
      line+=$(printf '   %-44s' "(not run)")
      continue
    fi
    read -r m w c e lo hi < <(median "$TMP/got-$j")
    if [ "$n" -gt 1 ]; then
      line+="   $(cell "$m" "$w" "$e") [$lo, $hi]"
    else
      line+="   $(cell "$m" "$w" "$e")$(printf '%16s' '')"
    fi
    [ "$j" = $((${#bins[@]} - 1)) ] && cool=$c
  done
  [ "$cool" != 0.000 ] && line+="  (machine cooldown ${cool}s left out)"
  echo "$line"
done
echo "at end:$(uptime)"
