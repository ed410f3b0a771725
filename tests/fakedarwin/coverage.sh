#!/bin/bash
# coverage.sh: line coverage of backends/ane_objc.c from the fakedarwin tests
# (ctest fakedarwin.coverage, run after them). Usage: coverage.sh GCOV OBJDIR
# where GCOV is "gcov" or "llvm-cov gcov" and OBJDIR holds ane_objc.c.gcda.
# Prints the figure and every line never executed, with its text. Known
# unexecuted lines (see docs/ane-bridge.md): the out-of-memory returns
# (calloc/strdup failing; the fakes do not fail the C allocator) and the
# nil-receiver branch of need(), unreachable because every receiver is
# checked before it gets there.
set -u
gcov_tool=$1
objdir=$2
gcda=$objdir/ane_objc.c.gcda
if [ ! -f "$gcda" ]; then
  echo "fakedarwin.coverage: no $gcda (run the fakedarwin tests first)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
$gcov_tool "$gcda" > summary.txt 2>&1 || { cat summary.txt; exit 1; }
# The summary block for ane_objc.c: "File '.../ane_objc.c'" then "Lines executed:...".
pct=$(awk '/^File .*ane_objc\.c/{f=1; next} f && /^Lines executed/{print; exit}' summary.txt)
if [ -z "$pct" ]; then
  cat summary.txt
  exit 1
fi
echo "fakedarwin.coverage: backends/ane_objc.c $pct"
gcovfile=$(ls ./*ane_objc.c.gcov 2>/dev/null | head -1)
if [ -n "$gcovfile" ]; then
  echo "lines never executed:"
  grep -E '^ *#####:' "$gcovfile" | sed -E 's/^ *#####: *([0-9]+):/  line \1:/'
fi
# A floor, so that a change that stops exercising the bridge fails loudly.
num=$(echo "$pct" | sed -E 's/Lines executed:([0-9.]+)%.*/\1/')
awk -v n="$num" 'BEGIN { exit !(n >= 95.0) }' || { echo "fakedarwin.coverage: below the 95% floor" >&2; exit 1; }
