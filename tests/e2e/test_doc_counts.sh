#!/bin/bash
# test_doc_counts.sh: the case count of every preset in docs/sweep-files.md's
# table is the count `anebench list` gives (the table said gflops has 45
# cases; it has 46), and every preset is in the table.
. "$(dirname "$0")/lib.sh"

for f in "$SRC"/bench/presets/*.json; do
  p=$(basename "$f" .json)
  doc=$(sed -n '/^## Presets/,$p' "$SRC/docs/sweep-files.md" | grep "^| \`$p\` |" | cut -d'|' -f3 | tr -d ' ')
  got=$("$BIN" list --preset "$p" | tail -1 | cut -d' ' -f1)
  if [ -z "$doc" ]; then
    fail "preset $p is not in docs/sweep-files.md's table"
  elif [ "$doc" = "$got" ]; then
    pass
  else
    fail "docs/sweep-files.md says preset $p has $doc cases; anebench list gives $got"
  fi
done
echo "test_doc_counts: $PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
