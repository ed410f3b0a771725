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
  plot_check.py text SVG [+T|-T]...    the SVG's text elements hold T (+T) or do not (-T),
                                       as a substring of one element
  plot_check.py front SVG T            the text element T comes after every filled box (drawn
                                       over them: a watermark bars do not hide)
  plot_check.py pairs SVG              each x tic label of a bar chart of pairs is centred
                                       under a pair of bars, and every pair has one

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


def svg_elements(path):
    try:
        return list(ET.parse(path).getroot().iter())
    except (OSError, ET.ParseError) as e:
        fail(f"{path}: {e}")


def svg_texts(path):
    return [e.text or "" for e in svg_elements(path) if e.tag.endswith("text")]


def check_text(path, wants):
    texts = svg_texts(path)
    for w in wants:
        sign, t = w[0], w[1:]
        found = any(t in x for x in texts)
        if sign == "+" and not found:
            fail(f"{path}: no text holds {t!r}")
        if sign == "-" and found:
            fail(f"{path}: a text holds {t!r}: {[x for x in texts if t in x][:3]}")


def check_front(path, text):
    els = svg_elements(path)
    at = [i for i, e in enumerate(els) if e.tag.endswith("text") and (e.text or "") == text]
    boxes = [i for i, e in enumerate(els) if e.tag.endswith("polygon") and e.get("fill-opacity")]
    if not at or not boxes:
        fail(f"{path}: {len(at)} texts {text!r}, {len(boxes)} filled boxes")
    if at[-1] < boxes[-1]:
        fail(f"{path}: {text!r} is drawn before the last filled box (hidden behind bars)")


def translate(g):
    """(x, y) of a group's translate(x,y) transform, or None."""
    t = g.get("transform") or ""
    if not t.startswith("translate("):
        return None
    x, y = t[len("translate("):].split(")")[0].split(",")
    return float(x), float(y)


def check_pairs(path):
    els = svg_elements(path)
    boxes = []
    for e in els:
        if e.tag.endswith("polygon") and e.get("fill-opacity"):
            pts = [tuple(float(v) for v in p.split(",")) for p in e.get("points").split()]
            boxes.append((min(x for x, _ in pts), max(x for x, _ in pts), max(y for _, y in pts)))
    # bars stand on the x axis (the legend's samples do not)
    base = max((b[2] for b in boxes), key=lambda y: sum(1 for b in boxes if b[2] == y), default=0)
    bars = sorted((b[0], b[1]) for b in boxes if b[2] == base)
    if len(bars) < 2 or len(bars) % 2:
        fail(f"{path}: {len(bars)} bars, not pairs")
    mids = [(bars[i][0] + bars[i + 1][1]) / 2 for i in range(0, len(bars), 2)]
    # the tic labels: texts below the axis; an upright one is anchored half
    # a line beside its centre
    labels = []
    for g in els:
        kids = [k for k in g if k.tag.endswith("text")]
        at = translate(g)
        if at and kids and at[1] > base and "=" in (kids[0].text or ""):
            labels.append((at[0], kids[0].text))
            # centred on the anchor, or upright: a slanted label starting at
            # its tic runs on under the next pair
            turn = g.get("transform").split("rotate(")[-1].split(")")[0] if "rotate(" in g.get("transform") else "0"
            if not (g.get("text-anchor") == "middle" and turn == "0") and float(turn) % 180 != 90:
                fail(f"{path}: label {kids[0].text!r} is neither centred nor upright "
                     f"({g.get('transform')}, anchor {g.get('text-anchor')})")
    for x, t in labels:
        if min(abs(x - m) for m in mids) > 6:
            fail(f"{path}: label {t!r} at x={x:.1f} is under no pair (pair centres {[round(m) for m in mids]})")
    for m in mids:
        if min((abs(x - m) for x, _ in labels), default=99) > 6:
            fail(f"{path}: the pair centred at x={m:.1f} has no label")


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
    elif len(argv) >= 3 and argv[1] == "text":
        check_text(argv[2], argv[3:])
    elif len(argv) >= 4 and argv[1] == "front":
        check_front(argv[2], argv[3])
    elif len(argv) >= 3 and argv[1] == "pairs":
        check_pairs(argv[2])
    else:
        fail("usage: see the header of plot_check.py")


if __name__ == "__main__":
    main(sys.argv)
