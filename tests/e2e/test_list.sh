#!/usr/bin/env bash
# End-to-end: `anebench list`: the quick preset's keys, overrides, zip,
# skipped reasons, every preset file, and bad input (exit 2, one line
# naming the bad token).
. "$(dirname "$0")/lib.sh"
[ -x "$BIN" ] || { echo "no anebench binary at $BIN"; exit 77; }

key() { # key CIN COUT SPATIAL [DEPTH IO QOS PROC MODE]
  echo "conv1x1 cin=$1 cout=$2 spatial=$3 depth=${4:-1} io=${5:-fp32} qos=${6:-21} procedure=${7:-0} mode=${8:-normal}"
}

# The default selection is quick: 6 channel counts x 5 spatial sizes, last axis fastest.
expect_exit 0 "list (default quick)" -- "$BIN" list
{
  for c in 64 128 256 512 1024 2048; do for s in 64 128 256 512 1024; do key $c $c $s; done; done
  echo "30 cases"
} >"$TMP/want"
cmp -s "$TMP/out" "$TMP/want" && pass || fail "list output differs: $(diff "$TMP/want" "$TMP/out" | head -5)"
[ -s "$TMP/err" ] && fail "list wrote to stderr: $(cat "$TMP/err")"
expect_exit 0 "list --preset quick" -- "$BIN" list --preset quick
cmp -s "$TMP/out" "$TMP/want" && pass || fail "--preset quick differs from the default"

# Overrides replace the preset's axis; the others keep the preset's values.
expect_exit 0 "list --axis" -- "$BIN" list --preset quick --axis cin=32,48 --axis=io=fp16
{
  for c in 32 48; do for s in 64 128 256 512 1024; do key $c $c $s 1 fp16; done; done
  echo "10 cases"
} >"$TMP/want"
cmp -s "$TMP/out" "$TMP/want" && pass || fail "--axis output differs: $(diff "$TMP/want" "$TMP/out" | head -5)"

# Zip: cin and spatial advance together.
expect_exit 0 "list --zip" -- "$BIN" list --axis cin=64..256*2 --axis spatial=10..30:10 --zip cin,spatial
printf '%s\n' "$(key 64 64 10)" "$(key 128 128 20)" "$(key 256 256 30)" "3 cases" >"$TMP/want"
cmp -s "$TMP/out" "$TMP/want" && pass || fail "--zip output differs: $(diff "$TMP/want" "$TMP/out" | head -5)"

# A case no backend can run is listed with its reason.
expect_exit 0 "list invalid chain" -- "$BIN" list --axis cin=64 --axis cout=64,128 --axis depth=4 --axis spatial=8
grep -qxF "$(key 64 64 8 4)" "$TMP/out" && pass || fail "valid chain case missing"
grep -qxF "$(key 64 128 8 4)  (skipped: depth>1 needs cin == cout)" "$TMP/out" && pass ||
  fail "invalid chain case not marked: $(cat "$TMP/out")"

# With --backend, the backend's refusals carry its reason (cpu has no procedure index).
expect_exit 0 "list --backend cpu" -- "$BIN" list --preset procedure --backend cpu
[ "$(tail -n 1 "$TMP/out")" = "16 cases" ] && pass || fail "procedure preset: $(tail -n 1 "$TMP/out")"
grep -qxF "$(key 256 256 64 1 fp32 21 0)" "$TMP/out" && pass || fail "procedure=0 should run on cpu"
n=$(grep -c '  (skipped: .\+)$' "$TMP/out")
[ "$n" = 15 ] && pass || fail "cpu should skip procedure 1..15, skipped $n"
expect_exit 0 "list --backend=null" -- "$BIN" list --axis cin=64 --backend=null
grep -q skipped "$TMP/out" && fail "null skipped a plain case"

# Every preset file loads, has a description, and lists at least one case.
for f in "$SRC"/bench/presets/*.json; do
  p=$(basename "$f" .json)
  expect_exit 0 "preset $p" -- "$BIN" list --preset "$p" || continue
  last=$(tail -n 1 "$TMP/out")
  case "$last" in
    [1-9]*" cases") pass ;;
    *) fail "preset $p: last line '$last'" ;;
  esac
  [ "$(($(wc -l <"$TMP/out") - 1))" = "${last% cases}" ] || fail "preset $p: count does not match the lines"
  "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["description"].strip()' "$f" ||
    fail "preset $p has no description"
done
for p in quick gflops qos procedure rt seed-m5 full; do
  [ -f "$SRC/bench/presets/$p.json" ] && pass || fail "preset $p missing"
done

# The seed's QoS table cases are in seed-m5.
expect_exit 0 "seed-m5" -- "$BIN" list --preset seed-m5
for q in 0 1 5 10 21 33 47 63; do
  grep -qxF "$(key 256 256 64 1 fp32 $q)" "$TMP/out" || fail "seed-m5 lacks qos=$q"
done
grep -qxF "$(key 64 64 32)" "$TMP/out" && pass || fail "seed-m5 lacks the 64x64 S=32 case"

# --sweep with a file of our own.
cat >"$TMP/s.json" <<'JSON'
{ "sweeps": [ { "axes": { "cin": [8, 16], "qos": "1..2" } } ] }
JSON
expect_exit 0 "list --sweep" -- "$BIN" list --sweep "$TMP/s.json"
[ "$(tail -n 1 "$TMP/out")" = "4 cases" ] && pass || fail "--sweep: $(tail -n 1 "$TMP/out")"

# Bad input: exit 2, one line on stderr, naming the bad token; nothing on stdout.
bad() { expect_usage_error "$1" "$2" -- "$BIN" list "${@:3}" && { [ -s "$TMP/out" ] && fail "$1: wrote to stdout"; }; }
bad "unknown flag" "--bogus" --bogus
bad "stray argument" "stray" stray
bad "unknown axis" "colour" --axis colour=1
bad "no equals" "cin" --axis cin
bad "qos 64" "--axis qos: value 64 out of range 0..63" --axis qos=64
bad "procedure 16" "16" --axis procedure=16
bad "zero size" "0" --axis cin=0
bad "negative size" "-8" --axis spatial=-8
bad "too large" "65537" --axis cout=65537
bad "bad range" "8..4" --axis cin=8..4
bad "bad factor" "factor 1" --axis cin=8..64*1
bad "bad name" "fp64" --axis io=fp64
bad "zip mismatch" "zip cin,spatial" --axis cin=64,128 --axis spatial=1,2,3 --zip cin,spatial
bad "zip unknown" "nope" --zip cin,nope
bad "memory" "cin=65536" --axis cin=65536 --axis spatial=65536 --axis depth=1024
bad "too many cases" "more than" --axis cin=1..65536 --axis spatial=1..65536
bad "unknown preset" "nosuch" --preset nosuch
bad "missing value" "--preset" --preset
bad "preset and sweep" "cannot be combined" --preset quick --sweep "$TMP/s.json"
bad "unknown backend" "warp" --backend warp
bad "missing sweep file" "$TMP/none.json" --sweep "$TMP/none.json"
printf '{ "sweeps": [ { "axes": { "cin": 64 } } ], "colour": 1 }' >"$TMP/k.json"
bad "unknown key" "colour" --sweep "$TMP/k.json"
printf '{ "sweeps": [ { "axes": { "cin": 64 } ] }' >"$TMP/j.json"
bad "broken json" "j.json" --sweep "$TMP/j.json"
printf '{ "sweeps": [ {} ], "settings": { "min_samples": 50, "max_samples": 10 } }' >"$TMP/m.json"
printf '{ "sweeps": [ { "axes": { "cin": [64, 128], "spatial": [1, 2, 3] }, "zip": [["cin", "spatial"]] } ] }' >"$TMP/z.json"
bad "zip lengths in a file" "z.json: zip cin,spatial" --sweep "$TMP/z.json"
mkdir -p "$TMP/d.json"
bad "a directory as sweep file" "d.json: cannot read: it is a directory" --sweep "$TMP/d.json"
bad "min > max" "m.json: settings: min_samples 50 is greater than max_samples 10" --sweep "$TMP/m.json"

# list takes run's options (swap the word to see what would run).
expect_exit 0 "list with run's options" -- "$BIN" list --axis cin=64 --axis spatial=64 --min-time 0 \
  --max-time 0.1 --no-isolate --quiet --out "$TMP/nowhere" --retries 1 --warmup 2
[ "$(tail -1 "$TMP/out")" = "1 cases" ] && pass || fail "list with run's options: $(cat "$TMP/out")"
[ -e "$TMP/nowhere" ] && fail "list created its --out directory"
# One parser of settings for run and list: --no-isolate takes no value
# (run once recorded isolation ON for --no-isolate=true).
expect_usage_error "list --no-isolate=true" "--no-isolate takes no value" -- "$BIN" list --no-isolate=true
expect_usage_error "run --no-isolate=true" "--no-isolate takes no value" -- "$BIN" run --backend null \
  --no-isolate=true --out "$TMP/r0"
# A flag against the preset's setting: the flag wins, the note names the preset.
expect_exit 0 "list --min-time over quick's max" -- "$BIN" list --min-time 0.5
grep -qF "anebench: note: --max-time 0.3 from preset quick raised to 0.5 to meet --min-time 0.5" "$TMP/err" &&
  pass || fail "no note naming the preset: $(cat "$TMP/err")"
expect_exit 0 "run --min-time over quick's max" -- "$BIN" run --backend null --axis cin=8 --axis spatial=8 \
  --min-time 0.5 --quiet --out "$TMP/r1"
grep -qF "from preset quick raised to 0.5" "$TMP/err" && pass || fail "run: no note: $(cat "$TMP/err")"
"$PY" -c 'import glob,json,sys; s=json.load(open(glob.glob(sys.argv[1]+"/*/run.json")[0]))["settings"]; sys.exit(0 if s["max_time"]==0.5 and s["min_time"]==0.5 else 1)' "$TMP/r1" &&
  pass || fail "run.json settings do not hold the settled max_time 0.5"
expect_usage_error "both halves given" "--min-time 0.5 is greater than --max-time 0.2" -- "$BIN" list \
  --min-time 0.5 --max-time 0.2

# --estimate: from the simulator's model, then from a previous run's journal.
expect_exit 0 "list --estimate (sim model)" -- "$BIN" list --estimate --backend ane-sim:m5 --out "$TMP/empty"
grep -q "^estimate: .* for 30 cases to run, from the m5 profile's timing model" "$TMP/out" && pass ||
  fail "no model estimate: $(tail -2 "$TMP/out")"
"$BIN" run --backend null --axis cin=8,16 --axis spatial=8,64 --min-time 0 --max-time 0.01 --quiet \
  --out "$TMP/runs" >/dev/null 2>&1
expect_exit 0 "list --estimate (journal)" -- "$BIN" list --estimate --backend null --axis cin=8..64*2 \
  --axis spatial=8,64 --min-time 0 --max-time 0.01 --out "$TMP/runs"
grep -q "^estimate: .* for 8 cases to run, fitted to 4 ok cases of the journal of $TMP/runs/" "$TMP/out" && pass ||
  fail "no journal estimate: $(tail -2 "$TMP/out")"
# --resume: what run --resume would still run (here nothing: the run finished).
expect_exit 0 "list --resume" -- "$BIN" list --resume "$(ls -d "$TMP"/runs/*)"
[ "$(tail -2 "$TMP/out" | tr '\n' '|')" = "0 cases|4 cases done already|" ] && pass ||
  fail "list --resume: $(cat "$TMP/out")"

# --help is complete: every axis, every selection option, the backends.
expect_exit 0 "list --help" -- "$BIN" list --help
for w in --preset --sweep --axis --zip --backend cin cout spatial depth io qos procedure mode threads \
  "lo..hi*F" quick seed-m5 "N cases" cpu; do
  grep -qF -- "$w" "$TMP/out" || fail "list --help lacks '$w'"
done
finish
