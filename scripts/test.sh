#!/usr/bin/env bash
# Builds and runs the whole test suite (unit tests under cmocka and
# end-to-end tests of the command, all through ctest).
#   scripts/test.sh              normal build in build-test/
#   scripts/test.sh --sanitize   ASan + UBSan build in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test
dir=build-test
flags=(-DCMAKE_BUILD_TYPE=Release)
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  flags=(-DCMAKE_BUILD_TYPE=Debug -DANEBENCH_SANITIZE=ON)
  # Apple clang's AddressSanitizer has no leak checker on macOS: asking for
  # it (detect_leaks=1) aborts every test there, so leaks are checked on Linux.
  leaks=1
  if [ "$(uname)" = Darwin ]; then
    leaks=0
    echo "test.sh: macOS: AddressSanitizer without leak detection (LeakSanitizer is not supported there)"
  fi
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=$leaks:abort_on_error=0}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$jobs"
cd "$dir" && ctest --output-on-failure -j "$jobs"
