#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build, run the
# quick sweep on the default backend (cpu here; ane on an Apple-silicon Mac
# where the framework loads) and draw its charts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DANEBENCH_TESTS=OFF >/dev/null
cmake --build build -j "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)" >/dev/null
out=$(./build/anebench run --preset quick "$@" | tee /dev/stderr | sed -n 's/^results: //p')
[ -n "$out" ] || { echo "quickstart: the run wrote no run directory" >&2; exit 1; }
./build/anebench plot "$out" -o "$out/charts"
echo "quickstart: results in $out (cases.csv, results.json), charts in $out/charts"
