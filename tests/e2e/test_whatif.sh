#!/usr/bin/env bash
# test_whatif.sh: the ane-sim:m5-hw profile's hardware times (hwExecutionTime)
# are a what-if (a modelled value no real run produced), and every file and
# chart says so, not only "SIMULATED": run.json (backend.hw_source, hw_note),
# the records and cases.csv (hw_source), compare's table, markdown, JSON and
# CSV (which also carries `simulated`), report, and the titles of the charts
# that draw hardware times. A run of ane-sim:m5 (no hardware times) says
# nothing of the kind.
. "$(dirname "$0")/lib.sh"
export ANEBENCH_SIM_SCALE=0.01
sel=(--axis cin=64,128,256 --axis spatial=64 --min-time 0 --max-time 0.02 --phase-repeats 1 --quiet)

"$BIN" run --backend ane-sim:m5-hw --out "$TMP/hw" "${sel[@]}" >"$TMP/hw.out" 2>&1 || fail "m5-hw run: $(cat "$TMP/hw.out")"
"$BIN" run --backend ane-sim:m5 --out "$TMP/m5" "${sel[@]}" >"$TMP/m5.out" 2>&1 || fail "m5 run: $(cat "$TMP/m5.out")"
hw=$(ls -d "$TMP/hw"/*/ | head -1)
m5=$(ls -d "$TMP/m5"/*/ | head -1)

if "$PY" - "$hw" "$m5" <<'PYEOF'; then pass; else fail "run.json / records / cases.csv"; fi
import csv, json, sys
hw, m5 = sys.argv[1], sys.argv[2]
b = json.load(open(hw + "run.json"))["backend"]
assert b["hw_source"] == "what-if" and "WHAT-IF" in b["hw_note"], b
b5 = json.load(open(m5 + "run.json"))["backend"]
assert b5["hw_source"] is None and "hw_note" not in b5, b5  # the m5 profile gives no hw figures (seed: 0 on M5)
for l in open(hw + "cases.jsonl"):
    r = json.loads(l)
    assert r["has_hw"] and r["hw_source"] == "what-if", (r["key"], r["has_hw"], r["hw_source"])
for l in open(m5 + "cases.jsonl"):
    r = json.loads(l)
    assert not r["has_hw"] and r["hw_source"] is None, (r["key"], r["hw_source"])
rows = list(csv.DictReader(open(hw + "cases.csv")))
assert rows and all(x["hw_source"] == "what-if" for x in rows), [x["hw_source"] for x in rows]
PYEOF

# compare on the hw metric: every format labels the rows what-if.
"$BIN" compare "$hw" "$hw" --metric hw >"$TMP/cmp.txt" 2>&1
grep -q "WHAT-IF: 3 of 3 cases compare hardware times a simulator modelled" "$TMP/cmp.txt" && pass ||
  fail "compare table: $(cat "$TMP/cmp.txt")"
"$BIN" compare "$hw" "$hw" --metric hw --format md >"$TMP/cmp.md" 2>&1
grep -q "WHAT-IF:\*\* 3 of 3 cases" "$TMP/cmp.md" && pass || fail "compare markdown: $(cat "$TMP/cmp.md")"
"$BIN" compare "$hw" "$hw" --metric hw --format json >"$TMP/cmp.json" 2>&1
"$BIN" compare "$hw" "$hw" --metric hw --format csv >"$TMP/cmp.csv" 2>&1
"$BIN" compare "$hw" "$hw" --format csv >"$TMP/cmp_eval.csv" 2>&1
if "$PY" - "$TMP" <<'PYEOF'; then pass; else fail "compare json / csv"; fi
import csv, json, sys
t = sys.argv[1]
c = json.load(open(t + "/cmp.json"))["comparisons"][0]
assert c["summary"]["whatif"] == 3 and all(r["whatif"] for r in c["cases"]), c["summary"]
rows = list(csv.DictReader(open(t + "/cmp.csv")))
assert len(rows) == 3 and all(r["whatif"] == "true" and r["simulated"] == "true" for r in rows), rows
# the eval metric is measured wall time (of a simulator: simulated, not a what-if)
rows = list(csv.DictReader(open(t + "/cmp_eval.csv")))
assert len(rows) == 3 and all(r["whatif"] == "false" and r["simulated"] == "true" for r in rows), rows
PYEOF

# report: the headline row and a paragraph.
"$BIN" report "$hw" >"$TMP/rep.md" 2>&1
grep -q "peak GFLOPS, hardware time (WHAT-IF: modelled, no real run)" "$TMP/rep.md" &&
  grep -q '\*\*WHAT-IF\*\*: the hardware times (hwExecutionTime) of 3 cases' "$TMP/rep.md" && pass ||
  fail "report: $(head -c 3000 "$TMP/rep.md")"
"$BIN" report "$m5" >"$TMP/rep5.md" 2>&1
! grep -q "WHAT-IF" "$TMP/rep5.md" && pass || fail "report of m5 (no hw) says WHAT-IF"

# plot: the chart of hardware times is titled WHAT-IF; one without them is not.
if "$BIN" plot "$hw" >"$TMP/plot.out" 2>&1; then
  grep -q "WHAT-IF hardware times" "$hw/plots/wall_vs_hw.dat" && pass ||
    fail "wall_vs_hw chart title: $(grep title "$hw/plots/wall_vs_hw.dat")"
  ! grep -q "WHAT-IF" "$hw/plots/gflops_vs_channels.dat" && pass || fail "gflops chart (no hw) says WHAT-IF"
else
  fail "plot: $(cat "$TMP/plot.out")"
fi

finish
