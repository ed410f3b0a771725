#!/usr/bin/env bash
# macsdk_check.sh SDK [INCDIR...]: compiles every C source the macOS build
# compiles with clang -fsyntax-only for arm64-apple-macos14 against a real
# macOS SDK (-isysroot SDK), as a check by hand on a machine without a Mac.
# INCDIRs hold what Homebrew would (cjson/cJSON.h, csv.h, cmocka.h). The SDK
# must have usr/include and System/Library/Frameworks; where it lacks
# Accelerate (the public hexops/xcode-frameworks headers do), the declaration
# stub in tests/stubs/Accelerate stands in. Prints one line per failing file
# and a total; exits 1 if any failed. Needs a configured build-test/ (for
# the generated anebench_git.h) or GENERATED=dir.
set -euo pipefail
sdk=${1:?usage: macsdk_check.sh SDK [INCDIR...]}
shift
src=$(cd "$(dirname "$0")/../.." && pwd)
gen=${GENERATED:-$src/build-test/generated}
[ -f "$gen/anebench_git.h" ] || { echo "macsdk_check: no $gen/anebench_git.h: build build-test first" >&2; exit 2; }
incs=()
for d in "$@"; do incs+=(-isystem "$d"); done
if [ ! -d "$sdk/System/Library/Frameworks/Accelerate.framework" ]; then
  acc=$(mktemp -d)
  trap 'rm -rf "$acc"' EXIT
  ln -s "$src/tests/stubs/Accelerate" "$acc/Accelerate"
  incs+=(-isystem "$acc")
  echo "macsdk_check: $sdk has no Accelerate.framework: its CBLAS declarations come from tests/stubs/Accelerate"
fi
cd "$src"
ok=0
bad=0
for f in harness/*.c kernels/*.c backends/*.c bench/*.c bench/perf/*.c tests/unit/*.c tests/tools/*.c tests/fuzz/*.c; do
  if out=$(clang -fsyntax-only --target=arm64-apple-macos14 -isysroot "$sdk" -std=c11 \
    -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror \
    -D_GNU_SOURCE -D_DARWIN_C_SOURCE -DACCELERATE_NEW_LAPACK -DAB_BLAS_ACCELERATE=1 \
    -DANEBENCH_VERSION='"check"' -DANEBENCH_SOURCE_DIR="\"$src\"" \
    -I. -I"$gen" -Itests ${incs[@]+"${incs[@]}"} "$f" 2>&1); then
    ok=$((ok + 1))
  else
    bad=$((bad + 1))
    echo "FAIL $f"
    echo "$out" | grep -E "error" | head -5
  fi
done
echo "macsdk_check: $ok files ok, $bad failed (clang $(clang -dumpversion), arm64-apple-macos14, $sdk)"
[ "$bad" = 0 ]
