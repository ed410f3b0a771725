#!/usr/bin/env bash
# test_exit_guard.sh: a run ends, with its files finished, even when a
# library cannot: under `ulimit -v 100000` OpenBLAS starts a thread at load
# that never gets its memory, and its teardown at exit joins it for ever.
# The scheduler needs no BLAS to finish: the run ends within the exit grace
# time, and a SIGTERM once the files are done ends it at once.
. "$(dirname "$0")/lib.sh"

if "$BIN" info --json | grep -q '"sanitized":[[:space:]]*true'; then
  echo "skipped: a sanitized build cannot start under ulimit -v"
  finish
  exit $?
fi

fast=(--min-samples 3 --max-samples 20 --min-time 0 --max-time 0.005)

# A: the whole run under the limit: every case times out (the BLAS hangs in
# the worker too), and the scheduler still ends.
t0=$(date +%s)
(ulimit -v 100000; exec timeout -s KILL 60 "$BIN" run --backend cpu --axis cin=8,16 --axis spatial=8 --timeout 1 \
  "${fast[@]}" --out "$TMP/a" --quiet) >"$TMP/a.out" 2>"$TMP/a.err"
code=$?
secs=$(( $(date +%s) - t0 ))
[ "$code" = 1 ] && pass || fail "A: exit $code, wanted 1 (cases timed out): $(head -c 400 "$TMP/a.err")"
[ "$secs" -lt 30 ] && pass || fail "A: took $secs s"
dir=$(ls -d "$TMP"/a/*/ 2>/dev/null | head -1)
if "$PY" - "$dir" <<'PYEOF'; then pass; else fail "A: files"; fi
import json, sys
d = sys.argv[1]
assert json.load(open(d + "run.json"))["finished"]
cases = json.load(open(d + "results.json"))["cases"]
assert len(cases) == 2, cases
for c in cases:
    # Whichever way the worker fails here, its reason says where.
    assert c["status"] in ("timeout", "crashed", "failed"), c["status"]
    if c["status"] == "timeout":
        assert " in " in c["reason"] or "before its first phase" in c["reason"], c["reason"]
PYEOF

# B: SIGTERM once the summary is out ends the process at once.
(ulimit -v 100000; exec timeout -s KILL 60 "$BIN" run --backend cpu --axis cin=8 --axis spatial=8 --timeout 1 \
  "${fast[@]}" --out "$TMP/b" --quiet) >"$TMP/b.out" 2>"$TMP/b.err" &
pid=$!
for _ in $(seq 400); do grep -q '^results: ' "$TMP/b.out" 2>/dev/null && break; sleep 0.05; done
grep -q '^results: ' "$TMP/b.out" && pass || fail "B: no summary: $(cat "$TMP/b.err")"
t0=$(now_ms)
kill -TERM $pid # timeout(1) passes it on to the run it started
wait $pid
code=$?
ms=$(($(now_ms) - t0))
[ "$ms" -lt 3000 ] && pass || fail "B: SIGTERM took $ms ms to end it (exit $code)"
[ "$code" = 1 ] && pass || fail "B: exit $code, wanted the run's own 1"
finish
