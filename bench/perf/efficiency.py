#!/usr/bin/env python3
"""efficiency.py: the share of a run's wall time spent in measured phases.

    efficiency.py RUN_DIR WALL_S

Measured phases: every timed compile, load, first eval, unload and reload
(each repeat of them, with --phase-repeats) and every kept steady-state eval
sample. Everything else (starting workers, preparing and checking cases,
warm-up evals, writing files, cooldown) is overhead. A cooldown the machine
asked for (records' "cooldown_s" where "cooldown_why" says the machine
reported heat) is left out of the wall time, as the target says; a fixed
cooldown is not. Prints: measured_s wall_s machine_cooldown_s efficiency."""
import json
import sys


def num(x):
    return x if isinstance(x, (int, float)) else 0.0


def main():
    run, wall = sys.argv[1], float(sys.argv[2])
    res = json.load(open(run + "/results.json"))
    measured = machine_cool = 0.0
    for c in res["cases"]:
        phases = c.get("phases") or {}
        reps = [phases[k]["samples_ms"] for k in phases if isinstance(phases.get(k), dict)
                and phases[k].get("samples_ms")]
        if reps:
            measured += sum(sum(s) for s in reps) / 1e3
        else:
            for k in ("compile_ms", "load_ms", "first_eval_ms", "unload_ms", "reload_ms"):
                measured += num(c.get(k)) / 1e3
        measured += sum(c.get("eval_samples_ns") or []) / 1e9
        if c.get("cooldown_why", "").startswith("machine"):
            machine_cool += num(c.get("cooldown_s"))
    eff = measured / (wall - machine_cool) if wall > machine_cool else float("nan")
    print("%.3f %.3f %.3f %.3f" % (measured, wall, machine_cool, eff))


main()
