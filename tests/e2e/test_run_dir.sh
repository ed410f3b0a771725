#!/usr/bin/env bash
# test_run_dir.sh: what a run directory guarantees (docs/overnight.md):
#  A. one process at a time: a second `run --resume` of a directory in use
#     (by a fresh run or by another resume) is refused, exit 2, naming the
#     holder's pid; the lock dies with its holder (kill -9 included).
#  B. the run keeps the sweep it was started with (DIR/sweep.json): a resume
#     from another directory, or after the user's file changed, runs the
#     stored sweep, not whatever the relative path names now.
#  C. a run that never started (run.json cannot be written) leaves nothing
#     behind, not even the parents made for it, and prints no resume command.
#  D. a final write that fails (results.json past a file-size limit) says so
#     and prints a resume command that works.
. "$(dirname "$0")/lib.sh"

fast=(--min-samples 3 --max-samples 20 --min-time 0 --max-time 0.005)
run_dir() { ls -d "$1"/*/ 2>/dev/null | head -1; }
wait_lines() {
  for _ in $(seq 200); do
    [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
    sleep 0.05
  done
  return 1
}

# A: a fresh run hanging on its third case owns its directory.
"$BIN" run --backend 'fault:hang@cin=3' --axis cin=1..4 --axis spatial=4 --timeout 60 "${fast[@]}" \
  --out "$TMP/a" --quiet >"$TMP/a.out" 2>"$TMP/a.err" &
pid=$!
dir=""
for _ in $(seq 200); do dir=$(run_dir "$TMP/a"); [ -n "$dir" ] && break; sleep 0.05; done
wait_lines "$dir/cases.jsonl" 2 || fail "A: two cases never finished"
expect_usage_error "A: resume of a running fresh run" "pid $pid" -- "$BIN" run --resume "$dir" --quiet
grep -q "is in use by another anebench" "$TMP/err" && pass || fail "A: message: $(cat "$TMP/err")"
[ "$(nlines "$dir/cases.jsonl")" = 2 ] && pass || fail "A: the refused resume touched the journal"
{ kill -9 $pid; wait $pid; } 2>/dev/null
# The holder is gone (kill -9): the lock went with it. This resume hangs
# on cin=3 too and owns the directory in turn.
"$BIN" run --resume "$dir" --timeout 60 --force --quiet >"$TMP/a2.out" 2>"$TMP/a2.err" &
pid2=$!
for _ in $(seq 100); do [ "$(cat "$dir/run.lock" 2>/dev/null)" = "$pid2" ] && break; sleep 0.05; done
[ "$(cat "$dir/run.lock")" = "$pid2" ] && pass || fail "A: the resume after kill -9 did not take the run: $(cat "$TMP/a2.err")"
expect_usage_error "A: a second resume at once" "pid $pid2" -- "$BIN" run --resume "$dir" --quiet
kill -TERM $pid2
wait $pid2
code=$?
[ "$code" = 130 ] && pass || fail "A: the first resume ended $code: $(cat "$TMP/a2.err")"
expect_exit 0 "A: resume once nobody holds it" -- "$BIN" run --resume "$dir" --force --backend fault:budget@50 --quiet
keys=$("$PY" -c 'import json,sys; k=[json.loads(l)["key"] for l in open(sys.argv[1])]; print(len(k), len(set(k)))' \
  "$dir/cases.jsonl")
[ "$keys" = "4 4" ] && pass || fail "A: journal after the resumes: $keys"

# B: a relative --sweep file; the resume runs elsewhere, after it changed.
mkdir -p "$TMP/b/start" "$TMP/b/elsewhere"
printf '{"sweeps": [{"axes": {"cin": [8, 16, 24, 32], "spatial": [4]}}]}\n' >"$TMP/b/start/my.json"
printf '{"sweeps": [{"axes": {"cin": [100, 200], "spatial": [4]}}]}\n' >"$TMP/b/elsewhere/my.json"
cp "$TMP/b/start/my.json" "$TMP/b/orig.json"
(cd "$TMP/b/start" && exec "$BIN" run --sweep my.json --backend 'fault:hang@cin=24' --timeout 60 "${fast[@]}" \
  --out ../runs --quiet >"$TMP/b.out" 2>"$TMP/b.err") &
pid=$!
for _ in $(seq 200); do dir=$(run_dir "$TMP/b/runs"); [ -n "$dir" ] && break; sleep 0.05; done
wait_lines "$dir/cases.jsonl" 2 || fail "B: two cases never finished"
cmp -s "$dir/sweep.json" "$TMP/b/orig.json" && pass || fail "B: sweep.json is not the file the run read"
kill -TERM $pid
wait $pid
printf '{"sweeps": [{"axes": {"cin": [1, 2], "spatial": [4]}}]}\n' >"$TMP/b/start/my.json" # edited since
(cd "$TMP/b/elsewhere" && "$BIN" list --resume "$dir" >"$TMP/b.list" 2>"$TMP/b.list.err")
grep -q "cin=24 " "$TMP/b.list" && ! grep -q "cin=100 " "$TMP/b.list" && pass \
  || fail "B: list --resume does not show the stored sweep: $(cat "$TMP/b.list" "$TMP/b.list.err")"
(cd "$TMP/b/elsewhere" && "$BIN" run --resume "$dir" --force --backend fault:budget@50 --quiet >"$TMP/b2.out" 2>"$TMP/b2.err")
code=$?
[ "$code" = 0 ] && pass || fail "B: resume exit $code: $(cat "$TMP/b2.err")"
if "$PY" - "$dir" <<'PYEOF'; then pass; else fail "B: the resumed run is not the stored sweep"; fi
import json, sys
cins = sorted(json.loads(l)["params"]["cin"] for l in open(sys.argv[1] + "cases.jsonl"))
assert cins == [8, 16, 24, 32], cins
PYEOF
expect_usage_error "B: --resume with a selection" "--resume" -- "$BIN" run --resume "$dir" --sweep my.json

# C: run.json cannot be written: a file-size limit of 3 kB passes the CSV
# header (about 1.2 kB) but not a run.json made long (about 7 kB) by a
# command line that repeats an axis. Nothing stays, not the run directory
# nor the parents made for it.
long=()
for _ in $(seq 150); do long+=(--axis spatial=8); done
(ulimit -f 3; exec "$BIN" run --backend null --axis cin=8 "${long[@]}" "${fast[@]}" --out "$TMP/c/deep/er" \
  --quiet) >"$TMP/c.out" 2>"$TMP/c.err"
code=$?
[ "$code" = 1 ] && pass || fail "C: exit $code, wanted 1: $(cat "$TMP/c.err")"
[ ! -e "$TMP/c" ] && pass || fail "C: left behind: $(find "$TMP/c")"
grep -q "run.json" "$TMP/c.err" && pass || fail "C: the error does not name run.json: $(cat "$TMP/c.err")"
grep -q "resume with" "$TMP/c.err" && fail "C: printed a resume command for a run that never started" || pass

# D: results.json past a 20 kB file-size limit, the journal within it: 20
# skipped cases (cpu has no fp16) make records of a size no timing changes:
# about 16.7 kB of journal, 23 kB of results.json.
(ulimit -f 20; exec "$BIN" run --backend cpu --axis io=fp16 --axis cin=1..20 --axis spatial=4 \
  --out "$TMP/d" --quiet) >"$TMP/d.out" 2>"$TMP/d.err"
code=$?
dir=$(run_dir "$TMP/d")
[ "$code" = 1 ] && pass || fail "D: exit $code, wanted 1: $(cat "$TMP/d.err")"
grep -q "cannot write .*results.json" "$TMP/d.err" && pass || fail "D: no message naming results.json: $(cat "$TMP/d.err")"
cmd=$(sed -n 's/^anebench: resume with: //p' "$TMP/d.err")
if [ -n "$cmd" ]; then
  pass
  expect_exit 0 "D: the printed resume command" -- bash -c "$cmd --quiet"
  "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); assert len(r["cases"]) == 20 and r["finished"]' \
    "$dir/results.json" && pass || fail "D: results.json after the resume"
else
  fail "D: no resume command: $(cat "$TMP/d.err")"
fi
finish
