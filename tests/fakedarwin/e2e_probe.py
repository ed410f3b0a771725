#!/usr/bin/env python3
"""e2e_probe.py: `anebench probe --backend ane` through the macOS bridge
against the fakes (anebench_fakedarwin): on a profile with perf stats the
report holds the seed's findings (all QoS OK, weights baked, weightsBuffer
ignored, hwExecutionTime populated, procedures 0-15 OK, real time works,
chaining and shared-event classes present); on m4 perf stats stay empty and
the real-time path is refused with the framework's reason (beginRealTimeTask
answers NO, loadRealTimeModel: fails). The report and
its table say simulated (the fake framework is not a device) and give the
OS build as fakedarwin. And a run with a framework call failing on every
call (FAKEDARWIN_FAIL) ends with failed cases that carry the bridge's
message, exit status 1, no crashed worker. `anebench info --json` lists the
bridge's backend with each key once. Every command: no process leaks, no
duplicate JSON key (fdlib.py). Standard library only."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fdlib  # noqa: E402

if not fdlib.BIN:
    print("FAKEDARWIN_BIN not set")
    sys.exit(77)
chk = fdlib.Checks()
want = chk.want


def probe(profile, tmp):
    env = dict(os.environ, FAKEDARWIN_PROFILE=profile, ANEBENCH_SIM_SCALE="1")
    out = os.path.join(tmp, profile + ".json")
    p = fdlib.run(chk, "probe " + profile, ["probe", "--backend", "ane", "-o", out], env=env)
    try:
        r = fdlib.load(out)
    except ValueError as e:
        want(False, "probe %s: %s" % (profile, e))
        return {}, {"device": {}}
    want(r["backend"] == "ane" and r["simulated"] is True, "%s: the report does not say simulated" % profile)
    want("SIMULATED" in p.stdout, "%s: the table does not say SIMULATED" % profile)
    want(r["device"]["os_build"] == "fakedarwin", "%s: os_build %r" % (profile, r["device"]["os_build"]))
    return {x["name"]: x for x in r["probes"]}, r


def info():
    p = fdlib.run(chk, "info", ["info", "--json"])
    try:
        r = fdlib.loads(p.stdout)
    except ValueError as e:
        want(False, "info --json: %s" % e)
        return
    ane = [b for b in r["backends"] if b["name"] == "ane"]
    want(len(ane) == 1 and ane[0]["simulated"] is True and "tests/fakedarwin" in ane[0]["framework"],
         "info: the bridge's backend %r" % ane)
    p = fdlib.run(chk, "info (text)", ["info"])
    block = p.stdout.split("  ane ", 1)[-1].split("\n  ane-sim", 1)[0]
    want(block.count(" simulated ") == 1, "info text: 'simulated' %d times for ane" % block.count(" simulated "))


def main():
    info()
    with tempfile.TemporaryDirectory() as tmp:
        p, r = probe(fdlib.HW_PROFILE, tmp)
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

        p, r = probe(fdlib.NO_HW_PROFILE, tmp)
        want(p["perf-stats"]["result"] in ("partial", "fail", "unsupported"), "perf stats on m4 empty")
        rt = p["realtime"]
        want(rt["result"] == "unsupported" and "beginRealTimeTask answered NO" in rt["finding"],
             "realtime refused on m4 with the reason: %s" % rt["finding"])

        # A framework call failing on every call: failed cases, never a crash.
        env = dict(os.environ, FAKEDARWIN_FAIL="evaluateWithQoS:options:request:error::-1",
                   ANEBENCH_SIM_SCALE="0.05")
        pr = fdlib.run(chk, "failing run", ["run", "--backend", "ane", "--axis", "cin=64", "--axis", "spatial=32",
                                            "--axis", "qos=9,21", "--out", os.path.join(tmp, "fail"), "--quiet"],
                       env=env, code=1)
        cases = fdlib.check_run_files(chk, "failing run", pr)
        want(len(cases) == 2, "failing run: %d cases" % len(cases))
        for c in cases:
            want(c["status"] == "failed", "case %s status %s" % (c["key"], c["status"]))
            want("evaluateWithQoS:options:request:error:" in (c["reason"] or ""), "reason %r" % c["reason"])
    return chk.report("probe through the bridge: the seed's findings with perf stats, m4's refusals; injected "
                      "failures are failed cases; labelled simulated, no leak")


if __name__ == "__main__":
    sys.exit(main())
