#!/usr/bin/env python3
"""e2e_families.py: every kernel family through `anebench run --backend ane`
on the macOS bridge and the fakes (anebench_fakedarwin), whose compiler is
the simulator's MIL reader: conv1x1, conv2d (same and valid), matmul
(linear on a rank-3 tensor) and w8a8 (constexpr_affine_dequantize,
quantize/dequantize) compile, load and evaluate with their surfaces sized
and packed by the bridge, every case ok and verified against the CPU
reference, in every data pattern; no leak, labelled simulated (fdlib.py).
With --weights-layout per-file every family's 2-layer chain compiles from a
file per layer, also where the compiler refuses BLOBFILE offsets other than
64 (M1 as maderix/ANE's report describes it, FAKEDARWIN_FAIL=BLOBFILE-offset),
where the single weight.bin fails at compile; run.json echoes the setting.
What only a Mac can confirm: docs/kernels.md. Standard library only."""
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


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, FAKEDARWIN_PROFILE=fdlib.HW_PROFILE, ANEBENCH_SIM_SCALE="0.05")
        args = ["run", "--backend", "ane", "--min-time", "0", "--max-time", "0.05", "--quiet",
                "--preset", "data", "--axis", "cin=32", "--axis", "h=8", "--axis", "w=8", "--axis", "spatial=64",
                "--axis", "depth=2", "--out", os.path.join(tmp, "data")]
        p = fdlib.run(chk, "data", args, env=env, code=0)
        cases = fdlib.check_run_files(chk, "data", p)
        want(len(cases) == 16, "data: %d cases, wanted 16" % len(cases))
        fams = set()
        for c in cases:
            fams.add(c["key"].split(" ")[0])
            want(c["status"] == "ok" and c["verify_pass"], "data: %s %s %s" % (c["key"], c["status"], c["reason"]))
        want(fams == {"conv1x1", "conv2d", "matmul", "w8a8"}, "data: families %s" % sorted(fams))
        args = ["run", "--backend", "ane", "--min-time", "0", "--max-time", "0.05", "--quiet",
                "--axis", "kernel=conv2d", "--axis", "cin=16", "--axis", "h=7", "--axis", "w=40",
                "--axis", "kh=1,3,5", "--axis", "kw=3", "--axis", "pad=same,valid", "--axis", "io=fp32,fp16",
                "--out", os.path.join(tmp, "conv2d")]
        p = fdlib.run(chk, "conv2d", args, env=env, code=0)
        cases = fdlib.check_run_files(chk, "conv2d", p)
        want(len(cases) == 12, "conv2d: %d cases, wanted 12" % len(cases))
        for c in cases:
            want(c["status"] == "ok" and c["verify_pass"], "conv2d: %s %s %s" % (c["key"], c["status"], c["reason"]))
        m1 = dict(env, FAKEDARWIN_FAIL="BLOBFILE-offset:-1")
        base = ["run", "--backend", "ane", "--min-time", "0", "--max-time", "0.05", "--quiet", "--preset", "data",
                "--axis", "data=random", "--axis", "cin=32", "--axis", "h=8", "--axis", "w=8", "--axis", "spatial=64",
                "--axis", "depth=2", "--phase-repeats", "2"]
        for layout, code in (("per-file", 0), ("single", 1)):
            p = fdlib.run(chk, layout, base + ["--weights-layout", layout, "--out", os.path.join(tmp, layout)],
                          env=m1, code=code)
            cases = fdlib.check_run_files(chk, layout, p)
            meta = fdlib.load(os.path.join(fdlib.run_dir(p), "run.json")) if cases else {}
            want(meta.get("settings", {}).get("weights_layout") == layout,
                 "%s: run.json settings %r" % (layout, meta.get("settings")))
            want(sorted(c["key"].split(" ")[0] for c in cases) == ["conv1x1", "conv2d", "matmul", "w8a8"],
                 "%s: cases %r" % (layout, [c["key"] for c in cases]))
            for c in cases:
                if layout == "per-file":
                    want(c["status"] == "ok" and c["verify_pass"] and c["phase_repeats"] == 2,
                         "per-file: %s %s %s" % (c["key"], c["status"], c["reason"]))
                else:
                    want(c["status"] == "failed" and c["fail_stage"] == "compile" and
                         "offset other than 64" in c["reason"], "single on M1: %s %s %s" %
                         (c["key"], c["status"], c["reason"]))
    return chk.report("every kernel family through the bridge: compiled by the fakes' MIL reader, verified, "
                      "no leak, labelled simulated; a file per layer where only offset 64 compiles")


if __name__ == "__main__":
    sys.exit(main())
