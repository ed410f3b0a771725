#!/usr/bin/env python3
"""e2e_doctor.py: `anebench doctor --backend ane` through the macOS bridge
against the fakes (anebench_fakedarwin). On the m5-hw profile every step
passes and the report (kind anebench-doctor, rewritten step by step, status
complete) says simulated and names the fake framework; hwExecutionTime is
read with counters on. On m4 beginRealTimeTask answers NO: the realtime step
fails with the framework's NSError domain and code, and the alternative
(real time without the normal load) is recorded. With the compile failing
on every call, the compile step fails and the alternatives are tried (ios16,
weights per file, both). With the compiler refusing BLOBFILE offsets other
than 64 (M1 as maderix/ANE's report describes it), the compile fails, ios16
fails too, the per-file layout compiles and the later steps run on it with
a verified output.
Without modelAttributes (every call answering nil) the strides fall back to
flat rows, the flat surfaces are refused on the 128-byte profile (the step
fails), and the alternative that verifies (rows of 128 bytes) is named and
used by the later steps. Every process: no leak, no
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


def doctor(tmp, name, profile, code, fail=None, want_report=False):
    env = dict(os.environ, FAKEDARWIN_PROFILE=profile, ANEBENCH_SIM_SCALE="0.05")
    if fail:
        env["FAKEDARWIN_FAIL"] = fail
    out = os.path.join(tmp, name + ".json")
    p = fdlib.run(chk, "doctor " + name, ["doctor", "--backend", "ane", "-o", out], env=env, code=code)
    try:
        r = fdlib.load(out)
    except (OSError, ValueError) as e:
        want(False, "doctor %s: %s" % (name, e))
        return ({}, {}, {}) if want_report else ({}, {})
    want(r["kind"] == "anebench-doctor" and r["status"] == "complete" and r["running"] is None,
         "%s: report kind/status %r %r" % (name, r.get("kind"), r.get("status")))
    want(r["simulated"] is True and "tests/fakedarwin" in r["device"]["framework"],
         "%s: not labelled simulated / the fake not named" % name)
    want("SIMULATED" in p.stdout, "%s: the summary does not say SIMULATED" % name)
    steps = {s["name"]: s for s in r["steps"]}
    names = [s["name"] for s in r["steps"]]
    for s in r["steps"]:
        want(s["outcome"] in ("ok", "failed", "skipped") and s["call"], "%s: step %r malformed" % (name, s))
        want(s["name"] in p.stdout, "%s: step %s not in the summary" % (name, s["name"]))
    return (steps, names, r) if want_report else (steps, names)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        steps, names = doctor(tmp, "hw", fdlib.HW_PROFILE, 0)
        want(names == ["open", "device", "classes", "model", "compile", "load", "attributes", "surfaces-request",
                       "eval-normal", "stats", "eval-direct", "realtime", "unload"], "hw: steps %r" % names)
        want(all(s["outcome"] == "ok" for s in steps.values()), "hw: a step not ok: %r" %
             [(n, s["outcome"], s["detail"]) for n, s in steps.items() if s["outcome"] != "ok"])
        want(steps.get("stats", {}).get("hw_ns"), "hw: no hwExecutionTime with counters on")
        want("[[model model] modelAttributes]" in steps.get("attributes", {}).get("detail", ""),
             "hw: strides not from modelAttributes")

        steps, _ = doctor(tmp, "m4", fdlib.NO_HW_PROFILE, 1)
        rt = steps.get("realtime", {})
        err = rt.get("error") or {}
        want(rt.get("outcome") == "failed" and rt.get("begin_answered") is False, "m4: realtime %r" % rt)
        want(err.get("domain") == "com.apple.appleneuralengine" and err.get("code") == 5,
             "m4: the framework's domain and code not kept: %r" % err)
        want([a["name"] for a in rt.get("alternatives", [])] == ["loadRealTimeModel: without the normal load"],
             "m4: the real-time alternative not tried: %r" % rt.get("alternatives"))
        want(steps.get("unload", {}).get("outcome") == "ok", "m4: unload after the real-time step")

        steps, names = doctor(tmp, "nocompile", "m5", 1, "compileWithQoS:options:error::-1")
        c = steps.get("compile", {})
        want(c.get("outcome") == "failed" and (c.get("error") or {}).get("code") == -1, "nocompile: %r" % c)
        want([a["name"] for a in c.get("alternatives", [])] ==
             ["MIL program(1.0)/ios16", "weights per file (weights/w0.bin, w1.bin)",
              "MIL program(1.0)/ios16 with weights per file"],
             "nocompile: the alternatives not tried: %r" % c.get("alternatives"))
        want(all(a["outcome"] == "failed" for a in c.get("alternatives", [])), "nocompile: an alternative ok")
        want("load" not in names, "nocompile: went on past a failed compile: %r" % names)

        steps, names, r = doctor(tmp, "m1", fdlib.HW_PROFILE, 1, "BLOBFILE-offset:-1", want_report=True)
        c = steps.get("compile", {})
        alts = {a["name"]: a for a in c.get("alternatives", [])}
        want(c.get("outcome") == "failed" and "offset other than 64" in (c.get("error") or {}).get("text", ""),
             "m1: compile %r" % c)
        want(alts.get("MIL program(1.0)/ios16", {}).get("outcome") == "failed" and
             alts.get("weights per file (weights/w0.bin, w1.bin)", {}).get("outcome") == "ok" and
             "--weights-layout per-file" in alts.get("weights per file (weights/w0.bin, w1.bin)", {}).get("detail", ""),
             "m1: the per-file alternative not found to compile: %r" % alts)
        want(r.get("program") == {"mil_target": "ios18", "weights_layout": "per-file"} and r["case"]["depth"] == 2,
             "m1: the later steps' program %r case %r" % (r.get("program"), r.get("case")))
        want(all(s["outcome"] == "ok" for n, s in steps.items() if n != "compile"),
             "m1: a later step not ok on the per-file program: %r" %
             [(n, s["outcome"], s["detail"]) for n, s in steps.items() if s["outcome"] != "ok"])

        steps, _ = doctor(tmp, "noattrs", fdlib.HW_PROFILE, 1, "modelAttributes:-1")
        a = steps.get("attributes", {})
        want(a.get("outcome") == "ok" and a.get("detail", "").startswith("flat strides"), "noattrs: %r" % a)
        ev = steps.get("eval-normal", {})
        alts = ev.get("alternatives", [])
        want(ev.get("outcome") == "failed" and alts and alts[-1]["outcome"] == "ok" and "128" in alts[-1]["name"],
             "noattrs: the verifying stride not found: %r" % alts)
    return chk.report("doctor through the bridge: every step on m5-hw; m4's real-time refusal with its domain "
                      "and code; ios16 and weights per file tried where compile fails (per file compiling where only offset 64 is taken); the stride that verifies found without "
                      "modelAttributes; labelled simulated, no leak")


if __name__ == "__main__":
    sys.exit(main())
