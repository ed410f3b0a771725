#!/usr/bin/python3
"""plot_check.py: independent checks of `anebench plot` output, for test_plot.sh.

  plot_check.py image FILE W H         a valid PNG (signature, IHDR) or SVG (XML) of W x H
  plot_check.py curve DAT RESULTS X S  every row of a GFLOPS curve .dat (x axis X, series
                                       axis S) equals flops / median eval of its case in
                                       RESULTS (results.json), and the series are exactly
                                       the S values with two or more ok X values
  plot_check.py ratio DAT BASE OTHER   every row of ratio.dat is OTHER's median / BASE's
                                       for a case ok in both, and every such case is there
  plot_check.py blocks DAT N           the .dat has N blocks, each opening with a header row

Exit 0 when the check holds, 1 with a message naming what differs.
Values are recomputed here from the documented results.json fields, not
taken from anebench. """
import json
import struct
import sys
import xml.etree.ElementTree as ET


def fail(msg):
    print("plot_check: " + msg, file=sys.stderr)
    sys.exit(1)


def check_image(path, w, h):
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    if path.endswith(".png"):
        if head[:8] != b"\x89PNG\r\n\x1a\n":
            fail(f"{path}: no PNG signature")
        length, kind = struct.unpack(">I4s", head[8:16])
        if kind != b"IHDR" or length != 13:
            fail(f"{path}: first chunk is not IHDR")
        pw, ph = struct.unpack(">II", head[16:24])
        if (pw, ph) != (w, h):
            fail(f"{path}: {pw}x{ph}, wanted {w}x{h}")
    elif path.endswith(".svg"):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            fail(f"{path}: not well-formed XML: {e}")
        if not root.tag.endswith("svg"):
            fail(f"{path}: root element is {root.tag}, not svg")
        sw, sh = root.get("width"), root.get("height")
        if (sw, sh) != (str(w), str(h)):
            fail(f"{path}: width/height {sw}/{sh}, wanted {w}/{h}")
    else:
        fail(f"{path}: neither .png nor .svg")


def read_blocks(path):
    """Blocks of a .dat: list of (title, column names, rows of strings)."""
    blocks, cur = [], None
    blank = 0
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                blank += 1
                continue
            if cur is None or blank >= 2:
                # a header row: "title" name name ...
                if not line.startswith('"'):
                    fail(f"{path}: block does not open with a quoted title row: {line!r}")
                end = line.index('"', 1)
                cur = (line[1:end], line[end + 1:].split(), [])
                blocks.append(cur)
            else:
                cur[2].append(line.split())
            blank = 0
    return blocks


def ok_cases(results):
    with open(results) as f:
        run = json.load(f)
    return [c for c in run["cases"] if c["status"] == "ok" and c.get("eval_ns") and c["eval_ns"]["median"] > 0]


def close(a, b, rel=1e-5):
    return abs(a - b) <= rel * max(abs(a), abs(b))


def check_curve(dat, results, xaxis, saxis):
    cases = ok_cases(results)
    # cases that differ only in x: group by every other parameter
    groups = {}
    for c in cases:
        p = dict(c["params"])
        if xaxis == "cin" and p["cout"] == p["cin"]:
            p["cout"] = "same"
        p.pop(xaxis)
        groups.setdefault(json.dumps(p, sort_keys=True), set()).add(c["params"][xaxis])
    want_series = sum(1 for xs in groups.values() if len(xs) >= 2)
    blocks = read_blocks(dat)
    if len(blocks) != want_series:
        fail(f"{dat}: {len(blocks)} series, wanted {want_series}")
    for title, names, rows in blocks:
        if len(rows) < 2:
            fail(f"{dat}: series {title!r} has {len(rows)} rows")
        for r in rows:
            s, x, gflops = int(float(r[0])), int(float(r[1])), float(r[3])
            match = [c for c in cases if c["params"][saxis] == s and c["params"][xaxis] == x
                     and close(c["flops"] / c["eval_ns"]["median"], gflops)]
            if not match:
                fail(f"{dat}: row {r} ({saxis}={s} {xaxis}={x} {gflops} GFLOPS) matches no ok case")
        xs = [float(r[1]) for r in rows]
        if xs != sorted(xs):
            fail(f"{dat}: series {title!r} is not sorted by {xaxis}")


def check_ratio(dat, base, other):
    b = {c["key"]: c for c in ok_cases(base)}
    o = {c["key"]: c for c in ok_cases(other)}
    common = [k for k in o if k in b]
    want = sorted(o[k]["eval_ns"]["median"] / b[k]["eval_ns"]["median"] for k in common)
    blocks = read_blocks(dat)
    if len(blocks) != 1:
        fail(f"{dat}: {len(blocks)} blocks, wanted 1 (one OTHER run)")
    got = sorted(float(r[1]) for r in blocks[0][2])
    if len(got) != len(want) or not all(close(g, w) for g, w in zip(got, want)):
        fail(f"{dat}: ratios {got[:5]}... differ from {want[:5]}... ({len(got)} vs {len(want)})")


def main(argv):
    if len(argv) >= 5 and argv[1] == "image":
        check_image(argv[2], int(argv[3]), int(argv[4]))
    elif len(argv) >= 6 and argv[1] == "curve":
        check_curve(argv[2], argv[3], argv[4], argv[5])
    elif len(argv) >= 5 and argv[1] == "ratio":
        check_ratio(argv[2], argv[3], argv[4])
    elif len(argv) >= 4 and argv[1] == "blocks":
        n = len(read_blocks(argv[2]))
        if n != int(argv[3]):
            fail(f"{argv[2]}: {n} blocks, wanted {argv[3]}")
    else:
        fail("usage: see the header of plot_check.py")


if __name__ == "__main__":
    main(sys.argv)
