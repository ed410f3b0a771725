#!/usr/bin/env bash
# test_doctor.sh: `anebench doctor` on this Linux machine: with no --backend
# it runs over ane-sim:m5 and says SIMULATED (note, summary, report); every
# step of the report (kind anebench-doctor, status complete) passes and is in
# the one-screen summary; on ane-sim:m4 the realtime step fails (the profile
# refuses the real-time path) and the exit status is 1; a bad option, a
# missing value, an unknown backend and an -o that is a folder are exit 2
# with one line naming the token.
. "$(dirname "$0")/lib.sh"
export ANEBENCH_SIM_SCALE=0.05

expect_exit 0 "doctor on the simulator" -- "$BIN" doctor -o "$TMP/d.json" &&
  cp "$TMP/out" "$TMP/summary"
grep -q "note: no Neural Engine on this machine; the doctor runs over the simulator ane-sim:m5: SIMULATED" \
  "$TMP/summary" && pass || fail "no note that the doctor runs simulated: $(head -3 "$TMP/summary")"
grep -q "(SIMULATED: not the system's Neural Engine" "$TMP/summary" && pass || fail "summary banner missing"
$PY - "$TMP/d.json" "$TMP/summary" <<'PYEOF' && pass || fail "doctor report"
import json, sys
r = json.load(open(sys.argv[1]))
summary = open(sys.argv[2]).read()
errs = []
if r["kind"] != "anebench-doctor" or r["version"] != 1 or r["status"] != "complete" or r["running"] is not None:
    errs.append("header %r" % {k: r.get(k) for k in ("kind", "version", "status", "running")})
if r["simulated"] is not True or r["backend"] != "ane-sim:m5":
    errs.append("simulated %r backend %r" % (r["simulated"], r["backend"]))
names = [s["name"] for s in r["steps"]]
want = ["open", "device", "classes", "model", "compile", "load", "attributes", "surfaces-request", "eval-normal",
        "stats", "eval-direct", "realtime", "unload"]
if names != want:
    errs.append("steps %r" % names)
for s in r["steps"]:
    if s["outcome"] != "ok" or not isinstance(s["ms"], (int, float)) or s["error"] is not None:
        errs.append("step %r" % s)
    if "\n%s " % s["name"] not in summary:
        errs.append("step %s not in the summary" % s["name"])
if r["summary"] != {"ok": 13, "failed": 0, "skipped": 0}:
    errs.append("summary %r" % r["summary"])
if errs:
    print("FAIL: " + "; ".join(errs))
    sys.exit(1)
PYEOF

expect_exit 1 "doctor on m4 (real time refused)" -- "$BIN" doctor --backend ane-sim:m4 -o "$TMP/m4.json"
$PY - "$TMP/m4.json" <<'PYEOF' && pass || fail "m4 doctor report"
import json, sys
r = json.load(open(sys.argv[1]))
rt = [s for s in r["steps"] if s["name"] == "realtime"][0]
if rt["outcome"] != "failed" or rt["begin_answered"] is not False or "beginRealTimeTask answered NO" not in rt["error"]["text"]:
    print("FAIL: realtime %r" % rt)
    sys.exit(1)
PYEOF

expect_usage_error "unknown option" "--frobnicate" -- "$BIN" doctor --frobnicate
expect_usage_error "missing -o value" "-o" -- "$BIN" doctor -o
expect_usage_error "unknown backend" "'m9'" -- "$BIN" doctor --backend ane-sim:m9
mkdir "$TMP/folder"
expect_exit 2 "-o a folder" -- "$BIN" doctor -o "$TMP/folder"
grep -q "folder" "$TMP/err" && pass || fail "-o a folder: $(cat "$TMP/err")"
finish
