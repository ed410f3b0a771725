#!/usr/bin/env bash
# test_schedule.sh: the scheduler's order and pacing: --shuffle SEED runs a
# seeded permutation (same seed, same order; not enumeration order; every
# case once; `list --shuffle` shows it; a resume keeps it), --compiles-per-worker N replaces the worker every N cases,
# --cooldown S --cooldown-fixed waits between cases, records carry a thermal state (one of
# the names, or null where the platform reports none), and the progress ETA
# appears on a pipe.
. "$(dirname "$0")/lib.sh"

fast=(--min-samples 3 --max-samples 20 --min-time 0 --max-time 0.005)
sel=(--backend null --axis cin=1..12 --axis spatial=1)

expect_exit 0 "shuffled run 1" -- "$BIN" run "${sel[@]}" "${fast[@]}" --shuffle 7 --compiles-per-worker 3 --out "$TMP/s1"
grep -q "eta" "$TMP/err" && pass || fail "no eta in the progress lines"
expect_exit 0 "shuffled run 2" -- "$BIN" run "${sel[@]}" "${fast[@]}" --shuffle 7 --out "$TMP/s2" --quiet
expect_exit 0 "other seed" -- "$BIN" run "${sel[@]}" "${fast[@]}" --shuffle 8 --out "$TMP/s3" --quiet
if "$PY" - "$TMP" <<'PYEOF'; then pass; else fail "shuffle / workers"; fi
import glob, json, sys, collections
t = sys.argv[1]
def recs(name):
    return [json.loads(l) for l in open(glob.glob(f"{t}/{name}/*/cases.jsonl")[0])]
a, b, c = recs("s1"), recs("s2"), recs("s3")
ka, kb, kc = [r["params"]["cin"] for r in a], [r["params"]["cin"] for r in b], [r["params"]["cin"] for r in c]
assert sorted(ka) == list(range(1, 13)), ka
assert ka == kb, (ka, kb)                      # same seed, same order
assert ka != list(range(1, 13)), ka            # not the enumeration order
assert ka != kc, (ka, kc)                      # another seed, another order
assert [r["index"] for r in a] == [k - 1 for k in ka]  # records keep their enumeration index
# --compiles-per-worker 3: workers 1..4, three cases each, in run order.
assert [r["worker"] for r in a] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4], [r["worker"] for r in a]
names = {None, "nominal", "fair", "serious", "critical"}
assert all(r["thermal_state"] in names for r in a), {r["thermal_state"] for r in a}
assert all(r["power_source"] in (None, "ac", "battery") for r in a)
PYEOF

# `list --shuffle` shows the order that run runs; a resumed shuffled run
# keeps the seed's order for the cases left (not a fresh shuffle of them).
if expect_exit 0 "list --shuffle" -- "$BIN" list "${sel[@]}" --shuffle 7; then
  s2=$(ls -d "$TMP"/s2/*/)
  want=$("$PY" -c 'import json,sys; print(" ".join("cin=%d" % json.loads(l)["params"]["cin"] for l in open(sys.argv[1])))' "$s2/cases.jsonl")
  got=$(grep -o "cin=[0-9]*" "$TMP/out" | tr '\n' ' ' | sed 's/ $//')
  [ "$got" = "$want" ] && pass || fail "list --shuffle order '$got', run order '$want'"
  head -n 5 "$s2/cases.jsonl" >"$TMP/first5" && cp "$TMP/first5" "$s2/cases.jsonl" && rm -f "$s2/results.json"
  if expect_exit 0 "resume shuffled" -- "$BIN" run --resume "$s2" --quiet; then
    got=$("$PY" -c 'import json,sys; print(" ".join("cin=%d" % json.loads(l)["params"]["cin"] for l in open(sys.argv[1])))' "$s2/cases.jsonl")
    [ "$got" = "$want" ] && pass || fail "resumed order '$got', uninterrupted order '$want'"
  fi
fi

# --cooldown-fixed: three cases, two pauses of 0.4 s (without it, a machine
# that reports no thermal state is not paused for: test_scheduler.c).
t0=$(now_ms)
expect_exit 0 "cooldown" -- "$BIN" run --backend null --axis cin=1..3 --axis spatial=1 "${fast[@]}" --cooldown 0.4 --cooldown-fixed \
  --out "$TMP/c" --quiet
ms=$(($(now_ms) - t0))
[ "$ms" -ge 800 ] && pass || fail "cooldown: the run took $ms ms, wanted >= 800"
finish
