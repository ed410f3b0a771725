#!/usr/bin/env python3
# ctest: run-serial (measures the simulator's real-time waits)
"""test_sim_gflops.py: GFLOPS curves on the simulator, with a reduced version
of the gflops preset's axes (for time): on ane-sim:m5 and ane-sim:m4 the
big chained program (512 channels, 64 chained convs, S=64: the peak shape)
approaches the profile's peak while the small kernel (64 channels, S=32)
sits on the dispatch floor; and the two profiles' result files differ as
their profiles say (peak 12.3 vs 18.6 TFLOPS, dispatch 0.067 vs 0.095 ms,
hwExecutionTime on m5 only). Standard library only."""
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

SWEEP = {
    "name": "gflops-reduced",
    "description": "the gflops preset's ends: smallest and largest square conv at S=32, and the 64-deep chain",
    "sweeps": [
        {"axes": {"cin": [64, 2048], "spatial": 32, "depth": 1}},
        {"axes": {"cin": 512, "spatial": 64, "depth": 64}},
    ],
    "settings": {"min_samples": 10, "min_time": 0.05, "max_time": 0.3, "warmup": 3},
}
# Profile figures (backends/ane_sim.c, from ANE-NOTES.md and the seed).
PROFILE = {"ane-sim:m5": {"peak": 12300.0, "dispatch_ms": 0.067, "hw": True},
           "ane-sim:m4": {"peak": 18600.0, "dispatch_ms": 0.095, "hw": False}}


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


def main():
    errs = []

    def want(cond, what):
        print("%s %s" % ("ok  " if cond else "FAIL", what))
        if not cond:
            errs.append(what)

    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        sweep = os.path.join(tmp, "sweep.json")
        with open(sweep, "w") as f:
            json.dump(SWEEP, f)
        for backend in PROFILE:
            res[backend] = run(backend, sweep, os.path.join(tmp, backend.replace(":", "-")))

    for backend, prof in PROFILE.items():
        r = res[backend]
        peak = prof["peak"]
        want(r["backend"]["simulated"] is True and r["backend"]["peak_gflops"] == peak,
             "%s: run.json says simulated, peak %g GFLOPS" % (backend, peak))
        want(all(c["status"] == "ok" and c["verify_pass"] for c in r["cases"]),
             "%s: every case ok and verified" % backend)
        small, big, chain = case(r, 64, 1), case(r, 2048, 1), case(r, 512, 64)
        floor = small["eval_ns"]["median"] / 1e6
        want(prof["dispatch_ms"] * 0.85 <= floor <= prof["dispatch_ms"] * 1.5,
             "%s: small kernel on the dispatch floor: %.4f ms (profile %.3f)" % (backend, floor, prof["dispatch_ms"]))
        want(small["gflops_wall"] < 0.01 * peak,
             "%s: small kernel far from peak: %.0f GFLOPS" % (backend, small["gflops_wall"]))
        want(small["gflops_wall"] < big["gflops_wall"] < chain["gflops_wall"],
             "%s: GFLOPS grow with work: %.0f < %.0f < %.0f" % (backend, small["gflops_wall"], big["gflops_wall"],
                                                                 chain["gflops_wall"]))
        # The chain's wall time less the dispatch floor is compute: its rate
        # is the profile's peak, and the wall GFLOPS come within a factor of
        # two of it (m4's dearer dispatch weighs more at this shape).
        rate = chain["flops"] / ((chain["eval_ns"]["median"] - small["eval_ns"]["median"]) * 1e-9) / 1e9
        want(0.85 * peak <= rate <= 1.15 * peak,
             "%s: chain compute rate (wall less floor) %.0f GFLOPS vs peak %.0f" % (backend, rate, peak))
        want(0.45 * peak <= chain["gflops_wall"] <= peak,
             "%s: the chain approaches the peak on the wall clock: %.0f of %.0f GFLOPS"
             % (backend, chain["gflops_wall"], peak))
        if prof["hw"]:
            want(chain["has_hw"] and 0.9 * peak <= chain["gflops_hw"] <= 1.1 * peak,
                 "%s: hwExecutionTime GFLOPS of the chain near peak: %.0f" % (backend, chain["gflops_hw"] or 0))
        else:
            want(not chain["has_hw"] and chain["hw_reason"],
                 "%s: no hwExecutionTime, with a reason: %s" % (backend, chain["hw_reason"]))

    m5, m4 = res["ane-sim:m5"], res["ane-sim:m4"]
    want([c["key"] for c in m5["cases"]] == [c["key"] for c in m4["cases"]], "the two runs share their case keys")
    ratio_peak = case(m4, 512, 64)["gflops_wall"] / case(m5, 512, 64)["gflops_wall"]
    want(1.03 <= ratio_peak <= 1.3, "m4/m5 chain wall GFLOPS ratio %.2f (model 1.14: peaks 18.6/12.3, dispatch "
         "0.095/0.067 ms)" % ratio_peak)
    ratio_floor = case(m4, 64, 1)["eval_ns"]["median"] / case(m5, 64, 1)["eval_ns"]["median"]
    want(abs(ratio_floor / (0.095 / 0.067) - 1) < 0.2, "m4/m5 dispatch floor ratio %.2f (profiles 1.42)" % ratio_floor)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
