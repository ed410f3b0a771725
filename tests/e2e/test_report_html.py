#!/usr/bin/env python3
"""test_report_html.py: `anebench report --format html` opens in a real
browser (headless Chromium) as a reader would open it: no console error,
no request beyond the page itself (charts are inline data: images, styles
are in the page, a Content-Security-Policy forbids the rest), no script,
every chart decodes, the screenshot is not blank, and SIMULATED is said on
the page and in every chart of a simulated run. A control page with an
outside image and a console error must be caught, so the checks can fail.

Skips (exit 77) where no Chromium is installed (Debian: apt-get install
chromium; scripts/deps.sh --test installs it)."""
import base64
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser_check  # noqa: E402

BIN = os.environ["ANEBENCH_BIN"]
SRC = os.environ["ANEBENCH_SOURCE_DIR"]
FIX = os.path.join(SRC, "tests", "fixtures", "plot")
fails = []


def check(cond, msg):
    if not cond:
        fails.append(msg)
        print("FAIL: " + msg, file=sys.stderr)


def report(out, *runs):
    p = subprocess.run([BIN, "report", *runs, "--format", "html", "-o", out], capture_output=True, text=True)
    have_gnuplot = p.returncode != 3
    check(p.returncode in (0, 3), "report html exit %d: %s" % (p.returncode, p.stderr))
    return have_gnuplot


def charts(html):
    """(caption, SVG text) of every inline chart."""
    return [(cap, base64.b64decode(m).decode("utf-8", "replace"))
            for m, cap in re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">'
                                     r'<figcaption>([^<]*)</figcaption>', html)]


def main():
    exe = browser_check.find_chromium()
    if not exe:
        print("test_report_html: SKIPPED: no Chromium installed (Debian: apt-get install chromium, "
              "or scripts/deps.sh --test; macOS: Chromium or Google Chrome in /Applications); the HTML "
              "report was not opened in a browser")
        return 77
    tmp = tempfile.mkdtemp(prefix="anebench-html-")
    pages = {
        "one": [os.path.join(FIX, "m5.json")],
        "three": [os.path.join(FIX, n + ".json") for n in ("cpu", "m4", "m5")],
    }
    for name, runs in pages.items():
        out = os.path.join(tmp, name + ".html")
        gp = report(out, *runs)
        html = open(out, encoding="utf-8").read()
        check("<script" not in html.lower(), name + ": the page holds a script")
        check(not re.search(r'(src|href)="(?!data:)', html), name + ": the page links something outside")
        check("SIMULATED" in html, name + ": SIMULATED not said")
        svgs = charts(html)
        if gp:
            check(len(svgs) >= 4, "%s: %d charts inline" % (name, len(svgs)))
        check(len(svgs) == html.count("<figure>"), name + ": a chart is not an inline SVG")
        for cap, svg in svgs:
            check("<svg" in svg[:600], "%s: chart %s is no SVG" % (name, cap))
            # every chart that draws a simulated run says so (run1 of "three" is the cpu run)
            if not cap.startswith("run1-cpu-") or name == "one":
                check("SIMULATED" in svg, "%s: chart %s does not say SIMULATED" % (name, cap))
        seen = browser_check.check_page(exe, out)
        check(seen["errors"] == [], "%s: console errors: %s" % (name, seen["errors"]))
        check(seen["requests"] == [], "%s: requests: %s" % (name, seen["requests"]))
        check(seen["scripts"] == 0, "%s: scripts on the page" % name)
        check(seen["images"] == len(svgs) and seen["decoded"] == seen["images"],
              "%s: %d of %d images decoded (%d inline)" % (name, seen["decoded"], seen["images"], len(svgs)))
        check(seen["text"] > 500, "%s: the page shows %d characters of text" % (name, seen["text"]))
        check(seen["ink"] > 0.02, "%s: the screenshot is blank (%.4f of pixels differ)" % (name, seen["ink"]))

    # the control: what the checks must catch
    ctl = os.path.join(tmp, "control.html")
    with open(ctl, "w") as f:
        f.write('<!DOCTYPE html><html><body><p>x</p><img src="http://example.invalid/a.png">'
                '<script>console.error("control")</script></body></html>')
    seen = browser_check.check_page(exe, ctl)
    check(any("example.invalid" in u for u in seen["requests"]), "control: the outside request went unseen")
    check(any("control" in e for e in seen["errors"]), "control: the console error went unseen")
    check(seen["ink"] < 0.02, "control: a near-empty page counted as not blank (%.4f)" % seen["ink"])
    print("%d failed" % len(fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
