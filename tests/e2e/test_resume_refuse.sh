#!/usr/bin/env bash
# test_resume_refuse.sh: `run --resume DIR` refuses (exit 2, one line naming
# what differs, journal untouched) when settings, backend or machine differ
# from run.json, and goes on with --force (noted in run.json). Also: bad
# --resume uses, and --retry-failed re-running failed cases exactly once.
. "$(dirname "$0")/lib.sh"

fast=(--min-samples 3 --max-samples 20 --min-time 0 --max-time 0.005)
expect_exit 0 "first run" -- "$BIN" run --backend null --axis cin=1..4 --axis spatial=1 "${fast[@]}" --out "$TMP/r" --quiet
dir=$(ls -d "$TMP"/r/*/ | head -1)
before=$(cksum <"$dir/cases.jsonl")

expect_usage_error "changed setting" "settings.max_time" -- "$BIN" run --resume "$dir" --max-time 0.2
grep -q -- "--force" "$TMP/err" && pass || fail "refusal does not mention --force"
expect_usage_error "changed backend" "backend.name" -- "$BIN" run --resume "$dir" --backend cpu
[ "$(cksum <"$dir/cases.jsonl")" = "$before" ] && pass || fail "a refused resume touched the journal"

# Another machine: run.json's host differs.
cp -r "$dir" "$TMP/moved"
"$PY" - "$TMP/moved/run.json" <<'PYEOF'
import json, sys
m = json.load(open(sys.argv[1]))
m["host"]["hostname"] = "some-other-mac"
json.dump(m, open(sys.argv[1], "w"))
PYEOF
expect_usage_error "other machine" "host.hostname" -- "$BIN" run --resume "$TMP/moved"

# --force goes on, and says so in run.json.
expect_exit 0 "forced resume" -- "$BIN" run --resume "$dir" --max-time 0.2 --force --quiet
if "$PY" - "$dir" <<'PYEOF'; then pass; else fail "forced resume note"; fi
import json, sys
m = json.load(open(sys.argv[1] + "run.json"))
r = m["resumed"][-1]
assert r["forced"] is True and "settings.max_time" in r["differences"], r
assert m["settings"]["max_time"] == 0.005, m["settings"]["max_time"]  # the run's own settings stay
assert m["finished"] is not None
keys = [json.loads(l)["key"] for l in open(sys.argv[1] + "cases.jsonl")]
assert len(keys) == 4 and len(set(keys)) == 4
PYEOF

# A journal whose last line was cut off mid-write (power loss): reported,
# dropped, that case run again; each case once afterwards.
"$PY" - "$dir" <<'PYEOF'
import sys
p = sys.argv[1] + "cases.jsonl"
data = open(p, "rb").read()
last = data.rstrip(b"\n").rfind(b"\n") + 1
open(p, "wb").write(data[:last + (len(data) - last) // 2])
PYEOF
expect_exit 0 "resume after a cut-off journal line" -- "$BIN" run --resume "$dir" --quiet
grep -q "cut off mid-write" "$TMP/err" && pass || fail "cut-off line not reported: $(cat "$TMP/err")"
if "$PY" - "$dir" <<'PYEOF'; then pass; else fail "files after the cut-off line"; fi
import csv, json, sys
d = sys.argv[1]
keys = [json.loads(l)["key"] for l in open(d + "cases.jsonl")]
assert len(keys) == 4 and len(set(keys)) == 4, keys
assert [r["key"] for r in csv.DictReader(open(d + "cases.csv"))] == keys
assert json.load(open(d + "run.json"))["resumed"][-1]["truncated_tail_dropped"] is True
PYEOF

# Bad uses: one line each.
expect_usage_error "no such run" "$TMP/nope" -- "$BIN" run --resume "$TMP/nope"
expect_usage_error "selection with resume" "selection" -- "$BIN" run --resume "$dir" --preset quick
expect_usage_error "out with resume" "--out" -- "$BIN" run --resume "$dir" --out "$TMP/x"
expect_usage_error "force without resume" "--force" -- "$BIN" run --backend null --force --out "$TMP/x"

# --retry-failed: a failed case runs again (here on a backend without the
# fault, hence --force) and ends up in the files once.
expect_exit 1 "run with a failure" -- "$BIN" run --backend 'fault:error@cin=2' --axis cin=1..3 --axis spatial=4 \
  "${fast[@]}" --out "$TMP/f" --quiet
fdir=$(ls -d "$TMP"/f/*/ | head -1)
expect_exit 1 "plain resume of a finished run runs nothing, still reports the failure" -- \
  "$BIN" run --resume "$fdir" --quiet
grep -q "3 cases: 2 ok, 0 skipped, 1 failed" "$TMP/out" && pass || fail "summary after resume: $(cat "$TMP/out")"
expect_exit 0 "retry-failed" -- "$BIN" run --resume "$fdir" --retry-failed --force --backend 'fault:budget@99' --quiet
if "$PY" - "$fdir" <<'PYEOF'; then pass; else fail "retry-failed files"; fi
import csv, json, sys
d = sys.argv[1]
recs = [json.loads(l) for l in open(d + "cases.jsonl")]
assert sorted(r["params"]["cin"] for r in recs) == [1, 2, 3], [r["params"]["cin"] for r in recs]
assert all(r["status"] == "ok" for r in recs), [r["status"] for r in recs]
assert len(list(csv.DictReader(open(d + "cases.csv")))) == 3
assert len(json.load(open(d + "results.json"))["cases"]) == 3
m = json.load(open(d + "run.json"))
assert m["resumed"][-1]["retried_failed"] == 1, m["resumed"][-1]
PYEOF
finish
