#!/usr/bin/env python3
"""efficiency.py: the share of a run's wall time spent in measured phases.

    efficiency.py RUN_DIR WALL_S

Measured: every timed compile, load, first eval, unload and reload (each
repeat, with --phase-repeats: the records' *_samples_ns), every kept
steady-state eval sample (eval_samples_ns) and the stats-on batch
(stats_wall_ns: n x mean). Everything else (starting workers, preparing and
checking cases, warm-up evals, writing files, cooldown) is overhead. A
cooldown the machine asked for (cooldown_why naming the machine's report)
is left out of the wall time, as issue 12's target says; a fixed one is not.
Prints: measured_s wall_s machine_cooldown_s efficiency."""
import json
import sys

PHASES = ("compile", "load", "first_eval", "unload", "reload")


def num(x):
    return x if isinstance(x, (int, float)) and not isinstance(x, bool) else 0.0


def main():
    run, wall = sys.argv[1], float(sys.argv[2])
    res = json.load(open(run + "/results.json"))
    measured = machine_cool = 0.0
    for c in res["cases"]:
        for p in PHASES:
            samples = c.get(p + "_samples_ns")
            if samples:
                measured += sum(samples) / 1e9
            else:
                measured += num(c.get(p + "_ms")) / 1e3
        measured += sum(c.get("eval_samples_ns") or []) / 1e9
        st = c.get("stats_wall_ns") or {}
        measured += num(st.get("n")) * num(st.get("mean")) / 1e9
        why = c.get("cooldown_why") or ""
        if why.startswith("machine"):
            machine_cool += num(c.get("cooldown_s"))
    eff = measured / (wall - machine_cool) if wall > machine_cool else float("nan")
    print("%.3f %.3f %.3f %.3f" % (measured, wall, machine_cool, eff))


main()
