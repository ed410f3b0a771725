#!/usr/bin/env bash
# Prints the harness's speed figures in one run (Release build):
#   the harness floor (null backend eval median per sample) and the cpu
#   backend's GFLOPS against a bare cblas_sgemm loop, as ratios; and the
#   compare and report commands' speed and peak memory on two files of
#   10,000, 50,000 and 100,000 cases, beside a baseline build of the reading
#   path before its last change (commit ANEBENCH_PERF_BASELINE, default
#   5e667e0, main before the third part of issue 14 section 4; 4a62b6f is
#   the one before its second part, 14e7b61 the one before issue 14; built
#   once into
#   build-perf-baseline-<commit>; ANEBENCH_PERF_BASELINE=none skips it).
#   bench/perf/run.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake -S . -B build-perf -DCMAKE_BUILD_TYPE=Release -DANEBENCH_TESTS=OFF >/dev/null
cmake --build build-perf -j 2 >/dev/null
if [ "$(uname)" = Darwin ]; then
  model=$(sysctl -n machdep.cpu.brand_string)
else
  model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') # platform: the Linux branch
fi
echo "machine: $model, $(getconf _NPROCESSORS_ONLN) cores"
./build-perf/anebench_perf "$@"
BASELINE=${ANEBENCH_PERF_BASELINE:-5e667e0}
BASE_BIN=""
if [ "$BASELINE" != none ] && git rev-parse -q --verify "$BASELINE^{commit}" >/dev/null 2>&1; then
  bdir=build-perf-baseline-$BASELINE
  if [ ! -x "$bdir/build/anebench" ]; then
    rm -rf "$bdir" && mkdir -p "$bdir/src"
    git archive "$BASELINE" | tar -x -C "$bdir/src"
    cmake -S "$bdir/src" -B "$bdir/build" -DCMAKE_BUILD_TYPE=Release -DANEBENCH_TESTS=OFF >/dev/null
    cmake --build "$bdir/build" -j 2 --target anebench >/dev/null
  fi
  BASE_BIN=$PWD/$bdir/build/anebench
fi
for s in bench/perf/*_speed.sh; do
  [ -x "$s" ] && { echo; ANEBENCH_BIN=$PWD/build-perf/anebench ANEBENCH_BASELINE_BIN=$BASE_BIN "$s"; }
done
exit 0
