#!/usr/bin/env bash
# test_sim_budget.sh: the simulator's compile budget (119 per process) seen
# through `anebench run`: with workers, the scheduler replaces a worker before
# its budget runs out and all 125 cases pass; in one process (--no-isolate)
# compiles 120..125 fail with the 0x50004 text and the run exits 1.
set -u
BIN=${ANEBENCH_BIN:?}
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ANEBENCH_SIM_SCALE=0.001
fast=(--axis cin=1..125 --axis spatial=32 --min-samples 3 --max-samples 3 --min-time 0 --warmup 0 --phase-repeats 1 --quiet)
fails=0

"$BIN" run --backend ane-sim:m5 --compiles-per-worker 500 --out "$tmp/iso" "${fast[@]}" >"$tmp/iso.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "FAIL: isolated run exited $rc: $(tail -3 "$tmp/iso.out")"; fails=$((fails + 1)); }
"$BIN" run --backend ane-sim:m5 --no-isolate --out "$tmp/one" "${fast[@]}" >"$tmp/one.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: in-process run should exit 1, got $rc"; fails=$((fails + 1)); }

$PY - "$tmp" <<'EOF' || fails=$((fails + 1))
import glob, json, sys
def load(sub):
    return json.load(open(glob.glob(sys.argv[1] + "/" + sub + "/*/results.json")[0]))
iso, one = load("iso"), load("one")
errs = []
st = [c["status"] for c in iso["cases"]]
if st.count("ok") != 125:
    errs.append("isolated: %d of 125 ok" % st.count("ok"))
if len({c["worker"] for c in iso["cases"]}) < 2:
    errs.append("isolated: the worker was never replaced")
bad = [c for c in one["cases"] if c["status"] != "ok"]
if len(bad) != 6 or [c["params"]["cin"] for c in bad] != list(range(120, 126)):
    errs.append("in-process: expected cin 120..125 to fail, got %s" % [c["params"]["cin"] for c in bad])
if not all("0x50004" in c["reason"] and c["reason"].startswith("compile:") for c in bad):
    errs.append("in-process: failure reasons %s" % {c["reason"] for c in bad})
if errs:
    print("FAIL: " + "; ".join(errs))
    sys.exit(1)
print("budget: 125 ok across workers; compiles 120-125 refused in one process")
EOF
[ $fails -eq 0 ]
