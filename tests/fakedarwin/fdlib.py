"""fdlib.py: what every fakedarwin end-to-end test checks of each command it
runs (imported by e2e_seed.py, e2e_probe.py, e2e_presets.py). Standard
library only.

- No leak, anywhere: each process of anebench_fakedarwin (the command and
  every worker it spawns) prints "fakedarwin: N fake objects alive" and exits
  86 when a fake object outlives it. The scheduler does not look at a
  worker's exit status after it told the worker to quit, so the exit code of
  the command alone does not show a worker's leak: stderr is read to its end
  (workers inherit it, and capture_output waits for the last writer), and
  any such line, or a fake's "FAKEDARWIN FAILURE", fails the test.
- No JSON object with a key twice (json.load would keep the last silently).
- Every file says what ran: the fake framework, backed by the simulator
  (simulated true, the framework named as tests/fakedarwin, no OS build of
  a real macOS release)."""
import csv
import json
import os
import subprocess

BIN = os.environ.get("FAKEDARWIN_BIN")

# Profiles of the simulator behind the fake framework: HW fills
# hwExecutionTime (the what-if m5-hw, otherwise the seed's m5); NO_HW leaves
# it empty and refuses real time.
HW_PROFILE = "m5-hw"
NO_HW_PROFILE = "m4"

LEAK_MARKS = ("fake objects alive", "FAKEDARWIN FAILURE")


class Checks:
    """Collects failures; a test prints them and exits 1 if there are any."""

    def __init__(self):
        self.errors = []

    def want(self, cond, what):
        if not cond:
            self.errors.append(what)
        return cond

    def report(self, ok_line):
        for e in self.errors:
            print("FAIL:", e)
        if not self.errors:
            print(ok_line)
        return 1 if self.errors else 0


def unique_keys(pairs):
    """object_pairs_hook: a JSON object with a key twice is an error."""
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise ValueError("duplicate key %r in a JSON object" % k)
        seen[k] = v
    return seen


def loads(text):
    return json.loads(text, object_pairs_hook=unique_keys)


def load(path):
    with open(path) as f:
        return loads(f.read())


def run(chk, name, args, env=None, code=0):
    """Runs anebench_fakedarwin with args; checks the exit code and that no
    process of it leaked (stderr read to its end)."""
    p = subprocess.run([BIN] + args, capture_output=True, text=True, env=env or dict(os.environ))
    chk.want(p.returncode == code, "%s: exit %d, wanted %d: %s" % (name, p.returncode, code, p.stderr.strip()[-600:]))
    bad = [l for l in p.stderr.splitlines() if any(m in l for m in LEAK_MARKS)]
    chk.want(not bad, "%s: a process leaked or a fake aborted: %s" % (name, "; ".join(bad[:4])))
    if code == 0 and "--no-isolate" in args:  # one process: its exit code says it too
        chk.want(p.returncode != 86, "%s: the process exited 86 (a leak)" % name)
    return p


def run_dir(p):
    """The run directory a `run` printed, or None."""
    line = [l for l in p.stdout.splitlines() if l.startswith("results: ")]
    return line[-1][len("results: "):] if line else None


def check_run_files(chk, name, p):
    """Loads results.json of a run (duplicate keys refused), checks that
    run.json, results.json, cases.jsonl and cases.csv each say simulated and
    name the fake framework, and returns the cases ([] if unreadable)."""
    d = run_dir(p)
    if not chk.want(d is not None, "%s: no results line: %s" % (name, p.stdout.strip()[-300:])):
        return []
    try:
        meta = load(os.path.join(d, "run.json"))
        res = load(os.path.join(d, "results.json"))
        with open(os.path.join(d, "cases.jsonl")) as f:
            lines = [loads(l) for l in f if l.strip()]
    except ValueError as e:
        chk.want(False, "%s: %s" % (name, e))
        return []
    for what, b in (("run.json", meta["backend"]), ("results.json", res["backend"])):
        chk.want(b["simulated"] is True and b["api"] == "objc", "%s %s: backend %r" % (name, what, b))
        chk.want("tests/fakedarwin" in b["framework"] and "simulator" in b["framework"],
                 "%s %s: framework %r does not name the fake" % (name, what, b["framework"]))
    chk.want(all(c["simulated"] is True for c in res["cases"] + lines), "%s: a record says not simulated" % name)
    with open(os.path.join(d, "cases.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    chk.want(rows and all(r["simulated"] == "true" for r in rows), "%s: cases.csv says not simulated" % name)
    chk.want("--quiet" in p.args or "SIMULATED" in p.stderr, "%s: no SIMULATED banner" % name)
    return res["cases"]
