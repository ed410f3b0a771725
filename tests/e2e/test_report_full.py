#!/usr/bin/env python3
"""test_report_full.py: the report of a whole `full` preset run on
ane-sim:m5 (607 cases; the simulator's time scale and the sampling cut
down so it takes a minute or two, the cases all there; in workers, as a
real run: one process would spend the simulated compile budget):
 - markdown fits in one GitHub comment (65,536 characters) and renders on
   GitHub: every table row has its header's number of cells, no raw HTML
   but <details>/<summary>, balanced; every sweep of the preset has its
   table; the headline names the case of each figure; SIMULATED is said;
 - with --all nothing is left out; txt has the same sections;
 - html opens in headless Chromium with no console error and no request,
   its charts decode and the screenshot is not blank (skipped, saying so,
   where no Chromium is installed)."""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser_check  # noqa: E402

BIN = os.environ["ANEBENCH_BIN"]
LIMIT = 65536
fails = []


def check(cond, msg):
    if not cond:
        fails.append(msg)
        print("FAIL: " + msg, file=sys.stderr)


def md_structure(md, name):
    want = None
    for line in md.split("\n"):
        if line.startswith("|"):
            cells = len(re.findall(r"(?<!\\)\|", line))
            if want is None:
                want = cells
            check(cells == want, "%s: a table row has %d bars, its header %d: %s" % (name, cells, want, line[:120]))
        else:
            want = None
    tags = re.findall(r"(?<!\\)<(/?[A-Za-z][A-Za-z0-9]*)", md)
    check(set(tags) <= {"details", "/details", "summary", "/summary"}, "%s: raw HTML: %s" % (name, set(tags)))
    check(tags.count("details") == tags.count("/details"), name + ": <details> not balanced")
    # GitHub renders a table inside <details> only after a blank line
    for m in re.finditer(r"</summary>\n(.)", md):
        check(m.group(1) == "\n", name + ": no blank line after <summary>")


def main():
    tmp = tempfile.mkdtemp(prefix="anebench-full-")
    env = dict(os.environ, ANEBENCH_SIM_SCALE="0.0001")
    p = subprocess.run([BIN, "run", "--preset", "full", "--backend", "ane-sim:m5", "--out", tmp, "--quiet",
                        "--min-samples", "3", "--max-samples", "5", "--warmup", "1", "--max-time", "0.01",
                        "--min-time", "0", "--cooldown", "0", "--phase-repeats", "1"],
                       env=env, capture_output=True, text=True)
    check(p.returncode == 0, "full run: exit %d: %s" % (p.returncode, p.stderr[-400:]))
    run = [os.path.join(tmp, d) for d in os.listdir(tmp)][0]

    md = subprocess.run([BIN, "report", run], capture_output=True, text=True)
    check(md.returncode == 0, "report md: exit %d: %s" % (md.returncode, md.stderr))
    text = md.stdout
    check(len(text) < LIMIT, "report md of a full run: %d characters, over %d" % (len(text), LIMIT))
    md_structure(text, "md")
    check("**SIMULATED**" in text, "md: SIMULATED not said")
    # every case of the preset, each ok (the count from the run's own journal:
    # full grows with the kernel families)
    with open(os.path.join(run, "cases.jsonl")) as f:
        n = sum(1 for line in f if line.strip())
    check(n >= 600 and "%d: %d ok" % (n, n) in text, "md: the case count (%d cases journaled)" % n)
    for sweep in ("#### conv1x1\n", "#### conv1x1, by cout \\!= cin\n", "#### conv1x1, by depth\n",
                  "#### conv1x1, by qos\n", "#### conv1x1, by procedure\n", "#### conv1x1, by mode\n"):
        check(sweep in text, "md: no table for " + sweep.strip())
    check(re.search(r"\| peak GFLOPS \(conv1x1\) \| [0-9]+ .*\| conv1x1 cin=\d+ spatial=\d+", text),
          "md: the peak and its case")
    # the floor's unit follows its size (fmt_ns: ns, us, ms): on a loaded
    # machine the host's share of the smallest case's eval can pass 1 ms;
    # its case is of any family (a matmul's label names its kernel axis too)
    floor = re.search(r"\| dispatch floor \(smallest eval median\) \|.*", text)
    check(floor and re.match(r"\| dispatch floor \(smallest eval median\) \| [0-9.]+ (ns|us|ms) \| "
                             r"[a-z0-9]+ (kernel=[a-z0-9]+ )?cin=",
                             floor.group(0)),
          "md: the dispatch floor and its case: %s" % (floor.group(0) if floor else "no such row"))

    full = subprocess.run([BIN, "report", run, "--all"], capture_output=True, text=True).stdout
    check("Left out" not in full and len(full) >= len(text), "--all still leaves rows out")
    txt = subprocess.run([BIN, "report", run, "--format", "txt"], capture_output=True, text=True).stdout
    for section in ("Environment", "Headline figures", "Sweeps"):
        check(("\n%s\n" % section) in txt, "txt: no section " + section)

    exe = browser_check.find_chromium()
    if not exe:
        print("test_report_full: the HTML part is SKIPPED: no Chromium installed (Debian: apt-get install "
              "chromium, or scripts/deps.sh --test)")
    else:
        out = os.path.join(tmp, "report.html")
        h = subprocess.run([BIN, "report", run, "--format", "html", "-o", out], capture_output=True, text=True)
        check(h.returncode in (0, 3), "report html: exit %d: %s" % (h.returncode, h.stderr))
        seen = browser_check.check_page(exe, out)
        check(seen["errors"] == [], "html: console errors: %s" % seen["errors"])
        check(seen["requests"] == [], "html: requests: %s" % seen["requests"])
        check(seen["decoded"] == seen["images"], "html: %d of %d charts decoded" % (seen["decoded"], seen["images"]))
        check(seen["ink"] > 0.02, "html: blank screenshot")
    print("md %d characters; %d failed" % (len(text), len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
