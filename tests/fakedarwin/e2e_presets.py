#!/usr/bin/env python3
"""e2e_presets.py: the qos, procedure and rt presets through `anebench run
--backend ane` on the macOS bridge and the fakes (anebench_fakedarwin), with
modelled waits scaled down: QoS 0-63 and procedures 0-15 all ok and verified;
the rt preset (cin 64 and 256 for time) ok on a profile with perf stats, the
real-time cases on the real-time path and with hwExecutionTime as the normal
ones; on m4 (which refuses real time) the rt cases skipped with the
framework's reason (a device without the mode), never run the normal way,
the normal cases ok, exit status 0. One run in a single process (--no-isolate), whose exit code shows
a leak too. Every run: no process leaks (stderr), no duplicate JSON key,
every file says simulated and names the fake framework (fdlib.py).
Standard library only."""
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


def run(tmp, name, args, profile=fdlib.HW_PROFILE, code=0):
    env = dict(os.environ, FAKEDARWIN_PROFILE=profile, ANEBENCH_SIM_SCALE="0.05")
    p = fdlib.run(chk, name, ["run", "--backend", "ane", "--min-time", "0", "--max-time", "0.05", "--out",
                              os.path.join(tmp, name), "--quiet"] + args, env=env, code=code)
    return fdlib.check_run_files(chk, name, p)


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

        cases = run(tmp, "rt-hw", ["--preset", "rt", "--axis", "cin=64,256"])
        all_ok(cases, "rt-hw", 8)
        for c in cases:
            path = "realtime" if c["params"]["mode"] == "rt" else "normal"
            want(c["eval_path"] == path, "rt-hw: %s ran on %s" % (c["key"], c["eval_path"]))
            # hwExecutionTime from the stats batch, on the real-time path too.
            want(c["has_hw"], "rt-hw: %s without hwExecutionTime: %s" % (c["key"], c["hw_reason"]))

        cases = run(tmp, "rt-m4", ["--preset", "rt", "--axis", "cin=64,256"], profile=fdlib.NO_HW_PROFILE, code=0)
        want(len(cases) == 8, "rt-m4: %d cases" % len(cases))
        for c in cases:
            if c["params"]["mode"] == "rt":
                # beginRealTimeTask answered NO and the loadRealTimeModel: that
                # follows (as Espresso goes on) failed: the device lacks the mode.
                want(c["status"] == "skipped" and "beginRealTimeTask answered NO, then" in (c["reason"] or "")
                     and "loadRealTimeModel:options:qos:error:] failed" in (c["reason"] or ""),
                     "rt-m4: %s %s %r" % (c["key"], c["status"], c["reason"]))
            else:
                want(c["status"] == "ok" and c["eval_path"] == "normal", "rt-m4 normal: %s" % c["key"])

        cases = run(tmp, "no-isolate", ["--preset", "rt", "--axis", "cin=64", "--no-isolate"])
        all_ok(cases, "no-isolate", 4)
    return chk.report("qos, procedure and rt presets through the bridge: as on ane-sim, no leak, labelled "
                      "simulated")


if __name__ == "__main__":
    sys.exit(main())
