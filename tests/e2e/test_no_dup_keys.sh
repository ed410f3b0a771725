#!/usr/bin/env bash
# test_no_dup_keys.sh: no JSON object anebench writes holds a key twice (a
# reader keeps one of the two silently): run.json, results.json and every
# line of cases.jsonl of an ane-sim run and of a cpu run, `anebench info
# --json` and the probe report; and `anebench info` prints each fact of a
# backend once. (The ane backend's describe() used to add "engine" and
# "simulated" after run and info had added them.)
. "$(dirname "$0")/lib.sh"
[ -x "$BIN" ] || { echo "no anebench binary at $BIN"; exit 77; }
export ANEBENCH_SIM_SCALE=0.01

# check_json FILE...: each file is one JSON document (or, for .jsonl, one
# per line) whose objects all have distinct keys.
check_json() {
  if "$PY" - "$@" <<'EOF'; then pass; else fail "duplicate keys (above)"; fi
import json, sys

def unique(pairs):
    keys = [k for k, _ in pairs]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise ValueError("key(s) %s twice in one object" % ", ".join(dup))
    return dict(pairs)

bad = 0
for path in sys.argv[1:]:
    with open(path) as f:
        docs = [l for l in f if l.strip()] if path.endswith(".jsonl") else [f.read()]
    for i, d in enumerate(docs):
        try:
            json.loads(d, object_pairs_hook=unique)
        except ValueError as e:
            print("%s%s: %s" % (path, " line %d" % (i + 1) if len(docs) > 1 else "", e))
            bad += 1
sys.exit(1 if bad else 0)
EOF
}

for backend in ane-sim:m5 cpu; do
  expect_exit 0 "run $backend" -- "$BIN" run --backend "$backend" --axis cin=64 --axis spatial=32 \
    --min-time 0 --max-time 0.01 --out "$TMP/runs-${backend%%:*}" --quiet || continue
  dir=$(sed -n 's/^results: //p' "$TMP/out" | tail -1)
  [ -d "$dir" ] || { fail "run $backend: no results line"; continue; }
  check_json "$dir/run.json" "$dir/results.json" "$dir/cases.jsonl"
done

expect_exit 0 "info --json" -- "$BIN" info --json && { cp "$TMP/out" "$TMP/info.json"; check_json "$TMP/info.json"; }

# The text form: within each backend's block, every fact once.
if expect_exit 0 "info" -- "$BIN" info; then
  if awk '/^backends/ {on = 1; next} /^presets/ {on = 0}
          on && /^  [^ ]/ {delete seen; name = $1; next}
          on && /^      / {if (seen[$1]++) {print "info: " name " prints " $1 " twice"; bad = 1}}
          END {exit bad}' "$TMP/out"; then pass; else fail "info prints a fact twice (above)"; fi
fi

expect_exit 0 "probe" -- "$BIN" probe --backend ane-sim:m5 -o "$TMP/probe.json" && check_json "$TMP/probe.json"

finish
