#!/usr/bin/env bash
# End-to-end: the conv1x1 case keys every preset listed before kernel
# families existed (tests/fixtures/keys/, committed from main before the
# change) are listed exactly as they were: every result file written so far
# still joins. Presets other than full list exactly those keys, in that
# order; full (which grew to include the new families) lists them all, in
# that order, among its others. The data behind a key is unchanged too: a
# conv1x1 kernel's seed and first values are pinned in unit/test_kernel.c.
. "$(dirname "$0")/lib.sh"
[ -x "$BIN" ] || { echo "no anebench binary at $BIN"; exit 77; }

for f in "$SRC"/tests/fixtures/keys/*.txt; do
  p=$(basename "$f" .txt)
  expect_exit 0 "list --preset $p" -- "$BIN" list --preset "$p" || continue
  sed -e 's/  (skipped: .*$//' -e '/ cases$/d' "$TMP/out" >"$TMP/keys"
  if [ "$p" = full ]; then
    # the old keys, in order, as a subsequence of the conv1x1 keys listed now
    grep -Fx -f "$f" "$TMP/keys" >"$TMP/kept"
    cmp -s "$TMP/kept" "$f" && pass || fail "full: the old conv1x1 keys are not all listed in order: $(diff "$f" "$TMP/kept" | head -4)"
  else
    cmp -s "$TMP/keys" "$f" && pass || fail "$p: keys differ from before kernel families: $(diff "$f" "$TMP/keys" | head -4)"
  fi
done
[ "$PASSES" -ge 14 ] || fail "only $PASSES checks passed (fixtures missing?)"
echo "$PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
