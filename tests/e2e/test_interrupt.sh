#!/usr/bin/env bash
# test_interrupt.sh: SIGTERM / SIGINT stop a run cleanly: the worker (and
# its process group) is killed, the files are finished (run.json says
# interrupted, results.json holds the cases done), the exact resume command
# is printed, the exit code is 130, and that command finishes the run. A
# second Ctrl-C stops an in-process run at once.
. "$(dirname "$0")/lib.sh"

fast=(--min-samples 3 --max-samples 20 --min-time 0 --max-time 0.005)

# wait_lines FILE N: until FILE has N lines (10 s at most).
wait_lines() {
  for _ in $(seq 200); do
    [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
    sleep 0.05
  done
  return 1
}
run_dir() { ls -d "$1"/*/ 2>/dev/null | head -1; }

# A: SIGTERM while a worker hangs on cin=3.
"$BIN" run --backend 'fault:hang@cin=3+spatial=5' --axis cin=1..5 --axis spatial=5 --timeout 60 "${fast[@]}" \
  --out "$TMP/a" --quiet >"$TMP/a.out" 2>"$TMP/a.err" &
pid=$!
dir=""
for _ in $(seq 200); do dir=$(run_dir "$TMP/a"); [ -n "$dir" ] && break; sleep 0.05; done
wait_lines "$dir/cases.jsonl" 2 || fail "A: two cases never finished"
sleep 0.3
[ "$(procs_with 'fault:hang@cin=3[+]spatial=5')" -ge 2 ] && pass || fail "A: no worker running"
kill -TERM $pid
t0=$(now_ms)
wait $pid
code=$?
ms=$(($(now_ms) - t0))
[ "$code" = 130 ] && pass || fail "A: exit $code, wanted 130: $(cat "$TMP/a.err")"
[ "$ms" -lt 3000 ] && pass || fail "A: took $ms ms to stop"
# The worker was sent SIGKILL; its death is asynchronous (an ASan process on a
# loaded host takes a while to tear down): give it 5 s.
for _ in $(seq 100); do [ "$(procs_with 'fault:hang@cin=3[+]spatial=5')" = 0 ] && break; sleep 0.05; done
[ "$(procs_with 'fault:hang@cin=3[+]spatial=5')" = 0 ] && pass || fail "A: the worker outlived the scheduler"
grep -q "resume with: .* run --resume " "$TMP/a.err" && pass || fail "A: no resume command: $(cat "$TMP/a.err")"
if "$PY" - "$dir" <<'PYEOF'; then pass; else fail "A: files after interruption"; fi
import json, sys
d = sys.argv[1]
m = json.load(open(d + "run.json"))
assert m["finished"] is None and m["interrupted"], (m["finished"], m.get("interrupted"))
res = json.load(open(d + "results.json"))
keys = [json.loads(l)["key"] for l in open(d + "cases.jsonl")]
assert len(keys) == 2 and [c["key"] for c in res["cases"]] == keys, keys
PYEOF
# The printed command, on a backend without the hang (hence --force).
cmd=$(sed -n 's/^anebench: resume with: //p' "$TMP/a.err")
expect_exit 0 "A: resume" -- bash -c "$cmd --force --backend fault:budget@50 --quiet"
keys=$("$PY" -c 'import json,sys; k=[json.loads(l)["key"] for l in open(sys.argv[1])]; print(len(k), len(set(k)))' \
  "$dir/cases.jsonl")
[ "$keys" = "5 5" ] && pass || fail "A: after resume: $keys"

# B: SIGINT between cases; the printed command, as printed, finishes the run.
"$BIN" run --backend null --axis cin=1..6 --axis spatial=1 --cooldown 0.4 --cooldown-fixed "${fast[@]}" --out "$TMP/b" --quiet \
  >"$TMP/b.out" 2>"$TMP/b.err" &
pid=$!
for _ in $(seq 200); do dir=$(run_dir "$TMP/b"); [ -n "$dir" ] && break; sleep 0.05; done
wait_lines "$dir/cases.jsonl" 2 || fail "B: two cases never finished"
kill -INT $pid
wait $pid
code=$?
[ "$code" = 130 ] && pass || fail "B: exit $code, wanted 130"
cmd=$(sed -n 's/^anebench: resume with: //p' "$TMP/b.err")
[ -n "$cmd" ] && pass || fail "B: no resume command: $(cat "$TMP/b.err")"
expect_exit 0 "B: the printed resume command" -- bash -c "$cmd"
if "$PY" - "$dir" <<'PYEOF'; then pass; else fail "B: files after resume"; fi
import json, sys
d = sys.argv[1]
keys = [json.loads(l)["key"] for l in open(d + "cases.jsonl")]
assert len(keys) == 6 and len(set(keys)) == 6, keys
m = json.load(open(d + "run.json"))
assert m["finished"] and "interrupted" not in m and len(m["resumed"]) == 1, m
assert len(json.load(open(d + "results.json"))["cases"]) == 6
PYEOF

# C: in-process, the first Ctrl-C waits for the case in flight (here: for
# ever) and says so; the second stops at once and prints the resume command.
"$BIN" run --backend 'fault:hang@cin=1+spatial=7' --axis cin=1 --axis spatial=7 --no-isolate "${fast[@]}" \
  --out "$TMP/c" >"$TMP/c.out" 2>"$TMP/c.err" &
pid=$!
# A background job of a non-interactive shell starts with SIGINT ignored, so
# a Ctrl-C sent before the run installs its handler is lost (and the second
# one would count as the first): wait for the line the run prints after it
# has installed its handlers (a slow start, e.g. under ASan on a loaded host).
for _ in $(seq 400); do grep -q "^anebench: 1 cases on " "$TMP/c.err" && break; sleep 0.05; done
grep -q "^anebench: 1 cases on " "$TMP/c.err" || fail "C: the run never started: $(cat "$TMP/c.err")"
sleep 0.3
kill -INT $pid
sleep 0.5
kill -0 $pid 2>/dev/null && pass || fail "C: the first Ctrl-C did not wait for the case"
kill -INT $pid
t0=$(now_ms)
wait $pid
code=$?
ms=$(($(now_ms) - t0))
[ "$code" = 130 ] && pass || fail "C: exit $code after the second Ctrl-C"
[ "$ms" -lt 1000 ] && pass || fail "C: the second Ctrl-C took $ms ms"
grep -q "^anebench: interrupted: finishing the case in flight (at most 120 s, --timeout) and the files (again to stop at once)$" "$TMP/c.err" \
  && pass || fail "C: the first Ctrl-C said nothing: $(cat "$TMP/c.err")"
cmd=$(sed -n 's/^anebench: stopped at once; resume with: //p' "$TMP/c.err")
if [ -n "$cmd" ]; then
  pass
  expect_exit 0 "C: the resume command the second Ctrl-C printed" -- bash -c "$cmd --force --backend fault:budget@50 --quiet"
else
  fail "C: the second Ctrl-C printed no resume command: $(cat "$TMP/c.err")"
fi

# D: in-process, one SIGTERM on a case that never ends: it waits for the
# case at most --timeout, then stops as a second signal would (resume
# command printed, exit 130): a single SIGTERM always ends a run.
# (timeout(1) passes the SIGTERM on, and ends a run that ignores it.)
timeout -s KILL 20 "$BIN" run --backend 'fault:hang@cin=1+spatial=9' --axis cin=1 --axis spatial=9 --no-isolate \
  --timeout 1 "${fast[@]}" --out "$TMP/d" --quiet >"$TMP/d.out" 2>"$TMP/d.err" &
pid=$!
# As in C, once its handlers are set (its files are written by then).
for _ in $(seq 200); do dir=$(run_dir "$TMP/d"); [ -n "$dir" ] && [ -f "$dir/sweep.json" ] && break; sleep 0.05; done
sleep 0.5
kill -TERM $pid
t0=$(now_ms)
wait $pid
code=$?
ms=$(($(now_ms) - t0))
[ "$code" = 130 ] && pass || fail "D: exit $code after one SIGTERM, wanted 130: $(cat "$TMP/d.err")"
[ "$ms" -lt 4000 ] && pass || fail "D: one SIGTERM took $ms ms"
grep -q "(at most 1 s, --timeout)" "$TMP/d.err" && grep -q "resume with: " "$TMP/d.err" && pass \
  || fail "D: messages: $(cat "$TMP/d.err")"
finish
