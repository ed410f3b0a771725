#!/usr/bin/env bash
# test_disk_full.sh: the journal's disk fills up mid-run (RLIMIT_FSIZE via
# `ulimit -f` in a subshell: writes past the limit fail with EFBIG). The run
# stops with a clear error and the resume command, the journal holds only
# complete records (CSV in step), and a resume without the limit completes
# the run with every case exactly once. An unwritable output place is a
# one-line usage error.
. "$(dirname "$0")/lib.sh"

args=(run --backend null --axis cin=1..30 --axis spatial=1 --min-samples 3 --max-samples 20 --min-time 0 --max-time 0.005)
(ulimit -f 16; "$BIN" "${args[@]}" --out "$TMP/r" --quiet) >"$TMP/out" 2>"$TMP/err"
code=$?
[ "$code" = 1 ] && pass || fail "disk full: exit $code, wanted 1; $(cat "$TMP/err")"
grep -qE "cannot (append|write).*cases\.(jsonl|csv)" "$TMP/err" && pass || fail "disk full: no clear error: $(cat "$TMP/err")"
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

# Nowhere to write: one line naming the place.
expect_usage_error "unwritable output" "/proc/anebench" -- "$BIN" "${args[@]}" --out /proc/anebench-no
finish
