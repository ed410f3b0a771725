#!/usr/bin/env python3
"""test_kill_resume.py: kill -9 of the scheduler at 20 random points of a
sweep, `run --resume` after each, then a last resume to the end. Asserts:
after every kill each complete journal line parses (at most the last line is
cut off), and the final cases.jsonl, cases.csv and results.json hold every
case of an uninterrupted run exactly once, with no orphaned worker left.
Uses the null backend with tiny times so the whole test takes a few seconds.
Set KILL_SEED to replay another sequence of kill points."""
import csv
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BIN = os.environ["ANEBENCH_BIN"]
SEED = int(os.environ.get("KILL_SEED", "20261125"))
KILLS = 20
TAG = "seed=%d" % (SEED % 1000000 + 7)  # in every worker's argv: finds orphans
ARGS = ["run", "--backend", "null", "--axis", "cin=1..48", "--axis", "spatial=1,2",
        "--min-samples", "3", "--max-samples", "20", "--min-time", "0", "--max-time", "0.005",
        "--compiles-per-worker", "5", "--seed", TAG.split("=")[1], "--quiet"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def journal(d):
    """Records of d/cases.jsonl; a last line without its newline is allowed
    (cut off by the kill) and left out; any other bad line is a failure."""
    path = os.path.join(d, "cases.jsonl")
    if not os.path.exists(path):
        return []
    data = open(path, "rb").read()
    lines = data.split(b"\n")
    tail = lines.pop()  # b"" when the file ends with a newline
    recs = []
    for i, line in enumerate(lines):
        try:
            recs.append(json.loads(line))
        except ValueError:
            check(False, "corrupt journal line %d in %s: %r" % (i + 1, path, line[:80]))
    if tail:
        print("note: journal tail cut off mid-line (%d bytes)" % len(tail))
    return recs


def journal_lines(run_dir, tmp, fresh):
    """Complete lines in the journal of the run (or of the fresh run being made)."""
    d = run_dir or next(iter(glob.glob(os.path.join(tmp, "k%d" % fresh, "*/"))), None)
    try:
        with open(os.path.join(d, "cases.jsonl"), "rb") as f:
            return f.read().count(b"\n")
    except (OSError, TypeError):
        return 0


def orphans():
    """Workers of this test still alive (from ps, which macOS has too)."""
    out = subprocess.run(["ps", "-A", "-ww", "-o", "args="], capture_output=True, text=True).stdout
    n = 0
    for line in out.splitlines():
        argv = line.split()
        if "worker" in argv and "--set" in argv and TAG in argv:
            n += 1
    return n


def main():
    tmp = tempfile.mkdtemp(prefix="ab-kill-")
    try:
        t0 = time.monotonic()
        ref = subprocess.run([BIN] + ARGS + ["--out", os.path.join(tmp, "ref")])
        full_time = time.monotonic() - t0
        check(ref.returncode == 0, "uninterrupted run: exit %d" % ref.returncode)
        ref_dir = glob.glob(os.path.join(tmp, "ref", "*/"))[0]
        ref_keys = sorted(r["key"] for r in journal(ref_dir))
        check(len(ref_keys) == 96 and len(set(ref_keys)) == 96, "reference run: %d keys" % len(ref_keys))
        per_case = full_time / 96

        rng = random.Random(SEED)
        run_dir, kills, resumes, fresh = None, 0, 0, 0
        progress = []
        while kills < KILLS:
            if run_dir is None:
                fresh += 1
                cmd = [BIN] + ARGS + ["--out", os.path.join(tmp, "k%d" % fresh)]
            else:
                cmd = [BIN, "run", "--resume", run_dir, "--quiet"]
                resumes += 1
            p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            # Kill point: after 0-2 more cases are journaled, then a bit into the next.
            base = journal_lines(run_dir, tmp, fresh)
            more, extra = rng.randint(0, 2), rng.uniform(0.0, per_case)
            deadline = time.monotonic() + 30
            while p.poll() is None and journal_lines(run_dir, tmp, fresh) < base + more \
                    and time.monotonic() < deadline:
                time.sleep(0.002)
            try:
                p.wait(timeout=extra)
                err = p.stderr.read().decode(errors="replace")
                check(p.returncode == 0, "a run that was not killed: exit %d: %s" % (p.returncode, err))
                if run_dir is None:
                    run_dir = glob.glob(os.path.join(tmp, "k%d" % fresh, "*/"))[0]
                break  # it finished before its kill
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGKILL)
                p.wait()
                p.stderr.close()
                kills += 1
            if run_dir is None:
                made = glob.glob(os.path.join(tmp, "k%d" % fresh, "*/"))
                if made and os.path.exists(os.path.join(made[0], "run.json")):
                    run_dir = made[0]
                else:
                    continue  # killed before the run existed: start afresh
            progress.append(len(journal(run_dir)))  # no corrupt complete line after any kill
        print("%d kills (%d fresh starts, %d resumes); cases journaled after each: %s"
              % (kills, fresh, resumes, progress))
        # The kills were spread over the sweep, not all before it began.
        check(len(set(progress)) >= 5, "kills landed at too few points: %s" % progress)
        check(run_dir is not None, "no run directory was ever made")
        if run_dir is None:
            return

        last = subprocess.run([BIN, "run", "--resume", run_dir, "--quiet"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
        check(last.returncode == 0, "final resume: exit %d: %s" % (last.returncode, last.stderr.decode()))
        keys = [r["key"] for r in journal(run_dir)]
        check(sorted(keys) == ref_keys, "final journal: %d keys, %d distinct, want the reference's 96"
              % (len(keys), len(set(keys))))
        with open(os.path.join(run_dir, "cases.csv")) as f:
            csv_keys = [row["key"] for row in csv.DictReader(f)]
        check(csv_keys == keys, "cases.csv out of step with the journal (%d rows)" % len(csv_keys))
        res = json.load(open(os.path.join(run_dir, "results.json")))
        check([c["key"] for c in res["cases"]] == keys, "results.json cases differ from the journal")
        meta = json.load(open(os.path.join(run_dir, "run.json")))
        check(meta["finished"] is not None and "interrupted" not in meta, "run.json not finished")
        check(all(r["status"] == "ok" for r in res["cases"]), "a case is not ok")
        # The workers die of the parent-death signal, asynchronously (an ASan
        # process on a loaded host takes a while to tear down): 5 s at most.
        for _ in range(100):
            if orphans() == 0:
                break
            time.sleep(0.05)
        check(orphans() == 0, "%d worker(s) outlived their killed scheduler" % orphans())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d failures" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
