#!/usr/bin/env bash
# test_sim_rt.sh: mode=rt and mode=direct through `anebench run` on the
# simulator: m5 grants the real-time task (records say eval_path "realtime"
# and verify; direct cases say "direct"). On m4 beginRealTimeTask answers NO;
# the backend's once-per-process real-time cycle goes on as Espresso does and
# its loadRealTimeModel: fails, so the device lacks the mode: its rt cases are
# skipped with "real-time path refused: beginRealTimeTask answered NO, then
# ..." (not failed: a full M4 sweep must be able to exit 0) and hold no eval
# samples (nothing fell back to the normal path); the normal and direct cases
# of the same run pass, the run exits 0, and `list --backend ane-sim:m4` marks
# the same cases skipped.
set -u
BIN=${ANEBENCH_BIN:?}
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ANEBENCH_SIM_SCALE=0.01
sel=(--axis cin=64,128 --axis spatial=64 --axis mode=normal,rt,direct --min-time 0 --max-time 0.05 --quiet)
fails=0
"$BIN" run --backend ane-sim:m5 --out "$tmp/m5" "${sel[@]}" >"$tmp/m5.out" 2>&1
rc=$?; [ $rc -eq 0 ] || { echo "FAIL: m5 rt run exited $rc: $(tail -2 "$tmp/m5.out")"; fails=$((fails + 1)); }
"$BIN" run --backend ane-sim:m4 --out "$tmp/m4" "${sel[@]}" >"$tmp/m4.out" 2>&1
rc=$?; [ $rc -eq 0 ] || { echo "FAIL: m4 rt run should exit 0 (rt cases skipped), got $rc"; fails=$((fails + 1)); }
"$BIN" list --backend ane-sim:m4 "${sel[@]}" >"$tmp/m4.list" 2>&1
[ "$(grep -c 'mode=rt  (skipped: real-time path refused: ' "$tmp/m4.list")" = 2 ] ||
  { echo "FAIL: list on m4 does not mark the 2 rt cases skipped: $(cat "$tmp/m4.list")"; fails=$((fails + 1)); }
$PY - "$tmp" <<'PYEOF' || fails=$((fails + 1))
import glob, json, sys
def load(sub):
    return json.load(open(glob.glob(sys.argv[1] + "/" + sub + "/*/results.json")[0]))
errs = []
for c in load("m5")["cases"]:
    mode = c["params"]["mode"]
    want = {"rt": "realtime", "direct": "direct"}.get(mode, "normal")
    if c["status"] != "ok" or c["eval_path"] != want or not c["verify_pass"]:
        errs.append("m5 %s: %s %s" % (mode, c["status"], c["eval_path"]))
for c in load("m4")["cases"]:
    if c["params"]["mode"] != "rt":
        if c["status"] != "ok":
            errs.append("m4 %s: %s" % (c["params"]["mode"], c["status"]))
    elif (c["status"] != "skipped" or "real-time path refused: beginRealTimeTask answered NO, then " not in (c["reason"] or "")
          or (c["eval_ns"] and c["eval_ns"]["n"]) or c["eval_samples_ns"]):
        errs.append("m4 rt: %s %r samples=%r" % (c["status"], c["reason"], c["eval_samples_ns"]))
if errs:
    print("FAIL: " + "; ".join(errs))
    sys.exit(1)
print("rt: m5 evaluates on the real-time and direct paths; m4 answers NO, its rt cases skipped, nothing falls back")
PYEOF
[ $fails -eq 0 ]
