#!/usr/bin/env python3
# ctest: run-serial (measures the simulator's real-time waits)
"""test_sim_seed.py: `anebench run --backend ane-sim:m5 --preset seed-m5`
reproduces the seed's QoS table (shared/seeds/m5result.md) within 15%.

Seed figures (QoS 1-63 rows; the QoS 0 row is the process's first use):
compile 11.49 ms, load 1.73 ms, eval avg 0.067 ms (medians of those rows:
11.5 / 1.7 / 0.07), first load 15.6 ms, first compile 13.9 ms; the 64x64
S=32 kernel: unload 0.5 ms, reload 3.8 ms.

A modelled wait never ends early, so the lower bound is a plain 15%. A
loaded host can only make it end late: the upper bound is 15% plus the
host's measured wake-up lateness (a sleep's overshoot after CPU work) or,
for evals (which spin), the harness's own per-sample cost (the null
backend's eval median); both are measured here and printed. When the host is loaded (load average
above the CPU count, or that lateness over 1 ms) and the medians miss, the
comparison is made again with the least-disturbed case of each repeated
figure (the minimum: scheduler delays only add time). A failing comparison
is retried once with a fresh run before the test fails. Standard library
only."""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("ANEBENCH_BIN")
if not BIN:
    print("ANEBENCH_BIN not set")
    sys.exit(77)

SEED = {  # name: (seed value ms, source line)
    "compile": (11.49, "Compile, mean of QoS 1-63 rows"),
    "load": (1.73, "Load, mean of QoS 1-63 rows"),
    "eval": (0.067, "Eval(avg10), mean of QoS 1-63 rows"),
    "first_eval": (0.174, "Eval(1), mean of QoS 1-63 rows"),
    "first_load": (15.6, "QoS 0 row Load"),
    "first_compile": (13.9, "QoS 0 row Compile"),
    "unload": (0.5, "test_weight_reload Unload (64x64; modelled size-free)"),
    "reload": (3.8, "test_weight_reload Reload (64x64; 256x256 models 4.0)"),
}
TOL = 0.15


def run(backend, args, out):
    env = dict(os.environ)
    env.pop("ANEBENCH_SIM_SCALE", None)  # real modelled times
    p = subprocess.run([BIN, "run", "--backend", backend, "--out", out, "--quiet"] + args,
                       capture_output=True, text=True, env=env)
    if p.returncode != 0:
        print("anebench run failed (%d): %s %s" % (p.returncode, p.stdout, p.stderr))
        sys.exit(1)
    line = [l for l in p.stdout.splitlines() if l.startswith("results: ")]
    return json.load(open(os.path.join(line[-1][len("results: "):], "results.json")))


def param(case, name):
    return case["params"][name]


def host_lateness_ms():
    """Median and 90th percentile overshoot of a 0.5 ms sleep taken right
    after 5 ms of CPU work, the runner's pattern (prepare or verification,
    then a timed phase that the simulator spends asleep): on a loaded host
    the scheduler lets such a process wait behind others when it wakes."""
    late = []
    for _ in range(21):
        end = time.perf_counter() + 0.005
        while time.perf_counter() < end:
            pass
        t0 = time.perf_counter()
        time.sleep(0.0005)
        late.append(max(0.0, (time.perf_counter() - t0) * 1e3 - 0.5))
    late.sort()
    return statistics.median(late), late[int(0.9 * len(late))]


def harness_cost_ms(tmp):
    r = run("null", ["--axis", "cin=64", "--axis", "spatial=32", "--max-time", "0.1", "--min-time", "0.05"],
            os.path.join(tmp, "null"))
    return r["cases"][0]["eval_ns"]["median"] / 1e6


def measure(r, pick):
    """The seed's figures from a run; pick (median or min) reduces the
    figures that repeat over cases."""
    qos_rows = [c for c in r["cases"] if param(c, "cin") == 256]
    rest = [c for c in qos_rows if param(c, "qos") != 0]
    first = [c for c in qos_rows if param(c, "qos") == 0][0]
    for c in r["cases"]:
        assert c["status"] == "ok", (c["key"], c["status"], c["reason"])
    return {
        "compile": pick([c["compile_ms"] for c in rest]),
        "load": pick([c["load_ms"] for c in rest]),
        "eval": statistics.median(c["eval_ns"]["median"] / 1e6 for c in rest),
        "first_eval": pick([c["first_eval_ms"] for c in rest]),
        # the run's first case is the worker's first use, as the seed's QoS 0 row
        "first_load": first["load_ms"],
        "first_compile": first["compile_ms"],
        "unload": pick([c["unload_ms"] for c in r["cases"]]),
        "reload": pick([c["reload_ms"] for c in r["cases"]]),
    }


# Figures that are one sample (the process's first use) get the host's p90
# lateness as slack; medians over cases get its median lateness; evals spin
# rather than sleep, so they get the harness's per-sample cost instead.
SINGLE = ("first_load", "first_compile")
EVALS = ("eval", "first_eval")


def compare(got, late, harness):
    bad = []
    print("%-14s %9s %9s %8s  %s" % ("figure", "seed ms", "sim ms", "diff", "seed source"))
    for name, (want, src) in SEED.items():
        v = got[name]
        slack = harness if name in EVALS else late[1] if name in SINGLE else late[0]
        lo, hi = want * (1 - TOL), want * (1 + TOL) + slack
        ok = lo <= v <= hi
        print("%-14s %9.3f %9.3f %+7.1f%%  %s%s" % (name, want, v, 100 * (v / want - 1), src,
                                                   "" if ok else "   <-- outside [%.3f, %.3f]" % (lo, hi)))
        if not ok:
            bad.append(name)
    return bad


def main():
    with tempfile.TemporaryDirectory() as tmp:
        harness = harness_cost_ms(tmp)
        for attempt in (1, 2):
            late = host_lateness_ms()
            load1 = os.getloadavg()[0]
            loaded = load1 > (os.cpu_count() or 1) or late[1] > 1.0
            print("attempt %d: load average %.1f on %d CPUs; host wake-up lateness after CPU work median %.3f ms, "
                  "p90 %.3f ms; harness per-eval cost %.4f ms (null backend)"
                  % (attempt, load1, os.cpu_count() or 1, late[0], late[1], harness))
            r = run("ane-sim:m5", ["--preset", "seed-m5"], os.path.join(tmp, "m5-%d" % attempt))
            assert r["backend"]["simulated"] is True and r["backend"]["profile"] == "m5"
            assert all(c["simulated"] for c in r["cases"])
            print("medians over cases:")
            bad = compare(measure(r, statistics.median), late, harness)
            if bad and loaded:
                # Only on a loaded host: time lost to the scheduler is one-sided,
                # so the least-disturbed case (the minimum) shows the model.
                print("host is loaded: comparing the least-disturbed case of each figure instead:")
                bad = compare(measure(r, min), late, harness)
            if not bad:
                print("seed-m5 on ane-sim:m5 matches the seed within 15%")
                return 0
            print("outside tolerance: %s" % ", ".join(bad))
        return 1


if __name__ == "__main__":
    sys.exit(main())
