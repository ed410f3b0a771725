#!/usr/bin/env bash
# test_fuzz_platform.sh: tests/fuzz/run_fuzzers.sh where no clang can link
# libFuzzer. On macOS (Apple's clang has none, and no Homebrew llvm here) it
# says SKIPPED with the reason and exits 0, building nothing; elsewhere it is
# an error naming the compiler (exit 3): CI fuzzes on Linux. The machine is
# faked with commands earlier on PATH: uname (Darwin or Linux), a clang that
# cannot link, a brew that knows no llvm.
. "$(dirname "$0")/lib.sh"

fake="$TMP/bin"
mkdir -p "$fake"
printf '#!/bin/sh\necho "clang: error: unsupported option -fsanitize=fuzzer" >&2\nexit 1\n' >"$fake/clang"
printf '#!/bin/sh\nexit 1\n' >"$fake/brew"
printf '#!/bin/sh\necho "cmake must not run: $*" >>"%s/cmake.log"\nexit 1\n' "$TMP" >"$fake/cmake"
chmod +x "$fake/clang" "$fake/brew" "$fake/cmake"

# As macOS: skipped, exit 0, the reason said, nothing built.
printf '#!/bin/sh\necho Darwin\n' >"$fake/uname"
chmod +x "$fake/uname"
PATH="$fake:$PATH" ANEBENCH_FUZZ_BUILD="$TMP/build-fuzz" bash "$SRC/tests/fuzz/run_fuzzers.sh" 1 \
  >"$TMP/mac.out" 2>"$TMP/mac.err"
code=$?
[ "$code" = 0 ] && pass || fail "macOS without libFuzzer: exit $code, wanted 0: $(cat "$TMP/mac.err")"
grep -q "SKIPPED: no clang with libFuzzer here" "$TMP/mac.out" && grep -q "brew install llvm" "$TMP/mac.out" &&
  pass || fail "macOS: no stated reason: $(cat "$TMP/mac.out" "$TMP/mac.err")"
[ ! -e "$TMP/cmake.log" ] && [ ! -e "$TMP/build-fuzz" ] && pass || fail "macOS: it tried to build"

# As Linux: an error, exit 3, naming the compiler.
printf '#!/bin/sh\necho Linux\n' >"$fake/uname"
PATH="$fake:$PATH" ANEBENCH_FUZZ_BUILD="$TMP/build-fuzz" bash "$SRC/tests/fuzz/run_fuzzers.sh" 1 \
  >"$TMP/linux.out" 2>"$TMP/linux.err"
code=$?
[ "$code" = 3 ] && grep -q "clang cannot build a libFuzzer target" "$TMP/linux.err" && pass ||
  fail "Linux without libFuzzer: exit $code, wanted 3: $(cat "$TMP/linux.err")"

finish
