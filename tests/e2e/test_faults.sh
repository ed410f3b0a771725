#!/usr/bin/env bash
# test_faults.sh: a sweep through every fault kind at once (fault:SPEC
# engine, isolated workers). The sweep finishes; each faulty case has the
# right status and reason; every other case is ok with sane timings; no
# worker outlives its compile budget; --retries re-runs a crash in fresh
# workers; --no-isolate meets the budget wall; the files parse and agree.
. "$(dirname "$0")/lib.sh"
# Sanitizer builds: let the planned signals kill the worker as they would.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:handle_segv=0:handle_abort=0:handle_sigbus=0"

SPEC='fault:segv@cin=2,abort@cin=3,hang@cin=4,error@cin=5,wrong@cin=6,error@cin=9+phase=eval,budget@2'
fast=(--min-samples 3 --max-samples 50 --warmup 1 --min-time 0 --max-time 0.02 --phase-repeats 1)

# A spec longer than a backend spec can be (511 characters) is refused, saying so.
long="fault:$(printf 'error@cin=%d,' $(seq 1 60))error@cin=61"
expect_usage_error "too long a spec" "at most 511 characters" -- "$BIN" list --axis cin=1 --backend "$long"
# ... and one just under it is taken whole: its last rule still applies.
long="fault:$(printf 'error@cin=%d+phase=load,' $(seq 100 117))error@cin=7"
expect_exit 1 "a long spec" -- "$BIN" run --axis cin=7 --axis spatial=16 --backend "$long" --quiet \
  --out "$TMP/long" --min-samples 3 --max-time 0.02 --min-time 0
grep -q '"reason":"compile: fault: injected error' "$TMP"/long/*/cases.jsonl && pass || fail "the long spec's last rule did not apply"

expect_exit 1 "fault sweep (a case failed -> exit 1)" -- \
  "$BIN" run --backend "$SPEC" --axis cin=1..10 --axis spatial=16 --timeout 3 --out "$TMP/r" --quiet "${fast[@]}"
dir=$(ls -d "$TMP"/r/*/ 2>/dev/null | head -1)
[ -n "$dir" ] || { fail "no run directory"; finish; exit 1; }
grep -q "^10 cases: 4 ok, 0 skipped, 2 failed, 2 crashed, 1 timeout, 1 wrong-output$" "$TMP/out" || fail "summary line: $(cat "$TMP/out")"

if "$PY" - "$dir" <<'PYEOF'; then pass; else fail "fault sweep records"; fi
import csv, json, math, sys, collections
d = sys.argv[1]
meta = json.load(open(d + "run.json"))
res = json.load(open(d + "results.json"))
lines = open(d + "cases.jsonl").read().splitlines()
recs = [json.loads(l) for l in lines]
rows = list(csv.DictReader(open(d + "cases.csv")))
bad = []
def check(cond, what):
    if not cond:
        bad.append(what)
check(meta["finished"] is not None, "run.json finished")
check(len(recs) == 10 and len(res["cases"]) == 10 and len(rows) == 10, "10 records in every file")
check([r["key"] for r in recs] == [r["key"] for r in res["cases"]] == [r["key"] for r in rows], "same keys, same order")
check(len(set(r["key"] for r in recs)) == 10, "each case once")
by = {r["params"]["cin"]: r for r in recs}
want = {
    2: ("crashed", "SIGSEGV"),
    3: ("crashed", "SIGABRT"),
    4: ("timeout", "timeout"),
    5: ("failed", "compile: fault: injected error in compile (error@cin=5)"),
    6: ("wrong-output", "differs from the CPU reference"),
    9: ("failed", "first eval: fault: injected error in eval"),
}
for cin, r in sorted(by.items()):
    if cin in want:
        st, why = want[cin]
        check(r["status"] == st, f"cin={cin}: status {r['status']} != {st}")
        check(why in (r["reason"] or ""), f"cin={cin}: reason {r['reason']!r} lacks {why!r}")
    else:
        check(r["status"] == "ok", f"cin={cin}: status {r['status']} ({r['reason']})")
        e = r["eval_ns"]
        check(3 <= e["n"] <= 50, f"cin={cin}: {e['n']} samples")
        check(0 < e["min"] <= e["median"] <= e["max"] < 1e9, f"cin={cin}: eval times {e}")
        for ph in ("compile_ms", "load_ms", "first_eval_ms", "unload_ms", "reload_ms"):
            check(r[ph] is not None and 0 <= r[ph] < 2000, f"cin={cin}: {ph} = {r[ph]}")
        check(r["gflops_wall"] is not None and 0 < r["gflops_wall"] < 1e4, f"cin={cin}: gflops {r['gflops_wall']}")
        check(r["verify_pass"] is True and r["max_abs_err"] <= r["tolerance"], f"cin={cin}: verification")
    check(r["worker"] >= 1, f"cin={cin}: ran in a worker")
    check(r["attempt"] == 1, f"cin={cin}: attempt {r['attempt']}")
# The timeout was the limit, not more than a little over it.
check(2.5 <= by[4]["wall_s"] < 10, f"hang: wall {by[4]['wall_s']}")
# budget@2: no worker ran more than two cases, and no case met the wall.
per_worker = collections.Counter(r["worker"] for r in recs)
check(max(per_worker.values()) <= 2, f"cases per worker {dict(per_worker)}")
check(not any("budget" in (r["reason"] or "") for r in recs), "a case hit the compile budget")
# A failed case's worker is never reused.
order = [r["params"]["cin"] for r in recs]
for cin in want:
    w = by[cin]["worker"]
    later = [r["params"]["cin"] for r in recs[order.index(cin) + 1:] if r["worker"] == w]
    check(not later, f"worker {w} reused after cin={cin} for {later}")
if bad:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1)
PYEOF

# --retries: a crash is tried again, each time in a fresh worker.
expect_exit 1 "retries" -- "$BIN" run --backend 'fault:segv@cin=32' --axis cin=16,32 --axis spatial=16 --retries 2 \
  --out "$TMP/retry" --quiet "${fast[@]}"
if "$PY" - "$TMP"/retry/*/cases.jsonl <<'PYEOF'; then pass; else fail "retries"; fi
import json, sys
recs = {json.loads(l)["params"]["cin"]: json.loads(l) for l in open(sys.argv[1])}
r = recs[32]
assert r["status"] == "crashed" and r["attempt"] == 3, (r["status"], r["attempt"])
assert recs[16]["status"] == "ok" and recs[16]["attempt"] == 1
# workers 1 (cin=16 ran first, then crashed on 32), 2 and 3 for the retries
assert r["worker"] == 3, r["worker"]
PYEOF

# In-process there is no fresh process: the third compile meets the wall.
expect_exit 1 "no-isolate budget" -- "$BIN" run --backend 'fault:budget@2' --axis cin=16,32,48 --axis spatial=16 \
  --no-isolate --out "$TMP/inproc" --quiet "${fast[@]}"
if "$PY" - "$TMP"/inproc/*/cases.jsonl <<'PYEOF'; then pass; else fail "no-isolate budget"; fi
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert [r["status"] for r in recs] == ["ok", "ok", "failed"], [r["status"] for r in recs]
assert "compile budget exhausted" in recs[2]["reason"], recs[2]["reason"]
assert all(r["worker"] == 0 for r in recs)
PYEOF

# Bad fault specs: exit 2, one line naming the token.
expect_usage_error "unknown fault kind" "segfault" -- "$BIN" run --backend fault:segfault --out "$TMP/x"
expect_usage_error "unknown fault axis" "colour" -- "$BIN" run --backend 'fault:segv@colour=1' --out "$TMP/x"
expect_usage_error "bad fault phase" "warmup" -- "$BIN" run --backend 'fault:error@phase=warmup' --out "$TMP/x"
finish
