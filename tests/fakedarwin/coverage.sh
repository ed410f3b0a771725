#!/bin/bash
# coverage.sh: line coverage of backends/ane_objc.c from the fakedarwin tests
# (ctest fakedarwin.coverage). Usage: coverage.sh GCOV OBJDIR BRIDGE_TEST
# where GCOV is "gcov" or "llvm-cov gcov", OBJDIR holds ane_objc.c.gcno/.gcda
# and BRIDGE_TEST is the test_fakedarwin_bridge binary.
#
# Self-sufficient: run after the other fakedarwin tests (ctest -R fakedarwin)
# it reports what they all ran; run alone, or after a rebuild made the counts
# stale, it runs BRIDGE_TEST itself first and says that the end-to-end runs'
# share is then not counted. Prints the figure and every line never executed
# with the reason it is not; a line with no recorded reason (see REASONS)
# fails the test, as does a figure under the 95% floor.
set -u
gcov_tool=$1
objdir=$2
bridge_test=$3
gcda=$objdir/ane_objc.c.gcda
gcno=$objdir/ane_objc.c.gcno

# Why a line cannot run here: "text the line contains|reason".
REASONS=(
  'nil receiver for|need() on a nil receiver: every caller checks its receiver first, so this guard cannot trigger'
  'out of memory|calloc/strdup returning NULL: the fakes do not fail the C allocator'
  'list && i < k|the class census cleaning up after strdup returned NULL (out of memory, as above)'
  'free(list|the class census cleaning up after strdup returned NULL (out of memory, as above)'
  'SEND(send_ulong)(arr, api->s.count))|perfStatsArray holding stats: the decompile has the framework set -perfStats (setPerfStats:), so the fakes never fill the array (tmc reads it first: "some firmware versions populate this")'
  'ps = SEND(send_id_index)(arr, api->s.object_at, 0)|perfStatsArray holding stats (as above)'
)

if [ ! -f "$gcno" ]; then
  echo "fakedarwin.coverage: no $gcno: the bridge was not built with coverage" >&2
  exit 1
fi
if [ ! -f "$gcda" ] || [ "$gcda" -ot "$gcno" ]; then
  echo "fakedarwin.coverage: no counts from this build's fakedarwin tests: running $(basename "$bridge_test")"
  echo "  now (for the full figure, end-to-end runs included: ctest -R fakedarwin)"
  rm -f "$gcda"
  log=$(mktemp)
  (cd "$(dirname "$bridge_test")" && "$bridge_test") >"$log" 2>&1 || { tail -40 "$log"; rm -f "$log"; exit 1; }
  rm -f "$log"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
$gcov_tool "$gcda" >summary.txt 2>&1 || { cat summary.txt; exit 1; }
# The summary block for ane_objc.c: "File '.../ane_objc.c'" then "Lines executed:...".
pct=$(awk '/^File .*ane_objc\.c/{f=1; next} f && /^Lines executed/{print; exit}' summary.txt)
if [ -z "$pct" ]; then
  cat summary.txt
  exit 1
fi
echo "fakedarwin.coverage: backends/ane_objc.c $pct"
unexplained=0
gcovfile=$(ls ./*ane_objc.c.gcov 2>/dev/null | head -1)
if [ -n "$gcovfile" ]; then
  echo "lines never executed, and why:"
  while IFS= read -r line; do
    num=$(echo "$line" | sed -E 's/^ *#####: *([0-9]+):.*/\1/')
    text=$(echo "$line" | sed -E 's/^ *#####: *[0-9]+://')
    why=""
    for r in "${REASONS[@]}"; do
      if [[ "$text" == *"${r%%|*}"* ]]; then
        why=${r#*|}
        break
      fi
    done
    if [ -z "$why" ]; then
      why="NO REASON RECORDED: cover it in a test, or add why it cannot run to REASONS in coverage.sh"
      unexplained=$((unexplained + 1))
    fi
    printf '  line %s: %s\n      why: %s\n' "$num" "$(echo "$text" | sed -E 's/^ +//')" "$why"
  done < <(grep -E '^ *#####:' "$gcovfile")
fi
if [ "$unexplained" -gt 0 ]; then
  echo "fakedarwin.coverage: $unexplained line(s) never executed without a reason" >&2
  exit 1
fi
# A floor, so that a change that stops exercising the bridge fails loudly.
num=$(echo "$pct" | sed -E 's/Lines executed:([0-9.]+)%.*/\1/')
awk -v n="$num" 'BEGIN { exit !(n >= 95.0) }' || { echo "fakedarwin.coverage: below the 95% floor" >&2; exit 1; }
