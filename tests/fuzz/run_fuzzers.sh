#!/usr/bin/env bash
# run_fuzzers.sh [SECONDS] [NAME...]: builds every libFuzzer target
# (tests/fuzz/fuzz_*.c) with clang under ASan + UBSan in build-fuzz/ and runs
# each for SECONDS (default 300) over its committed seed corpus
# tests/fuzz/corpus/<name>/ (read only: new inputs go to
# build-fuzz/fuzz-work/<name>/). A crash leaves its input in
# build-fuzz/fuzz-work/artifacts/ and the script exits 1.
#   bash tests/fuzz/run_fuzzers.sh 20           # CI's short bounded run
#   bash tests/fuzz/run_fuzzers.sh 3600 fuzz_csv  # one target, an hour
# On macOS without a clang that has libFuzzer (Apple's has none; Homebrew's
# llvm is used when installed) it prints SKIPPED with that reason, exit 0.
set -euo pipefail
secs=${1:-300}
shift || true
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${ANEBENCH_FUZZ_BUILD:-$src/build-fuzz}
# libfuzzer_ok CC: CC builds and links a libFuzzer target under ASan + UBSan.
libfuzzer_ok() {
  command -v "$1" >/dev/null 2>&1 || return 1
  local t
  t=$(mktemp -d)
  printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)\n{ (void)d; (void)n; return 0; }\n' >"$t/probe.c"
  "$1" -fsanitize=fuzzer,address,undefined "$t/probe.c" -o "$t/probe" >/dev/null 2>&1
  local ok=$?
  rm -rf "$t"
  return $ok
}
# The compiler: ANEBENCH_FUZZ_CC, else clang; on macOS Apple's clang ships
# without libFuzzer, so Homebrew's llvm is tried next, and without it the
# fuzz run is skipped, saying why (exit 0: nothing could run). Elsewhere a
# missing libFuzzer is an error (CI fuzzes on Linux).
cc=${ANEBENCH_FUZZ_CC:-clang}
if ! libfuzzer_ok "$cc" && [ -z "${ANEBENCH_FUZZ_CC:-}" ] && [ "$(uname)" = Darwin ]; then
  llvm=$(brew --prefix llvm 2>/dev/null || true)
  for brew_cc in ${llvm:+"$llvm/bin/clang"} /opt/homebrew/opt/llvm/bin/clang /usr/local/opt/llvm/bin/clang; do
    if [ -x "$brew_cc" ] && libfuzzer_ok "$brew_cc"; then
      cc=$brew_cc
      echo "run_fuzzers: Apple clang has no libFuzzer; using Homebrew's $cc"
      break
    fi
  done
fi
if ! libfuzzer_ok "$cc"; then
  if [ "$(uname)" = Darwin ]; then
    echo "run_fuzzers: SKIPPED: no clang with libFuzzer here ($cc cannot link -fsanitize=fuzzer; Apple's" \
      "clang ships without it): brew install llvm, or set ANEBENCH_FUZZ_CC to a clang that has it"
    exit 0
  fi
  echo "run_fuzzers: $cc cannot build a libFuzzer target (-fsanitize=fuzzer,address,undefined): libFuzzer needs clang with compiler-rt" >&2
  exit 3
fi
# LeakSanitizer does not run on macOS (Apple's or Homebrew's ASan there).
leaks=1
[ "$(uname)" = Darwin ] && leaks=0
cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER="$cc" -DANEBENCH_FUZZ=ON -DANEBENCH_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzzers -j 2 >/dev/null

if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for f in "$src"/tests/fuzz/fuzz_*.c; do names+=("$(basename "$f" .c)"); done
fi
work="$build/fuzz-work"
mkdir -p "$work/artifacts"
status=0
for name in "${names[@]}"; do
  bin="$build/tests/fuzz/$name"
  seeds="$src/tests/fuzz/corpus/${name#fuzz_}"
  mkdir -p "$work/$name"
  dirs=("$work/$name")
  [ -d "$seeds" ] && dirs+=("$seeds")
  log="$work/$name.log"
  if ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=$leaks:abort_on_error=1" \
     UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:print_stacktrace=1:halt_on_error=1" \
     "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
       -artifact_prefix="$work/artifacts/$name-" "${dirs[@]}" >"$log" 2>&1; then
    echo "fuzz $name: clean for ${secs}s ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' || true) runs; $(ls "${dirs[@]}" 2>/dev/null | wc -l) corpus files)"
  else
    echo "fuzz $name: FAILED (log: $log)" >&2
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20 >&2 || tail -20 "$log" >&2
    status=1
  fi
done
exit $status
