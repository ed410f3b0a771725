#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build, run the
# quick sweep on the default backend (cpu here; ane on an Apple-silicon Mac
# where the framework loads) and draw its charts.
# A run in which some case failed (anebench run exits 1) still gets its
# charts and the line saying where results and charts are; the script then
# exits with the run's status (else the plot's).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DANEBENCH_TESTS=OFF >/dev/null
cmake --build build -j "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)" >/dev/null

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Not `out=$(anebench run ... | sed ...)`: under set -e a run that exits 1
# would end the script there, with no charts and no word of where it wrote.
# On a Mac, with no --backend given: `anebench doctor` walks the Neural
# Engine's lifecycle on one small case; the sweep runs on ane if it passes,
# else on cpu, said loudly (the doctor's summary above names the step).
backend=()
if [ "$(uname)" = Darwin ] && ! printf '%s\n' "$@" | grep -q -- '^--backend'; then
  if ./build/anebench doctor --help >/dev/null 2>&1; then
    if ./build/anebench doctor; then
      backend=(--backend ane)
    else
      echo "quickstart: *** the ANE backend cannot run on this Mac (anebench doctor above says where it stopped): running the quick sweep on cpu instead ***" >&2
      backend=(--backend cpu)
    fi
  else
    echo "quickstart: this build has no anebench doctor: the quick sweep runs on the default backend" >&2
  fi
fi
set +e
./build/anebench run --preset quick ${backend[@]+"${backend[@]}"} "$@" | tee "$log"
run_rc=${PIPESTATUS[0]}
set -e
out=$(sed -n 's/^results: //p' "$log" | tail -n 1)
if [ -z "$out" ]; then
  echo "quickstart: the run wrote no run directory (anebench run exited $run_rc)" >&2
  exit $((run_rc ? run_rc : 1))
fi

plot_rc=0
# plot's own default place for one run's charts: RUN/plots.
./build/anebench plot "$out" || plot_rc=$?
echo "quickstart: results in $out (cases.csv, results.json), charts in $out/plots"
if [ "$run_rc" != 0 ]; then
  echo "quickstart: anebench run exited $run_rc: not every case ran ok (see status and reason in $out/cases.csv)" >&2
  exit "$run_rc"
fi
exit "$plot_rc"
