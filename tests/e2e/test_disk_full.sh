#!/usr/bin/env bash
# test_disk_full.sh: the journal's disk fills up mid-run (RLIMIT_FSIZE via
# `ulimit -f` in a subshell: writes past the limit fail with EFBIG; and,
# where root may mount one in a private mount namespace, a 48 KiB tmpfs that
# really fills: ENOSPC). The run
# stops with a clear error and the resume command, the journal holds only
# complete records (CSV in step), and a resume without the limit completes
# the run with every case exactly once. An unwritable output place is a
# one-line usage error.
. "$(dirname "$0")/lib.sh"

args=(run --backend null --axis cin=1..30 --axis spatial=1 --min-samples 3 --max-samples 20 --min-time 0 --max-time 0.005)
(ulimit -f 16; "$BIN" "${args[@]}" --out "$TMP/r" --quiet) >"$TMP/out" 2>"$TMP/err"
code=$?
[ "$code" = 1 ] && pass || fail "disk full: exit $code, wanted 1; $(cat "$TMP/err")"
grep -qE "cannot (append|write).*cases\.(jsonl|csv): File too large \(the process's file-size limit, ulimit -f\)" "$TMP/err" \
  && pass || fail "file-size limit: no clear error (EFBIG named as such): $(cat "$TMP/err")"
grep -q "resume with: .* run --resume " "$TMP/err" && pass || fail "disk full: no resume command"
dir=$(ls -d "$TMP"/r/*/ | head -1)

if "$PY" - "$dir" <<'PYEOF'; then pass; else fail "journal after disk full"; fi
import csv, json, sys
d = sys.argv[1]
data = open(d + "cases.jsonl", "rb").read()
assert data.endswith(b"\n"), "journal ends mid-line"
recs = [json.loads(l) for l in data.decode().splitlines()]
assert 1 <= len(recs) < 30, len(recs)
rows = list(csv.DictReader(open(d + "cases.csv")))
assert [r["key"] for r in rows] == [r["key"] for r in recs], "csv out of step with the journal"
PYEOF

# More room: the resume finishes the run.
expect_exit 0 "resume after disk full" -- "$BIN" run --resume "$dir" --quiet
if "$PY" - "$dir" <<'PYEOF'; then pass; else fail "files after resume"; fi
import csv, json, sys
d = sys.argv[1]
keys = [json.loads(l)["key"] for l in open(d + "cases.jsonl")]
assert len(keys) == 30 and len(set(keys)) == 30, (len(keys), len(set(keys)))
assert sorted(r["key"] for r in json.load(open(d + "results.json"))["cases"]) == sorted(keys)
assert sorted(r["key"] for r in csv.DictReader(open(d + "cases.csv"))) == sorted(keys)
PYEOF

# A real full disk: a tiny tmpfs in a private mount namespace (root only;
# the mount vanishes with the namespace, so the files are copied out first).
full="$TMP/full"
mkdir -p "$full" "$TMP/fullcopy"
if unshare -m true 2>/dev/null; then
  unshare -m bash -c 'mount --make-rprivate / 2>/dev/null
    mount -t tmpfs -o size=48k tmpfs "$1" || exit 77
    "$2" run --backend null --axis cin=1..60 --axis spatial=1 --min-samples 3 --max-samples 20 --min-time 0 \
      --max-time 0.005 --out "$1/r" --quiet >"$3/out" 2>"$3/err"
    code=$?
    cp -r "$1/r" "$3/fullcopy/"
    exit $code' _ "$full" "$BIN" "$TMP"
  code=$?
  if [ "$code" = 77 ]; then
    echo "note: tmpfs not mountable here; real-ENOSPC part skipped"
  else
    [ "$code" = 1 ] && pass || fail "tmpfs full: exit $code, wanted 1: $(cat "$TMP/err")"
    grep -q "No space left on device" "$TMP/err" && pass || fail "tmpfs full: no clear error: $(cat "$TMP/err")"
    fdir=$(ls -d "$TMP"/fullcopy/r/*/ | head -1)
    if "$PY" - "$fdir" <<'PYEOF'; then pass; else fail "journal on a full tmpfs"; fi
import csv, json, sys
d = sys.argv[1]
data = open(d + "cases.jsonl", "rb").read()
assert data.endswith(b"\n"), "journal ends mid-line"
recs = [json.loads(l) for l in data.decode().splitlines()]
assert 1 <= len(recs) < 60, len(recs)
rows = list(csv.DictReader(open(d + "cases.csv")))
assert [r["key"] for r in rows] == [r["key"] for r in recs], "csv out of step with the journal"
PYEOF
    expect_exit 0 "resume after the tmpfs filled" -- "$BIN" run --resume "$fdir" --quiet
    n=$("$PY" -c 'import json,sys; k=[json.loads(l)["key"] for l in open(sys.argv[1])]; print(len(k), len(set(k)))' \
      "$fdir/cases.jsonl")
    [ "$n" = "60 60" ] && pass || fail "after resume from the full tmpfs: $n"
  fi
else
  echo "note: no private mount namespace here; real-ENOSPC part skipped"
fi

# Nowhere to write: one line naming the place.
# (Under a regular file: no directory can be made there, even by root.)
: >"$TMP/afile"
expect_usage_error "unwritable output" "$TMP/afile/sub" -- "$BIN" "${args[@]}" --out "$TMP/afile/sub"
finish
