#!/usr/bin/env bash
# End-to-end: `anebench run` on the cpu and null backends writes a complete
# run directory; bad input exits 2 with one line naming the bad token and
# leaves no run directory behind.
. "$(dirname "$0")/lib.sh"

out=$TMP/results
fast=(--min-samples 5 --max-samples 50 --min-time 0 --max-time 0.05 --warmup 1 --quiet --no-isolate)

# A small real sweep on cpu, including cases the cpu must skip.
expect_exit 0 "cpu run" -- "$BIN" run --backend cpu --axis cin=32,64 --axis spatial=64 --axis procedure=0,3 \
  --out "$out" "${fast[@]}"
dir=$(sed -n 's/^results: //p' "$TMP/out")
[ -d "$dir" ] || fail "run printed no results directory: $(cat "$TMP/out")"
for f in run.json cases.jsonl cases.csv results.json; do
  [ -s "$dir/$f" ] || fail "missing $f in $dir"
done
case "$(basename "$dir")" in
  [0-9]*T[0-9]*-*-cpu) pass ;;
  *) fail "run id '$(basename "$dir")' is not <UTC>-<host>-<backend>" ;;
esac
[ "$(nlines "$dir/cases.jsonl")" = 4 ] || fail "cases.jsonl should hold 4 records"
"$PY" - "$dir" <<'PYEOF' || fail "result files do not hold what the run did"
import json, sys, csv
d = sys.argv[1]
res = json.load(open(d + "/results.json"))
assert res["kind"] == "anebench-run" and res["schema_version"] == 1
assert res["backend"]["name"] == "cpu" and res["backend"]["simulated"] is False
assert res["timer"]["resolution_ns"] > 0 and res["timer"]["overhead_ns"] > 0
assert res["finished"] is not None and res["case_count"] == 4
cases = res["cases"]
assert len(cases) == 4, len(cases)
st = sorted(c["status"] for c in cases)
assert st == ["ok", "ok", "skipped", "skipped"], st
for c in cases:
    if c["status"] == "skipped":
        assert "procedure" in c["reason"], c["reason"]
rows = list(csv.DictReader(open(d + "/cases.csv")))
assert len(rows) == 4
assert [r["key"] for r in rows] == [c["key"] for c in cases]
PYEOF
pass

# The simulator with a weight file per layer (in worker processes: the
# setting reaches them): a 3-layer chain compiles, verifies, and run.json
# echoes the layout by name.
expect_exit 0 "ane-sim per-file" -- "$BIN" run --backend ane-sim:m4 --axis cin=64 --axis spatial=64 --axis depth=3 \
  --weights-layout per-file --phase-repeats 1 --out "$out" --min-samples 5 --max-samples 50 --min-time 0 \
  --max-time 0.05 --warmup 1 --quiet
dir=$(sed -n 's/^results: //p' "$TMP/out")
"$PY" - "$dir" <<'PYEOF' && pass || fail "per-file run"
import json, sys
d = sys.argv[1]
meta = json.load(open(d + "/run.json"))
assert meta["settings"]["weights_layout"] == "per-file", meta["settings"]
res = json.load(open(d + "/results.json"))
c = res["cases"]
assert len(c) == 1 and c[0]["status"] == "ok" and c[0]["verify_pass"] is True, c
PYEOF

# The null backend measures the harness itself.
expect_exit 0 "null run" -- "$BIN" run --backend null --axis cin=64 --axis spatial=64 --out "$out" "${fast[@]}"

# Progress on a pipe carries no control characters.
"$BIN" run --backend null --axis cin=64,128 --axis spatial=64 --out "$out" --min-samples 5 --max-samples 20 \
  --min-time 0 --max-time 0.02 --no-isolate >"$TMP/o2" 2>"$TMP/e2"
if LC_ALL=C grep -q $'[\r\033]' "$TMP/e2" "$TMP/o2"; then fail "control characters in piped output"; else pass; fi
grep -q "\[2/2\]" "$TMP/e2" || fail "no per-case progress line on a pipe: $(cat "$TMP/e2")"

# Help and version.
expect_exit 0 "--help" -- "$BIN" --help
expect_exit 0 "run --help" -- "$BIN" run --help
grep -q -- "--min-samples" "$TMP/out" || fail "run --help does not list --min-samples"
grep -q -- "--axis" "$TMP/out" || fail "run --help does not list --axis"
grep -q -- "--weights-layout single|per-file" "$TMP/out" || fail "run --help does not list --weights-layout"
expect_exit 0 "--version" -- "$BIN" --version
grep -q "^anebench " "$TMP/out" || fail "--version output"
expect_exit 0 "info" -- "$BIN" info
expect_exit 0 "info --json" -- "$BIN" info --json
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["timer"]["overhead_ns"] > 0; assert any(b["name"]=="cpu" and b["available"] for b in d["backends"])' "$TMP/out" || fail "info --json"

# Bad input: exit 2, one line naming the token, nothing written.
before=$(ls "$out" | wc -l)
expect_usage_error "unknown flag" "--frobnicate" -- "$BIN" run --frobnicate --out "$out"
expect_usage_error "unknown axis" "speed" -- "$BIN" run --axis speed=3 --out "$out"
expect_usage_error "qos 64" "64" -- "$BIN" run --axis qos=64 --out "$out"
expect_usage_error "procedure 16" "16" -- "$BIN" run --axis procedure=16 --out "$out"
expect_usage_error "zero size" "0" -- "$BIN" run --axis cin=0 --out "$out"
expect_usage_error "negative size" "-5" -- "$BIN" run --axis spatial=-5 --out "$out"
expect_usage_error "huge buffers" "65536" -- "$BIN" run --axis cin=65536 --axis spatial=65536 --axis depth=1024 --out "$out"
expect_usage_error "unknown backend" "gpu" -- "$BIN" run --backend gpu --out "$out"
expect_usage_error "bad setting value" "abc" -- "$BIN" run --min-samples abc --out "$out"
expect_usage_error "bad weights layout" "'perfile' is not one of single|per-file" -- "$BIN" run --weights-layout perfile --out "$out"
expect_usage_error "unknown preset" "nosuch" -- "$BIN" run --preset nosuch --out "$out"
printf '{"sweeps": [ {"axes": {"cin": "64..x"}} ] }' >"$TMP/bad.json"
expect_usage_error "malformed sweep file" "64..x" -- "$BIN" run --sweep "$TMP/bad.json" --out "$out"
printf '{"sweeps": [' >"$TMP/trunc.json"
expect_usage_error "truncated sweep file" "trunc.json" -- "$BIN" run --sweep "$TMP/trunc.json" --out "$out"
expect_usage_error "unknown command" "frob" -- "$BIN" frob
expect_usage_error "empty --out (an unset variable)" "--out: empty path" -- "$BIN" run --backend null --out ""
expect_usage_error "a range in words" "out of range (0.001..86400)" -- "$BIN" run --max-time 0 --out "$out"
after=$(ls "$out" | wc -l)
[ "$before" = "$after" ] || fail "a bad invocation left a run directory behind"

# An output directory that cannot be written.
if [ "$(id -u)" != 0 ]; then
  mkdir -p "$TMP/ro" && chmod 555 "$TMP/ro"
  expect_usage_error "unwritable out" "$TMP/ro" -- "$BIN" run --backend null --out "$TMP/ro/x" "${fast[@]}"
else
  printf 'not a directory' >"$TMP/file"
  expect_usage_error "out is a file" "$TMP/file" -- "$BIN" run --backend null --out "$TMP/file" "${fast[@]}"
fi

finish
