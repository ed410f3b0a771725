#!/usr/bin/env python3
"""e2e_probe.py: `anebench probe --backend ane` through the macOS bridge
against the fakes (anebench_fakedarwin): on the m5 profile the report holds
the seed's findings (all QoS OK, weights baked, weightsBuffer ignored,
hwExecutionTime populated, procedures 0-15 OK, real time works, chaining and
shared-event classes present); on m4 perf stats stay empty and the real-time
path is refused with the framework's reason. And a run with a framework call
failing on every call (FAKEDARWIN_FAIL) ends with failed cases that carry the
bridge's message, exit status 1, no crashed worker and no leak (a leak makes
a process exit 86). Standard library only."""
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


def probe(profile, tmp):
    env = dict(os.environ, FAKEDARWIN_PROFILE=profile, ANEBENCH_SIM_SCALE="1")
    out = os.path.join(tmp, profile + ".json")
    p = subprocess.run([BIN, "probe", "--backend", "ane", "-o", out], capture_output=True, text=True, env=env)
    want(p.returncode == 0, "probe %s exit %d: %s" % (profile, p.returncode, p.stderr))
    r = json.load(open(out))
    want(r["backend"] == "ane" and r["simulated"] is False, "%s: the bridge reports a device" % profile)
    return {x["name"]: x for x in r["probes"]}, r


def main():
    with tempfile.TemporaryDirectory() as tmp:
        p, r = probe("m5", tmp)
        d = r["device"]
        want(d["chip"] == "Apple M5" and d["family"] == "H16" and d["cores"] == 16, "m5 device %r" % d)
        q = p["qos-sweep"]
        want(q["result"] == "pass" and all(row["status"] == "OK" for row in q["figures"]["rows"]), "qos")
        want([row["qos"] for row in q["figures"]["rows"]] == [0, 1, 5, 10, 21, 33, 47, 63], "qos rows")
        want(p["weight-reload"]["result"] == "fail" and p["weight-reload"]["figures"]["max_diff"] == 0, "baked")
        want(p["weights-buffer"]["result"] == "fail", "weightsBuffer ignored")
        want(p["perf-stats"]["result"] == "pass", "perf stats on m5: %s" % p["perf-stats"]["finding"])
        want(p["procedure-index"]["result"] == "pass", "procedures: %s" % p["procedure-index"]["finding"])
        want(p["realtime"]["result"] == "pass", "realtime on m5: %s" % p["realtime"]["finding"])
        want(p["class-census"]["result"] == "pass", "census")
        want(p["chaining-classes"]["result"] == "pass" and p["shared-event-classes"]["result"] == "pass",
             "chaining/shared-event classes")

        p, r = probe("m4", tmp)
        want(p["perf-stats"]["result"] in ("partial", "fail", "unsupported"), "perf stats on m4 empty")
        rt = p["realtime"]
        want(rt["result"] == "unsupported" and "beginRealTimeTask] returned NO" in rt["finding"],
             "realtime refused on m4 with the reason: %s" % rt["finding"])

        # A framework call failing on every call: failed cases, never a crash.
        env = dict(os.environ, FAKEDARWIN_FAIL="evaluateWithQoS:options:request:error::-1",
                   ANEBENCH_SIM_SCALE="0.05")
        out = os.path.join(tmp, "fail")
        pr = subprocess.run([BIN, "run", "--backend", "ane", "--axis", "cin=64", "--axis", "spatial=32",
                             "--axis", "qos=9,21", "--out", out, "--quiet"], capture_output=True, text=True, env=env)
        want(pr.returncode == 1, "failing run exits 1, got %d: %s" % (pr.returncode, pr.stderr))
        res = [l for l in pr.stdout.splitlines() if l.startswith("results: ")]
        if res:
            rr = json.load(open(os.path.join(res[-1][len("results: "):], "results.json")))
            for c in rr["cases"]:
                want(c["status"] == "failed", "case %s status %s" % (c["key"], c["status"]))
                want("evaluateWithQoS:options:request:error:" in (c["reason"] or ""), "reason %r" % c["reason"])
        else:
            want(False, "no results line: %s" % pr.stdout)
    for e in errors:
        print("FAIL:", e)
    if not errors:
        print("probe through the bridge: the seed's findings on m5, m4's refusals; injected failures are "
              "failed cases")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
