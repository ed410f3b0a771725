#!/usr/bin/env bash
# test_repeat.sh: `run --repeat N` rounds of the sweep, end to end. A 2-round
# run interleaves its rounds (round 1 of every case, then round 2) and keeps
# every round's record in the journal, results.json and cases.csv; a run
# interrupted in the middle of round 2 resumes with exactly the (case, round)
# pairs it lacks; compare and report merge a case's rounds (median of the
# rounds' medians) and show the spread between them; a bad --repeat is exit 2
# naming the token.
. "$(dirname "$0")/lib.sh"

# Each case samples for 0.3 s: the run is still in round 2 when it is stopped.
slow=(--backend cpu --axis cin=128,160,192,224 --axis spatial=256 --min-samples 3 --min-time 0.3 --max-time 0.3
  --phase-repeats 1)

# Bad values: exit 2, one line naming the token.
expect_usage_error "--repeat 0" "--repeat" -- "$BIN" run --repeat 0 --out "$TMP/bad"
expect_usage_error "--repeat x" "'x'" -- "$BIN" run --repeat x --out "$TMP/bad"
expect_usage_error "--repeat 1001" "1001" -- "$BIN" list --repeat 1001
[ ! -e "$TMP/bad" ] && pass || fail "a refused run left $TMP/bad"
"$BIN" run --help | grep -q -- "--repeat N" && pass || fail "--repeat is not in run --help"

# list says each case's round, round after round.
"$BIN" list "${slow[@]}" --repeat 2 >"$TMP/list" 2>&1
if "$PY" - "$TMP/list" <<'PYEOF'; then pass; else fail "list --repeat 2: $(cat "$TMP/list")"; fi
import sys
lines = open(sys.argv[1]).read().splitlines()
assert lines[-1] == "8 cases", lines[-1]
rounds = [l.rsplit("(round ", 1)[1].rstrip(")") for l in lines[:-1]]
assert rounds == ["1"] * 4 + ["2"] * 4, rounds
PYEOF

# A 2-round run stopped (SIGTERM) in the middle of round 2.
"$BIN" run "${slow[@]}" --repeat 2 --out "$TMP/r" --quiet >"$TMP/r.out" 2>"$TMP/r.err" &
pid=$!
dir=""
for _ in $(seq 400); do dir=$(ls -d "$TMP/r"/*/ 2>/dev/null | head -1); [ -n "$dir" ] && break; sleep 0.05; done
for _ in $(seq 600); do
  [ -f "$dir/cases.jsonl" ] && [ "$(nlines "$dir/cases.jsonl")" -ge 5 ] && break
  sleep 0.05
done
kill -TERM $pid
wait $pid
code=$?
[ "$code" = 130 ] && pass || fail "interrupted run: exit $code, wanted 130: $(cat "$TMP/r.err")"
done_before=$(nlines "$dir/cases.jsonl")
[ "$done_before" -ge 5 ] && [ "$done_before" -lt 8 ] && pass ||
  fail "the run was not stopped in round 2 ($done_before records)"

# list --resume: only round-2 cases are left.
"$BIN" list --resume "$dir" >"$TMP/left" 2>&1
left=$(grep -c "(round 2)" "$TMP/left")
[ "$left" = $((8 - done_before)) ] && ! grep -q "(round 1)" "$TMP/left" && pass ||
  fail "list --resume: $(cat "$TMP/left")"

"$BIN" run --resume "$dir" --quiet >"$TMP/res.out" 2>"$TMP/res.err" && pass ||
  fail "resume: $(cat "$TMP/res.err")"
if "$PY" - "$dir" "$done_before" <<'PYEOF'; then pass; else fail "files after the resume"; fi
import csv, json, sys
d, before = sys.argv[1], int(sys.argv[2])
recs = [json.loads(l) for l in open(d + "cases.jsonl")]
pairs = [(r["key"], r["round"]) for r in recs]
assert len(pairs) == 8 and len(set(pairs)) == 8, pairs
keys = sorted({k for k, _ in pairs})
assert len(keys) == 4 and sorted(pairs) == sorted((k, r) for k in keys for r in (1, 2)), pairs
# interleaved: every round-1 record before every round-2 record
assert [r for _, r in pairs] == [1] * 4 + [2] * 4, pairs
assert all(r["status"] == "ok" for r in recs), [r["status"] for r in recs]
res = json.load(open(d + "results.json"))
assert sorted((c["key"], c["round"]) for c in res["cases"]) == sorted(pairs)
rows = list(csv.DictReader(open(d + "cases.csv")))
assert sorted((r["key"], int(r["round"])) for r in rows) == sorted(pairs)
meta = json.load(open(d + "run.json"))
assert meta["settings"]["repeat"] == 2, meta["settings"]
PYEOF

# A 1-round run of the same sweep, then compare: one row per case, the
# 2-round side's rounds and spread said in every output format.
"$BIN" run "${slow[@]}" --min-time 0 --max-time 0.02 --out "$TMP/one" --quiet >/dev/null 2>&1 ||
  fail "1-round run"
one=$(ls -d "$TMP/one"/*/ | head -1)
"$BIN" compare "$one" "$dir" --format json >"$TMP/cmp.json" 2>"$TMP/cmp.err"
if "$PY" - "$TMP/cmp.json" <<'PYEOF'; then pass; else fail "compare --format json: $(cat "$TMP/cmp.err")"; fi
import json, sys
c = json.load(open(sys.argv[1]))["comparisons"][0]
rows = c["cases"]
assert len(rows) == 4, len(rows)
assert c["summary"]["rounds_base"] == 1 and c["summary"]["rounds_other"] == 2, c["summary"]
for r in rows:
    assert r["rounds_base"] == 1 and r["rounds_other"] == 2, r
    assert r["round_spread_base_pct"] is None and r["round_spread_other_pct"] >= 0, r
    assert isinstance(r["rounds_overlap"], bool), r
PYEOF
"$BIN" compare "$dir" "$dir" --format csv >"$TMP/cmp.csv" 2>"$TMP/cmp.err"
if "$PY" - "$TMP/cmp.csv" <<'PYEOF'; then pass; else fail "compare --format csv: $(cat "$TMP/cmp.err")"; fi
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 4, rows
for r in rows:
    assert r["class"] == "same" and r["rounds_base"] == "2" and r["rounds_other"] == "2", r
    assert float(r["round_spread_base_pct"]) == float(r["round_spread_other_pct"]) >= 0, r
PYEOF
"$BIN" compare "$one" "$dir" >"$TMP/cmp.txt" 2>&1
grep -q "rounds (--repeat): 1 in BASE, 2 in OTHER" "$TMP/cmp.txt" && grep -q "spread base/other" "$TMP/cmp.txt" &&
  pass || fail "compare table: $(cat "$TMP/cmp.txt")"

# report: one row per case, and the rounds said.
"$BIN" report "$dir" >"$TMP/rep.md" 2>&1 && grep -q "ran its sweep 2 times (--repeat)" "$TMP/rep.md" &&
  grep -q "Spread between rounds" "$TMP/rep.md" && pass || fail "report: $(head -c 2000 "$TMP/rep.md")"

# export keeps every round's record (compare reads the export as it reads the run).
"$BIN" export "$dir" -o "$TMP/exp.json" >/dev/null 2>"$TMP/exp.err" || fail "export: $(cat "$TMP/exp.err")"
"$PY" -c 'import json,sys; c=json.load(open(sys.argv[1]))["cases"]; sys.exit(sorted(x["round"] for x in c) != [1]*4+[2]*4)' \
  "$TMP/exp.json" && pass || fail "export does not keep every round's record"

finish
