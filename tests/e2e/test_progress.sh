#!/usr/bin/env bash
# ctest: run-serial (times real waits)
# test_progress.sh: the progress line on a terminal (a pty from script(1),
# 40 columns): every redraw fits one row (a wrapped line would leave a row
# behind at each redraw), the label keeps what varies (procedure=3), and a
# case that runs for seconds is redrawn while it runs (elapsed ticks); on a
# pipe, plain lines with no control characters.
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null 2>&1 || { echo "SKIP: no script(1) for a pty"; exit 77; }

# ane-sim really waits ~0.07 ms an eval: 2.5 s of sampling is ~35,000 evals.
cmd="stty cols 40; \"$BIN\" run --backend ane-sim:m5 --axis cin=64 --axis spatial=64 --axis procedure=0,3 \
--min-time 2.5 --max-time 2.5 --noise 0 --max-samples 10000000 --out \"$TMP/tty\""
in_pty "$cmd" >"$TMP/pty" 2>&1 </dev/null
"$PY" - "$TMP/pty" <<'PYEOF' && pass || fail "progress line on a terminal: $(tr '\r\033' '|~' <"$TMP/pty" | head -c 600)"
import re, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
draws = [s.replace("\x1b[K", "") for s in raw.split("\r") if s.startswith("\x1b[K[")]
assert draws, "no progress line drawn"
for d in draws:
    line = d.split("\n")[0]
    assert len(line) <= 39, "wider than the 40-column terminal: %r" % line
assert any("procedure=3" in d for d in draws), draws
ticks = {re.search(r"elapsed (\S+)", d).group(1) for d in draws if d.startswith("[1/2]")}
assert len(ticks) >= 2, "not redrawn while the first case ran: %s" % sorted(ticks)
PYEOF

# On a pipe: one plain line per case, no control characters.
expect_exit 0 "pipe" -- "$BIN" run --backend null --axis cin=8,16 --axis spatial=8 --min-samples 3 --max-time 0.01 \
  --min-time 0 --out "$TMP/pipe"
if grep -q $'[\r\033]' "$TMP/err"; then fail "control characters on a pipe"; else pass; fi
[ "$(grep -c '^\[[12]/2\] conv1x1 cin=' "$TMP/err")" = 2 ] && pass || fail "pipe lines: $(cat "$TMP/err")"

# A resume counts on (k of N of the whole run) and its worker ids go on
# from the run's instead of restarting at 1.
expect_exit 0 "run to resume" -- "$BIN" run --backend null --axis cin=8,16,32,64 --axis spatial=8 --min-time 0 \
  --max-time 0.01 --out "$TMP/res"
d=$(ls -d "$TMP"/res/*)
head -2 "$d/cases.jsonl" >"$TMP/j" && mv "$TMP/j" "$d/cases.jsonl"
expect_exit 0 "resume" -- "$BIN" run --resume "$d"
[ "$(grep -c '^\[[34]/4\] conv1x1 cin=' "$TMP/err")" = 2 ] && pass || fail "resume lines: $(cat "$TMP/err")"
"$PY" - "$d/cases.jsonl" <<'PYEOF' && pass || fail "worker ids after the resume: $(cat "$d/cases.jsonl" | head -c 300)"
import json, sys
w = [json.loads(l)["worker"] for l in open(sys.argv[1])]
assert len(w) == 4 and min(w[2:]) > max(w[:2]), w
PYEOF
finish
