#!/usr/bin/env bash
# Prints the harness's speed figures in one run (Release build):
#   the harness floor (null backend eval median per sample) and the cpu
#   backend's GFLOPS against a bare cblas_sgemm loop, as ratios; and, when
#   present, the compare command's speed on two 20,000-case files.
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
for s in bench/perf/*_speed.sh; do
  [ -x "$s" ] && { echo; ANEBENCH_BIN=$PWD/build-perf/anebench "$s"; }
done
exit 0
