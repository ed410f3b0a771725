#!/usr/bin/env python3
"""e2e_presets.py: the qos, procedure and rt presets through `anebench run
--backend ane` on the macOS bridge and the fakes (anebench_fakedarwin), with
modelled waits scaled down: QoS 0-63 and procedures 0-15 all ok and verified;
the rt preset (cin 64 and 256 for time) ok on the m5 profile with the
real-time cases on the real-time path, and on m4 (which refuses real time)
the rt cases failed with the framework's reason, never run the normal way,
the normal cases ok, exit status 1. Standard library only."""
import json
import os
import subprocess
import sys
import tempfile

BIN = os.environ.get("FAKEDARWIN_BIN")
if not BIN:
    print("FAKEDARWIN_BIN not set")
    sys.exit(77)
errors = []


def want(cond, what):
    if not cond:
        errors.append(what)


def run(tmp, name, args, profile="m5", code=0):
    env = dict(os.environ, FAKEDARWIN_PROFILE=profile, ANEBENCH_SIM_SCALE="0.05")
    out = os.path.join(tmp, name)
    p = subprocess.run([BIN, "run", "--backend", "ane", "--min-time", "0", "--max-time", "0.05", "--out", out,
                        "--quiet"] + args, capture_output=True, text=True, env=env)
    want(p.returncode == code, "%s: exit %d, wanted %d: %s" % (name, p.returncode, code, p.stderr.strip()))
    line = [l for l in p.stdout.splitlines() if l.startswith("results: ")]
    if not line:
        want(False, "%s: no results line" % name)
        return []
    return json.load(open(os.path.join(line[-1][len("results: "):], "results.json")))["cases"]


def all_ok(cases, name, n):
    want(len(cases) == n, "%s: %d cases, wanted %d" % (name, len(cases), n))
    for c in cases:
        want(c["status"] == "ok" and c["verify_pass"], "%s: %s %s %s" % (name, c["key"], c["status"], c["reason"]))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        cases = run(tmp, "qos", ["--preset", "qos"])
        all_ok(cases, "qos", 64)
        want(sorted(c["params"]["qos"] for c in cases) == list(range(64)), "qos values 0..63")
        cases = run(tmp, "procedure", ["--preset", "procedure"])
        all_ok(cases, "procedure", 16)
        want(all(c["eval_path"] == "normal" for c in cases), "procedure: normal path")

        cases = run(tmp, "rt-m5", ["--preset", "rt", "--axis", "cin=64,256"])
        all_ok(cases, "rt-m5", 8)
        for c in cases:
            path = "realtime" if c["params"]["mode"] == "rt" else "normal"
            want(c["eval_path"] == path, "rt-m5: %s ran on %s" % (c["key"], c["eval_path"]))

        cases = run(tmp, "rt-m4", ["--preset", "rt", "--axis", "cin=64,256"], profile="m4", code=1)
        want(len(cases) == 8, "rt-m4: %d cases" % len(cases))
        for c in cases:
            if c["params"]["mode"] == "rt":
                want(c["status"] == "failed" and "beginRealTimeTask] returned NO" in (c["reason"] or ""),
                     "rt-m4: %s %s %r" % (c["key"], c["status"], c["reason"]))
            else:
                want(c["status"] == "ok" and c["eval_path"] == "normal", "rt-m4 normal: %s" % c["key"])
    for e in errors:
        print("FAIL:", e)
    if not errors:
        print("qos, procedure and rt presets through the bridge: as on ane-sim")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
