#!/usr/bin/env bash
# test_compare.sh: `anebench compare` end to end on generated result files:
# classes and geomeans of a known pattern in every format, markdown that is
# a table, CSV and JSON that parse, sorting, metrics, --fail-on-regression,
# colour only on a terminal, every input kind (run directory, results.json,
# cases.jsonl, cases.csv), probe reports, and exit 2 with one line for each
# kind of bad input.
. "$(dirname "$0")/lib.sh"

GEN=${GEN_COMPARE_FIXTURE:-$(dirname "$BIN")/tools/gen_compare_fixture}
[ -x "$GEN" ] || { echo "SKIP: gen_compare_fixture not built ($GEN)"; exit 77; }

# The generator's pattern (tests/tools/gen_compare_fixture.c): case i%8 of
# OTHER is 0 faster -20%, 1 slower +20%, 2 same +1%, 3 unclear +20%,
# 4 faster -30%, 5 same -2%, 6 failed, 7 same; case N-1 only in BASE, case N
# only in OTHER. With N = 24: 20 compared, 3 status differs.
N=24
"$GEN" "$TMP/base.json" base $N || exit 1
"$GEN" "$TMP/other.json" other $N || exit 1
B=$TMP/base.json
O=$TMP/other.json

# ---- the pattern, checked case by case through JSON ----
if expect_exit 0 "json" -- "$BIN" compare "$B" "$O" --format json; then
  "$PY" - "$TMP/out" <<'EOF' || fail "json content"
import json, math, sys
doc = json.load(open(sys.argv[1]))
assert doc["kind"] == "anebench-compare", doc["kind"]
c, = doc["comparisons"]
want = {0: "faster", 1: "slower", 2: "same", 3: "unclear", 4: "faster", 5: "same", 7: "same"}
factor = {0: 0.8, 1: 1.2, 2: 1.01, 3: 1.2, 4: 0.7, 5: 0.98, 7: 1.0}
ratios = []
for row in c["cases"]:
    kv = dict(t.split("=") for t in row["key"].split()[1:])
    i = int(kv["qos"]) + 64 * int(kv["procedure"])
    assert row["class"] == want[i % 8], (row["key"], row["class"], want[i % 8])
    assert abs(row["ratio"] - factor[i % 8]) < 1e-9, row
    assert abs(row["other"] / row["base"] - row["ratio"]) < 1e-12
    assert abs(row["change_pct"] - (row["ratio"] - 1) * 100) < 1e-9
    assert row["test"] == "mwu" and 0 <= row["p"] <= 1
    ratios.append(row["ratio"])
s = c["summary"]
assert len(ratios) == s["compared"] == 20, s
assert s["counts"] == {"faster": 6, "slower": 3, "same": 8, "unclear": 3}, s["counts"]
gm = math.exp(sum(map(math.log, ratios)) / len(ratios))
assert abs(s["geomean_ratio"] - gm) < 1e-12, (s["geomean_ratio"], gm)
assert s["joined"] == 23 and s["status_differs"] == 3 and s["base_only"] == 1 and s["other_only"] == 1
assert [d["other_status"] for d in c["status_differs"]] == ["failed"] * 3
assert c["base_only"] == ["conv1x1 cin=64 cout=64 spatial=32 depth=1 io=fp32 qos=23 procedure=0 mode=normal"]
assert c["other_only"] == ["conv1x1 cin=64 cout=64 spatial=32 depth=1 io=fp32 qos=24 procedure=0 mode=normal"]
by = {(g["axis"], g["value"]): g for g in s["by_axis"]}
assert {a for a, _ in by} == {"qos"}, by.keys()   # only qos varies among these cases
assert abs(by[("qos", "4")]["geomean_ratio"] - 0.7) < 1e-12
EOF
fi

# ---- terminal table (not a terminal here: no colour) ----
if expect_exit 0 "table" -- "$BIN" compare "$B" "$O"; then
  grep -q "6 faster, 3 slower, 8 same, 3 unclear" "$TMP/out" && pass || fail "table counts: $(cat "$TMP/out")"
  grep -q "status differs" "$TMP/out" && grep -q "only in BASE (1)" "$TMP/out" && grep -q "only in OTHER (1)" "$TMP/out" \
    && pass || fail "table lists apart"
  if grep -q $'\033' "$TMP/out"; then fail "colour escape codes in piped output"; else pass; fi
  [ -s "$TMP/err" ] && fail "table wrote to stderr: $(cat "$TMP/err")" || pass
fi

# ---- colour: on a terminal, and not with NO_COLOR ----
if command -v script >/dev/null 2>&1; then
  in_pty "\"$BIN\" compare \"$B\" \"$O\"" >"$TMP/tty" 2>&1 </dev/null
  grep -q $'\033\\[3[123]m' "$TMP/tty" && pass || fail "no colour on a terminal"
  NO_COLOR=1 in_pty "\"$BIN\" compare \"$B\" \"$O\"" >"$TMP/tty" 2>&1 </dev/null
  if grep -q $'\033\\[' "$TMP/tty"; then fail "colour despite NO_COLOR"; else pass; fi
fi

# ---- markdown renders as a table ----
if expect_exit 0 "md" -- "$BIN" compare "$B" "$O" --format md; then
  "$PY" - "$TMP/out" <<'EOF' || fail "md is not a well-formed table: $(head -40 "$TMP/out")"
import re, sys
lines = open(sys.argv[1]).read().split("\n")
def cells(line):
    return [c for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
tables, cur = [], []
for line in lines + [""]:
    if line.startswith("|"):
        cur.append(line)
    elif cur:
        tables.append(cur)
        cur = []
assert len(tables) >= 3, len(tables)          # header, cases, per-axis (and status differs)
sep = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+$")
for t in tables:
    assert len(t) >= 3, t
    assert sep.match(t[1]), t[1]
    n = len(cells(t[0]))
    for row in t:
        assert len(cells(row)) == n, (row, n)
case_table = [t for t in tables if [c.strip() for c in cells(t[0])][:1] == ["case"] and "ratio" in t[0]]
# the largest changes (10 of the 12 not same), then every case (in <details>)
assert len(case_table) == 2 and len(case_table[0]) == 2 + 10 and len(case_table[1]) == 2 + 20, case_table
assert any("**slower**" in r for r in case_table[1])
EOF
fi

# ---- csv parses, one row per case of every kind ----
if expect_exit 0 "csv" -- "$BIN" compare "$B" "$O" --format csv; then
  "$PY" - "$TMP/out" <<'EOF' || fail "csv content"
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 20 + 3 + 1 + 1, len(rows)
n = collections.Counter(r["class"] for r in rows)
assert n == {"faster": 6, "slower": 3, "same": 8, "unclear": 3, "status-differs": 3, "base-only": 1, "other-only": 1}, n
for r in rows:
    if r["class"] in ("faster", "slower", "same", "unclear"):
        assert abs(float(r["other"]) / float(r["base"]) - float(r["ratio"])) < 1e-9
        assert r["unit"] == "ns" and r["metric"] == "eval"
EOF
fi

# ---- sort, metrics, threshold ----
if expect_exit 0 "sort change" -- "$BIN" compare "$B" "$O" --format csv --sort change; then
  "$PY" - "$TMP/out" <<'EOF' || fail "--sort change is not biggest regression first"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["class"] in ("faster", "slower", "same", "unclear")]
ch = [float(r["change_pct"]) for r in rows]
assert ch == sorted(ch, reverse=True), ch
EOF
fi
if expect_exit 0 "gflops" -- "$BIN" compare "$B" "$O" --format json --metric gflops; then
  "$PY" - "$TMP/out" <<'EOF' || fail "gflops direction"
import json, sys
c = json.load(open(sys.argv[1]))["comparisons"][0]
assert c["higher_is_better"] is True
assert c["summary"]["counts"] == {"faster": 6, "slower": 3, "same": 8, "unclear": 3}, c["summary"]["counts"]
for r in c["cases"]:
    if r["class"] == "faster":
        assert r["ratio"] > 1, r
EOF
fi
if expect_exit 0 "compile" -- "$BIN" compare "$B" "$O" --format json --metric compile; then
  "$PY" - "$TMP/out" <<'EOF' || fail "compile metric: single values, threshold alone"
import json, sys
c = json.load(open(sys.argv[1]))["comparisons"][0]
assert {r["test"] for r in c["cases"]} == {"none"}
assert c["summary"]["counts"] == {"faster": 6, "slower": 6, "same": 8, "unclear": 0}, c["summary"]["counts"]
EOF
fi
if expect_exit 0 "threshold" -- "$BIN" compare "$B" "$O" --format json --threshold 35%; then
  grep -q '"same":	20' "$TMP/out" && pass || fail "--threshold 35 does not make every case same"
fi

# ---- --fail-on-regression ----
expect_exit 1 "regression" -- "$BIN" compare "$B" "$O" --fail-on-regression
[ "$(nlines "$TMP/err")" = 1 ] && grep -q regression "$TMP/err" && pass || fail "regression message: $(cat "$TMP/err")"
grep -q "slower" "$TMP/out" && pass || fail "the table is printed before exit 1"
expect_exit 0 "no regression" -- "$BIN" compare "$B" "$B" --fail-on-regression
expect_exit 0 "other vs itself" -- "$BIN" compare "$O" "$O" --fail-on-regression

# ---- several OTHERs ----
if expect_exit 0 "two others" -- "$BIN" compare "$B" "$O" "$B" --format json; then
  "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["comparisons"])==2' "$TMP/out" \
    && pass || fail "two comparisons expected"
fi

# ---- every input kind: a real run directory and its files ----
if "$BIN" run --backend null --axis cin=64,128 --axis spatial=64 --min-time 0 --max-samples 12 --min-samples 12 \
    --warmup 1 --out "$TMP/runs" --quiet >/dev/null 2>&1; then
  R=$(ls -d "$TMP"/runs/*/ | head -1)
  for a in "$R" "$R/results.json" "$R/cases.jsonl" "$R/cases.csv"; do
    if expect_exit 0 "input $(basename "$a")" -- "$BIN" compare "$R" "$a" --format json; then
      "$PY" -c 'import json,sys; c=json.load(open(sys.argv[1]))["comparisons"][0]; assert c["summary"]["compared"]==2, c["summary"]' \
        "$TMP/out" && pass || fail "input $(basename "$a"): not 2 cases compared"
    fi
  done
else
  fail "anebench run --backend null did not produce a run"
fi

# ---- probe reports: a capability diff ----
if "$BIN" probe --backend ane-sim:m4 -o "$TMP/p4.json" >/dev/null 2>&1 &&
   "$BIN" probe --backend ane-sim:m5 -o "$TMP/p5.json" >/dev/null 2>&1; then
  if expect_exit 0 "probe json" -- "$BIN" compare "$TMP/p4.json" "$TMP/p5.json" --format json; then
    "$PY" - "$TMP/out" <<'EOF' || fail "probe diff content"
import json, sys
c = json.load(open(sys.argv[1]))["comparisons"][0]
dev = {f["name"]: f for f in c["device"]}
assert dev["chip"]["base"] == "Apple M4" and dev["chip"]["other"] == "Apple M5" and dev["chip"]["differs"]
rows = {p["name"]: p for p in c["probes"]}
assert c["probes_differ"] == sum(p["differs"] for p in c["probes"]) >= 1
for p in rows.values():
    assert p["differs"] == (p["base_result"] != p["other_result"]), p
EOF
  fi
  # CSV carries every figure and finding whole (a figure may be a table of rows)
  if expect_exit 0 "probe csv" -- "$BIN" compare "$TMP/p4.json" "$TMP/p5.json" --format csv; then
    "$PY" - "$TMP/out" "$TMP/p4.json" "$TMP/p5.json" <<'EOF' || fail "probe csv loses data"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
reps = [{p["name"]: p for p in json.load(open(f))["probes"]} for f in sys.argv[2:4]]
# both reports come from the simulator: every row says so (column simulated)
assert rows and all(r["simulated"] == "true" for r in rows), rows[0]
n = 0
for r in rows:
    if r["figure"] == "result":
        continue
    for side, rep in (("base", reps[0]), ("other", reps[1])):
        v = rep[r["probe"]]["figures"].get(r["figure"])
        if isinstance(v, (list, dict)):
            assert json.loads(r[side]) == v, (r["probe"], r["figure"], side, r[side][:80])
            n += 1
assert n >= 2, "no structured figure (qos-sweep rows) in the csv"
EOF
  fi
  if expect_exit 0 "probe json" -- "$BIN" compare "$TMP/p4.json" "$TMP/p5.json" --format json; then
    "$PY" - "$TMP/out" "$TMP/p5.json" <<'EOF' || fail "probe findings cut short"
import json, sys
c = json.load(open(sys.argv[1]))["comparisons"][0]
rep = {p["name"]: p for p in json.load(open(sys.argv[2]))["probes"]}
for p in c["probes"]:
    assert p["other_finding"] == rep[p["name"]]["finding"], p["name"]
EOF
  fi
  expect_exit 0 "probe table" -- "$BIN" compare "$TMP/p4.json" "$TMP/p5.json"
  grep -q "simulated" "$TMP/out" && pass || fail "probe table does not say simulated"
  expect_exit 0 "probe md" -- "$BIN" compare "$TMP/p4.json" "$TMP/p5.json" --format md
  expect_usage_error "probe vs run" "p4.json" -- "$BIN" compare "$TMP/p4.json" "$B"
fi

# ---- bad input: exit 2, one line naming the culprit ----
expect_usage_error "missing file" "nonexistent.json" -- "$BIN" compare "$B" "$TMP/nonexistent.json"
printf 'hello, not a result\n' >"$TMP/notes.txt"
expect_usage_error "wrong format" "notes.txt" -- "$BIN" compare "$B" "$TMP/notes.txt"
printf '\x89PNG\r\n\x1a\n\0\0\0' >"$TMP/chart.png"
expect_usage_error "binary file" "chart.png" -- "$BIN" compare "$TMP/chart.png" "$O"
head -c 3000 "$O" >"$TMP/truncated.json"
expect_usage_error "truncated json" "truncated.json" -- "$BIN" compare "$B" "$TMP/truncated.json"
sed 's/"schema_version":1/"schema_version":2/' "$O" >"$TMP/v2.json"
grep -q '"schema_version":2' "$TMP/v2.json" || fail "could not make a schema-2 file"
expect_usage_error "schema version" "v2.json" -- "$BIN" compare "$B" "$TMP/v2.json"
"$GEN" "$TMP/elsewhere.json" base 8 5 cpu 100000 || exit 1
expect_usage_error "no cases in common" "no cases in common" -- "$BIN" compare "$B" "$TMP/elsewhere.json"
printf '{"schema_version":1,"kind":"anebench-run","cases":[]}\n' >"$TMP/empty.json"
expect_usage_error "a metric neither run has" "--metric hw" -- "$BIN" compare "$B" "$O" --metric hw
# a journal cut off mid-line: compared without its last line, and said so
"$PY" - "$O" "$TMP/cut.jsonl" <<'EOF'
import json, sys
cases = json.load(open(sys.argv[1]))["cases"]
with open(sys.argv[2], "w") as f:
    for c in cases:
        f.write(json.dumps(c) + "\n")
    f.write(json.dumps(cases[0])[:200])
EOF
if expect_exit 0 "truncated journal" -- "$BIN" compare "$B" "$TMP/cut.jsonl"; then
  grep -q "cut.jsonl.*last line was incomplete" "$TMP/err" && pass || fail "truncated journal not reported: $(cat "$TMP/err")"
fi
expect_usage_error "no cases at all" "empty.json" -- "$BIN" compare "$B" "$TMP/empty.json"
expect_usage_error "one file" "BASE" -- "$BIN" compare "$B"
expect_usage_error "unknown option" "--colour" -- "$BIN" compare "$B" "$O" --colour
expect_usage_error "bad metric" "speed" -- "$BIN" compare "$B" "$O" --metric speed
expect_usage_error "bad format" "xml" -- "$BIN" compare "$B" "$O" --format xml
expect_usage_error "bad threshold" "-3" -- "$BIN" compare "$B" "$O" --threshold -3
expect_usage_error "bad alpha" "1.5" -- "$BIN" compare "$B" "$O" --alpha 1.5
expect_usage_error "bad sort" "size" -- "$BIN" compare "$B" "$O" --sort size
expect_usage_error "missing value" "--metric" -- "$BIN" compare "$B" "$O" --metric
expect_exit 0 "help" -- "$BIN" compare --help
grep -q -- "--fail-on-regression" "$TMP/out" && pass || fail "help does not list --fail-on-regression"

finish
