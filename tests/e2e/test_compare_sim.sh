#!/usr/bin/env bash
# ctest: run-serial (measures the simulator's real-time waits)
# test_compare_sim.sh: the issue's "done means": `anebench compare` of an
# ane-sim:m4 and an ane-sim:m5 run of the same sweep gives the classes and
# geomeans that the two profiles predict. The prediction is the simulator's
# steady-state eval model (backends/ane_sim.c, docs/ane-sim.md): the
# dispatch floor overlaps the engine's work,
#   eval_ms = max(dispatch_ms, flops / peak + io_bytes / io_rate)
# with the profiles' figures below (m4: 0.095 ms, 18.6 TFLOPS; m5: 0.067 ms,
# 12.3 TFLOPS; both 100 GB/s). Small cases sit on the floor (M5 ~29%
# faster); the deepest, widest case is compute-bound (M5 ~43% slower: its
# peak is lower). If a profile or the model changes, this test says so.
. "$(dirname "$0")/lib.sh"

run() { # PROFILE
  "$BIN" run --backend "ane-sim:$1" --axis cin=64,512 --axis spatial=64,512 --axis depth=1,8 \
    --warmup 12 --min-samples 25 --max-samples 25 --min-time 0 --out "$TMP/$1" --quiet >"$TMP/run.out" 2>&1
}
run m4
rc=$?
if [ $rc = 2 ] && grep -q "ane-sim" "$TMP/run.out"; then
  echo "SKIP: no ane-sim backend in this build: $(cat "$TMP/run.out")"
  exit 77
fi
[ $rc = 0 ] || { echo "FAIL: m4 run exit $rc: $(cat "$TMP/run.out")"; exit 1; }
run m5 || { echo "FAIL: m5 run: $(cat "$TMP/run.out")"; exit 1; }
M4=$(ls -d "$TMP"/m4/*/)
M5=$(ls -d "$TMP"/m5/*/)

if expect_exit 0 "compare json" -- "$BIN" compare "$M4" "$M5" --format json; then
  "$PY" - "$TMP/out" <<'PYEOF' || fail "classes or geomeans do not match the profiles"
import json, math, sys
c = json.load(open(sys.argv[1]))["comparisons"][0]
prof = {"m4": (0.095, 18.6), "m5": (0.067, 12.3)}   # dispatch ms, peak TFLOPS
io_rate = 100e9                                      # bytes/s, both profiles

def eval_ms(p, cin, spatial, depth):
    dispatch, peak = prof[p]
    flops = 2.0 * cin * cin * spatial * depth
    io = spatial * (cin * 4 + cin * 4)               # fp32 in and out
    return max(dispatch, flops / (peak * 1e12) * 1e3 + io / io_rate * 1e3)

expect, got = {}, {}
for r in c["cases"]:
    kv = dict(t.split("=") for t in r["key"].split()[1:])
    a = (int(kv["cin"]), int(kv["spatial"]), int(kv["depth"]))
    e = eval_ms("m5", *a) / eval_ms("m4", *a)
    expect[a], got[a] = e, r["ratio"]
    want = "faster" if e < 0.95 else "slower" if e > 1.05 else "same"
    assert r["class"] == want, (r["key"], r["class"], want, e, r["ratio"])
    assert abs(r["ratio"] / e - 1) < 0.06, (r["key"], r["ratio"], e)
    assert r["test"] == "mwu" and r["p"] < 0.05, r
assert len(got) == 8, got
s = c["summary"]
assert s["counts"] == {"faster": 7, "slower": 1, "same": 0, "unclear": 0}, s["counts"]
gm = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
assert abs(s["geomean_ratio"] / gm(list(expect.values())) - 1) < 0.04, (s["geomean_ratio"], gm(list(expect.values())))
axes = {"cin": 0, "spatial": 1, "depth": 2}
seen = set()
for g in s["by_axis"]:
    if g["axis"] not in axes:
        continue
    i, v = axes[g["axis"]], int(g["value"])
    want = gm([e for a, e in expect.items() if a[i] == v])
    assert abs(g["geomean_ratio"] / want - 1) < 0.04, (g, want)
    seen.add(g["axis"])
assert seen == set(axes), seen
fields = {f["name"]: f for f in c["context"]["fields"]}
chip = fields["chip"]
assert chip["base"].startswith("Apple M4 (simulated on ") and chip["other"].startswith("Apple M5 (simulated on "), chip
assert chip["differs"], chip
notes = " ".join(c["context"]["notes"])
assert "simulated" in notes, notes
PYEOF
fi
expect_exit 1 "m5 regresses the compute-bound case" -- "$BIN" compare "$M4" "$M5" --fail-on-regression
if expect_exit 0 "md" -- "$BIN" compare "$M4" "$M5" --format md; then
  grep -q "^| case | base (us) | other (us) | ratio | change | class | test | p |$" "$TMP/out" && pass || fail "md header"
  grep -q "simulated" "$TMP/out" && pass || fail "md does not say simulated"
fi
finish
