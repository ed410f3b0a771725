#!/usr/bin/env bash
# test_full_m4.sh: the `full` preset on ane-sim:m4 exits 0, its real-time
# cases skipped with the reason (an M4 has no real-time path), covering every
# rt case of the preset without running the whole preset (too slow for a
# test: 607 cases, hours of simulated work on this machine).
#  1. The decision over the whole preset: `list --preset full --backend
#     ane-sim:m4` asks the backend exactly what the scheduler asks before a
#     case (its supports check): every mode=rt case of full, and no other, is
#     marked skipped with "real-time path refused: beginRealTimeTask answered
#     NO", the rest (583) runnable.
#  2. The run: every sub-sweep of full.json that holds mode=rt, run with mode
#     rt only (its normal cases are the kind every other sim test runs), on
#     ane-sim:m4: exit 0, one record per rt case of full, each skipped with
#     that reason and no samples, and the same keys as step 1's.
. "$(dirname "$0")/lib.sh"
export ANEBENCH_SIM_SCALE=0.01

"$BIN" list --preset full --backend ane-sim:m4 >"$TMP/list" 2>"$TMP/list.err" || fail "list: $(cat "$TMP/list.err")"
"$PY" - "$TMP/list" "$TMP/rt_keys" <<'PYEOF' && pass || fail "list --preset full --backend ane-sim:m4"
import sys
lines = open(sys.argv[1]).read().splitlines()
assert lines[-1] == "607 cases", lines[-1]
cases = lines[:-1]
skipped = [l for l in cases if "  (skipped: " in l]
rt = [l for l in cases if l.split("  (")[0].endswith(" mode=rt")]
assert len(rt) == 24, len(rt)
assert skipped == rt, [l for l in skipped if l not in rt][:3] + [l for l in rt if l not in skipped][:3]
for l in rt:
    assert "(skipped: real-time path refused: beginRealTimeTask answered NO" in l, l
assert len(cases) - len(skipped) == 583
open(sys.argv[2], "w").write("\n".join(sorted(l.split("  (")[0] for l in rt)) + "\n")
PYEOF

# Every sub-sweep of full that holds rt, with mode rt only.
"$PY" - "$SRC/bench/presets/full.json" "$TMP/rt.json" <<'PYEOF' || fail "making the rt sweep"
import json, sys
full = json.load(open(sys.argv[1]))
subs = []
for s in full["sweeps"]:
    mode = str(s.get("axes", {}).get("mode", ""))
    if "rt" in mode.split(","):
        s = dict(s, axes=dict(s["axes"], mode="rt"))
        subs.append(s)
assert subs, "full.json has no sub-sweep with mode=rt"
json.dump({"name": "full-rt", "settings": full.get("settings", {}), "sweeps": subs}, open(sys.argv[2], "w"))
PYEOF
"$BIN" run --sweep "$TMP/rt.json" --backend ane-sim:m4 --out "$TMP/run" --quiet >"$TMP/run.out" 2>&1
code=$?
[ "$code" = 0 ] && pass || fail "run of full's rt cases on ane-sim:m4: exit $code, wanted 0: $(tail -3 "$TMP/run.out")"
dir=$(ls -d "$TMP/run"/*/ 2>/dev/null | head -1)
"$PY" - "$dir" "$TMP/rt_keys" <<'PYEOF' && pass || fail "records of full's rt cases on m4"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1] + "cases.jsonl")]
want = open(sys.argv[2]).read().split("\n")[:-1]
assert sorted(r["key"] for r in recs) == want, (len(recs), len(want))
for r in recs:
    assert r["status"] == "skipped", (r["key"], r["status"])
    assert r["reason"].startswith("real-time path refused: beginRealTimeTask answered NO"), r["reason"]
    assert not r["eval_samples_ns"] and not (r["eval_ns"] and r["eval_ns"]["n"]), r["key"]
PYEOF

finish
