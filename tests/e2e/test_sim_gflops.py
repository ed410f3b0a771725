#!/usr/bin/env python3
# ctest: run-serial (measures the simulator's real-time waits)
"""test_sim_gflops.py: GFLOPS curves on the simulator, with a reduced version
of the gflops preset's axes (for time). On ane-sim:m5 and ane-sim:m4 the
small kernel (64 channels, S=32) sits on the dispatch floor, and the peak
shape of the notes (128 chained 512-channel convs, S=64) reproduces their
wall-clock figures within 5% (M5 12.2-12.4, taken as 12.3; M4 18.6 TFLOPS),
which needs the floor to overlap the engine's work rather than add to it;
the two profiles' result files differ as their profiles say. The what-if
profile ane-sim:m5-hw adds hwExecutionTime: near the peak and about the
wall time on the chain, a small part of the wall time on the small kernel
(m5 and m4 have none, with a reason). Standard library only."""
import json
import os
import statistics
import subprocess
import sys
import tempfile

BIN = os.environ.get("ANEBENCH_BIN")
if not BIN:
    print("ANEBENCH_BIN not set")
    sys.exit(77)

SMALL = {"axes": {"cin": 64, "spatial": 32, "depth": 1}}
SWEEP = {
    "name": "gflops-reduced",
    "description": "the gflops preset's ends: smallest and largest square conv at S=32, and the chains",
    "sweeps": [
        {"axes": {"cin": [64, 2048], "spatial": 32, "depth": 1}},
        {"axes": {"cin": 512, "spatial": 64, "depth": [64, 128]}},
    ],
    "settings": {"min_samples": 10, "min_time": 0.05, "max_time": 0.3, "warmup": 3},
}
# The what-if profile only needs the two ends for wall vs hw.
SWEEP_HW = dict(SWEEP, name="gflops-hw", sweeps=[SMALL, {"axes": {"cin": 512, "spatial": 64, "depth": 64}}])
# Reference wall-clock figures of the peak shape (ANE-NOTES.md "Figures to
# check results against"), and the profiles' floors and peaks
# (backends/ane_sim.c).
NOTES_PEAK = {"ane-sim:m5": 12300.0, "ane-sim:m4": 18600.0}
PROFILE = {"ane-sim:m5": {"peak": 12300.0, "dispatch_ms": 0.067},
           "ane-sim:m4": {"peak": 18600.0, "dispatch_ms": 0.095}}


def run(backend, sweep, out):
    env = dict(os.environ)
    env.pop("ANEBENCH_SIM_SCALE", None)
    p = subprocess.run([BIN, "run", "--backend", backend, "--sweep", sweep, "--out", out, "--quiet"],
                       capture_output=True, text=True, env=env)
    if p.returncode != 0:
        print("anebench run --backend %s failed (%d): %s %s" % (backend, p.returncode, p.stdout, p.stderr))
        sys.exit(1)
    line = [l for l in p.stdout.splitlines() if l.startswith("results: ")]
    return json.load(open(os.path.join(line[-1][len("results: "):], "results.json")))


def case(r, cin, depth):
    return [c for c in r["cases"] if c["params"]["cin"] == cin and c["params"]["depth"] == depth][0]


def check_profile(want, backend, r):
    prof = PROFILE[backend]
    peak = prof["peak"]
    want(r["backend"]["simulated"] is True and r["backend"]["peak_gflops"] == peak,
         "%s: run.json says simulated, peak %g GFLOPS" % (backend, peak))
    want(all(c["status"] == "ok" and c["verify_pass"] for c in r["cases"]),
         "%s: every case ok and verified" % backend)
    small, big, chain, shape = case(r, 64, 1), case(r, 2048, 1), case(r, 512, 64), case(r, 512, 128)
    floor = small["eval_ns"]["median"] / 1e6
    want(prof["dispatch_ms"] * 0.85 <= floor <= prof["dispatch_ms"] * 1.5,
         "%s: small kernel on the dispatch floor: %.4f ms (profile %.3f)" % (backend, floor, prof["dispatch_ms"]))
    want(small["gflops_wall"] < 0.01 * peak,
         "%s: small kernel far from peak: %.0f GFLOPS" % (backend, small["gflops_wall"]))
    want(small["gflops_wall"] < big["gflops_wall"] < chain["gflops_wall"],
         "%s: GFLOPS grow with work: %.0f < %.0f < %.0f" % (backend, small["gflops_wall"], big["gflops_wall"],
                                                             chain["gflops_wall"]))
    ref = NOTES_PEAK[backend]
    want(abs(shape["gflops_wall"] / ref - 1) <= 0.05,
         "%s: the notes' peak shape (128 x 512ch, S=64) on the wall clock: %.0f GFLOPS vs the notes' %.0f (%+.1f%%)"
         % (backend, shape["gflops_wall"], ref, 100 * (shape["gflops_wall"] / ref - 1)))
    # Half as deep, the chain still hides the floor: were the floor added,
    # m4 would reach only ~54% of its peak here.
    want(chain["gflops_wall"] >= 0.9 * peak,
         "%s: 64-deep chain on the wall clock %.0f of %.0f GFLOPS (floor hidden under the work)"
         % (backend, chain["gflops_wall"], peak))
    want(not shape["has_hw"] and shape["hw_reason"],
         "%s: no hwExecutionTime, with a reason: %s" % (backend, shape["hw_reason"]))


def check_hw(want, r, m5):
    """The what-if profile: hwExecutionTime on every case, wall times as m5's."""
    small, chain = case(r, 64, 1), case(r, 512, 64)
    peak = PROFILE["ane-sim:m5"]["peak"]
    want(r["backend"]["profile"] == "m5-hw" and small["has_hw"] and chain["has_hw"],
         "m5-hw: hwExecutionTime on every case")
    want(0.9 * peak <= (chain["gflops_hw"] or 0) <= 1.1 * peak,
         "m5-hw: hwExecutionTime GFLOPS of the chain near peak: %.0f" % (chain["gflops_hw"] or 0))
    # hw comes from the stats batch: compare it with that batch's own wall time
    hw, wall = chain["hw_ns"]["median"], chain["stats_wall_ns"]["median"]
    want(hw <= wall <= 1.1 * hw, "m5-hw: chain stats-batch wall %.0f ns about its hw time %.0f ns" % (wall, hw))
    hw, wall = small["hw_ns"]["median"], small["eval_ns"]["median"]
    want(hw < 0.1 * wall, "m5-hw: small kernel's hw time %.0f ns a small part of its wall %.0f ns" % (hw, wall))
    ratio = chain["gflops_wall"] / case(m5, 512, 64)["gflops_wall"]
    want(abs(ratio - 1) < 0.05, "m5-hw and m5 chain wall GFLOPS agree: ratio %.3f" % ratio)


def main():
    errs = []

    def want(cond, what):
        print("%s %s" % ("ok  " if cond else "FAIL", what))
        if not cond:
            errs.append(what)

    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        sweeps = {}
        for name, sw in (("sweep", SWEEP), ("sweep-hw", SWEEP_HW)):
            sweeps[name] = os.path.join(tmp, name + ".json")
            with open(sweeps[name], "w") as f:
                json.dump(sw, f)
        for backend in PROFILE:
            res[backend] = run(backend, sweeps["sweep"], os.path.join(tmp, backend.replace(":", "-")))
        res["ane-sim:m5-hw"] = run("ane-sim:m5-hw", sweeps["sweep-hw"], os.path.join(tmp, "m5-hw"))

    for backend in PROFILE:
        check_profile(want, backend, res[backend])
    m5, m4 = res["ane-sim:m5"], res["ane-sim:m4"]
    want("seed" in case(m5, 512, 128)["hw_reason"], "m5: the reason says the profile follows the seed")
    check_hw(want, res["ane-sim:m5-hw"], m5)

    want([c["key"] for c in m5["cases"]] == [c["key"] for c in m4["cases"]], "the two runs share their case keys")
    ratio_peak = case(m4, 512, 128)["gflops_wall"] / case(m5, 512, 128)["gflops_wall"]
    ref = NOTES_PEAK["ane-sim:m4"] / NOTES_PEAK["ane-sim:m5"]
    want(abs(ratio_peak / ref - 1) < 0.05, "m4/m5 peak-shape wall GFLOPS ratio %.2f (notes %.2f)" % (ratio_peak, ref))
    ratio_floor = case(m4, 64, 1)["eval_ns"]["median"] / case(m5, 64, 1)["eval_ns"]["median"]
    want(abs(ratio_floor / (0.095 / 0.067) - 1) < 0.2, "m4/m5 dispatch floor ratio %.2f (profiles 1.42)" % ratio_floor)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
