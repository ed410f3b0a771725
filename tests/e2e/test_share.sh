#!/bin/bash
# test_share.sh: end-to-end tests of sharing results: `anebench export`,
# `report` and `leaderboard` on fresh runs (cpu, ane-sim:m4, ane-sim:m5 of
# the plot fixtures' small sweep, written under an absolute temporary path):
#  - bad usage: exit 2 and one line naming the bad token; --help exits 0;
#  - an export holds no host name, user name or absolute path (every string
#    of it checked, plus a grep for the names and the folders involved), says
#    what it removed, carries the hardware hash, tool version and commands;
#  - compare, plot and report read an export wherever they read a run;
#  - report: md of one run and of several (one column per run), txt, -o;
#  - leaderboard of the three exports: byte-identical across two invocations
#    and across input orders, simulated runs in a table of their own, csv and
#    json parse.
. "$(dirname "$0")/lib.sh"

SWEEP=$SRC/tests/fixtures/plot/sweep.json

# ---- usage ----
expect_usage_error "report --format" "pdf" -- "$BIN" report x --format pdf
expect_usage_error "report --top" "--top '0'" -- "$BIN" report x --top 0
expect_usage_error "report unknown option" "--bogus" -- "$BIN" report x --bogus
expect_usage_error "report no run" "at least one RUN" -- "$BIN" report
expect_usage_error "report missing run" "$TMP/nope" -- "$BIN" report "$TMP/nope"
expect_usage_error "export no -o" "-o FILE" -- "$BIN" export "$SRC/tests/fixtures/plot/m5.json"
expect_usage_error "export two runs" "'b'" -- "$BIN" export a b -o x.json
expect_usage_error "leaderboard --format" "xml" -- "$BIN" leaderboard a --format xml
expect_usage_error "leaderboard no file" "at least one FILE" -- "$BIN" leaderboard
for c in report export leaderboard; do
  expect_exit 0 "$c --help" -- "$BIN" $c --help && grep -q "^usage: anebench $c" "$TMP/out" && pass ||
    fail "$c --help: no usage line"
done
"$BIN" --help | grep -q "^  leaderboard " && pass || fail "anebench --help does not list leaderboard"

# ---- three fresh runs, under an absolute path ----
for b in cpu ane-sim:m4 ane-sim:m5; do
  n=${b#ane-sim:}
  ANEBENCH_SIM_SCALE=0.01 "$BIN" run --sweep "$SWEEP" --backend "$b" --out "$TMP/runs/$n" --quiet \
    --min-samples 5 --max-time 0.05 --cooldown 0 >"$TMP/run.out" 2>&1
  code=$?
  # exit 1: a case failed (the m4 profile refuses the real-time path): still a run
  [ "$code" = 0 ] || [ "$code" = 1 ] || fail "run $b: exit $code: $(head -c 300 "$TMP/run.out")"
  dir=$(ls -d "$TMP/runs/$n"/*/ | head -1)
  expect_exit 0 "export $b" -- "$BIN" export "$dir" -o "$TMP/$n.json"
done
run_host=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["host"]["hostname"])' \
  "$(ls -d "$TMP"/runs/m5/*/)/run.json")

# ---- an export: redacted ----
for n in cpu m4 m5; do
  f=$TMP/$n.json
  if "$PY" - "$f" "$run_host" "$(hostname)" "$(id -un)" "$TMP" "${HOME:-/nonexistent}" "$PWD" <<'PYEOF'; then pass; else fail "export $n is not redacted"; fi
import json, re, sys
path, run_host, here, user, tmp, home, cwd = sys.argv[1:8]
doc = json.load(open(path))
text = open(path).read()
bad = []
def words(s):
    return set(re.findall(r"[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*", s))
def walk(v, where):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(x, where + "." + k)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(x, "%s[%d]" % (where, i))
    elif isinstance(v, str):
        # an absolute path starts a word with / or ~
        if re.search(r"(^|[\s=:'\"(,\[<])[/~][^\s]", v):
            bad.append("absolute path at %s: %r" % (where, v))
        for name in (run_host, here, here.split(".")[0], user):
            if len(name) >= 2 and re.search(r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])", v, re.I):
                bad.append("name %r at %s: %r" % (name, where, v))
walk(doc, "")
for folder in (tmp, home, cwd):
    if folder and folder != "/" and folder in text:
        bad.append("folder %s in the file" % folder)
if doc.get("kind") != "anebench-export" or doc["host"]["hostname"] is not None:
    bad.append("kind or host.hostname")
ex = doc["export"]
for k in ("removed", "hardware_hash", "hardware", "tool", "run_command", "export_command"):
    if k not in ex:
        bad.append("export." + k + " missing")
if not re.fullmatch(r"fnv1a64:[0-9a-f]{16}", ex["hardware_hash"]):
    bad.append("hardware_hash " + ex["hardware_hash"])
if "dirty" not in ex["tool"] or ex["run_command"][:2] != ["anebench", "run"] or ex["export_command"][:2] != ["anebench", "export"]:
    bad.append("tool or commands: %r" % ex)
if len(doc["cases"]) != 21 or "eval_samples_ns" not in doc["cases"][0]:
    bad.append("cases: %d" % len(doc["cases"]))
for b in bad[:10]:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
done
# a plain grep too, for the names as words anywhere in the files
for name in "$run_host" "$(id -un)"; do
  if [ ${#name} -ge 2 ] && grep -qiw -- "$name" "$TMP"/cpu.json "$TMP"/m4.json "$TMP"/m5.json; then
    fail "an export names '$name': $(grep -oiw -m1 -- ".\{20\}$name.\{20\}" "$TMP"/m5.json | head -1)"
  else
    pass
  fi
done

# ---- exports read wherever a run is read ----
expect_exit 0 "report of an export" -- "$BIN" report "$TMP/m5.json"
grep -q "SIMULATED" "$TMP/out" && grep -q "Headline figures" "$TMP/out" && pass || fail "report of an export"
expect_exit 0 "compare of exports" -- "$BIN" compare "$TMP/m4.json" "$TMP/m5.json" --format md
mkdir -p "$TMP/plots"
"$BIN" plot "$TMP/m5.json" -o "$TMP/plots" >"$TMP/out" 2>"$TMP/err"
code=$?
[ "$code" = 0 ] || [ "$code" = 3 ] && ls "$TMP/plots"/*.dat >/dev/null 2>&1 && pass ||
  fail "plot of an export: exit $code: $(cat "$TMP/err")"
expect_exit 0 "leaderboard of a run directory" -- "$BIN" leaderboard "$(ls -d "$TMP"/runs/cpu/*/)"

# ---- report ----
expect_exit 0 "report of three runs" -- "$BIN" report "$TMP/cpu.json" "$TMP/m4.json" "$TMP/m5.json"
grep -q "Cases, one column per run" "$TMP/out" && grep -q "| case | cpu | ane-sim:m4 | ane-sim:m5 | max / min |" "$TMP/out" &&
  pass || fail "report of three runs: no wide table: $(head -c 600 "$TMP/out")"
expect_exit 0 "report txt -o" -- "$BIN" report "$TMP/m4.json" --format txt -o "$TMP/r.txt"
[ ! -s "$TMP/out" ] && grep -q "^Headline figures" "$TMP/r.txt" && grep -q "^Sweeps" "$TMP/r.txt" &&
  pass || fail "report txt -o: $(head -c 300 "$TMP/r.txt")"

# ---- leaderboard ----
expect_exit 0 "leaderboard" -- "$BIN" leaderboard "$TMP/cpu.json" "$TMP/m4.json" "$TMP/m5.json"
cp "$TMP/out" "$TMP/lb1.md"
expect_exit 0 "leaderboard again" -- "$BIN" leaderboard "$TMP/cpu.json" "$TMP/m4.json" "$TMP/m5.json" -o "$TMP/lb2.md"
cmp -s "$TMP/lb1.md" "$TMP/lb2.md" && pass || fail "leaderboard differs between two invocations"
expect_exit 0 "leaderboard reordered" -- "$BIN" leaderboard "$TMP/m5.json" "$TMP/cpu.json" "$TMP/m4.json"
cmp -s "$TMP/lb1.md" "$TMP/out" && pass || fail "leaderboard depends on the order of its inputs"
grep -q "^#### SIMULATED (not measured on a device)" "$TMP/lb1.md" && grep -q "^#### Measured" "$TMP/lb1.md" &&
  [ "$(grep -c '^| [0-9].* SIMULATED' "$TMP/lb1.md")" = 2 ] && pass || fail "leaderboard: simulated runs not apart: $(cat "$TMP/lb1.md")"
for fmt in csv json; do
  "$BIN" leaderboard "$TMP/cpu.json" "$TMP/m4.json" "$TMP/m5.json" --format $fmt >"$TMP/lb.$fmt" &&
    "$BIN" leaderboard "$TMP/m4.json" "$TMP/m5.json" "$TMP/cpu.json" --format $fmt | cmp -s - "$TMP/lb.$fmt" &&
    pass || fail "leaderboard $fmt not deterministic"
done
if "$PY" - "$TMP/lb.csv" "$TMP/lb.json" <<'PYEOF'; then pass; else fail "leaderboard csv/json"; fi
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 3, rows
assert [r["simulated"] for r in rows] == ["false", "true", "true"], rows
assert rows[0]["backend"] == "cpu" and float(rows[0]["peak"]) > 0
doc = json.load(open(sys.argv[2]))
assert doc["kind"] == "anebench-leaderboard" and doc["submissions"] == 3
p = doc["presets"][0]
assert len(p["measured"]) == 1 and len(p["simulated"]) == 2
assert all(r["simulated"] for r in p["simulated"])
assert p["simulated"][0]["peak"] >= p["simulated"][1]["peak"]
PYEOF

# ---- compare --format md: one GitHub comment, the summary first ----
if [ -n "${GEN_COMPARE_FIXTURE:-}" ]; then
  "$GEN_COMPARE_FIXTURE" "$TMP/cb.json" base 2000 5 >/dev/null && "$GEN_COMPARE_FIXTURE" "$TMP/co.json" other 2000 5 >/dev/null
  for others in "$TMP/co.json" "$TMP/co.json $TMP/cb.json"; do
    # shellcheck disable=SC2086
    "$BIN" compare "$TMP/cb.json" $others --format md >"$TMP/cmp.md" 2>"$TMP/err"
    if "$PY" - "$TMP/cmp.md" <<'PYEOF'; then pass; else fail "compare md of 2000 cases ($others)"; fi
import re, sys
md = open(sys.argv[1], encoding="utf-8").read()
assert len(md) <= 65536, len(md)
secs = md.split("### anebench compare:")[1:]
assert secs
# the first section (BASE against the other fixture) has changes, and more cases than fit
sec = secs[0]
assert sec.index("**Summary:**") < sec.index("**Largest changes**") < sec.index("cases compared</summary>"), "order"
assert re.search(r"\n\d+ of \d+ cases listed \(the largest changes\), to fit in one GitHub comment", sec), "no cut note"
tags = re.findall(r"<(/?[a-z]+)", md)
assert set(tags) <= {"details", "/details", "summary", "/summary"}, set(tags)
assert tags.count("details") == tags.count("/details")
PYEOF
  done
else
  fail "GEN_COMPARE_FIXTURE is not set (tests/compare.cmake sets it)"
fi

finish
