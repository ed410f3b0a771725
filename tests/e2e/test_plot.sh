#!/bin/bash
# test_plot.sh: end-to-end tests of `anebench plot` on the fixture runs of
# tests/fixtures/plot (cpu, ane-sim:m4, ane-sim:m5; made by make.sh there).
#  - without gnuplot on PATH: exit 3, the .dat files written, no image, and
#    the printed commands render the charts when run;
#  - bad input: exit 2 and one line naming the bad token;
#  - with gnuplot (else the rest is skipped, exit 77, saying so): every chart
#    of each run and of the M4/M5 pair is a valid PNG (and SVG) of 1280x800,
#    gnuplot printed nothing, charts without data are not produced, and the
#    GFLOPS and ratio data equal what python recomputes from results.json;
#  - a .dat rendered by hand, from another folder, is titled as anebench titles
#    it (SIMULATED for ane-sim data), overlays keep their peaks and run names;
#  - the ratio's y range follows the ratios, not a wide error bar; log axes of
#    few decades label values between them; rt labels sit under their pairs
#    and the watermark is over the bars; QoS eval has its own axis, and no CI
#    is claimed for the seed's reference figures;
#  - a plot with nothing to draw says so and why (exit 0);
#  - scripts/quickstart.sh, on a run with a failed case, still draws its
#    charts, says where results and charts are, and exits with the run's 1.
. "$(dirname "$0")/lib.sh"

FIX=$SRC/tests/fixtures/plot
CHECK="$PY $SRC/tests/e2e/plot_check.py"
ONE_RUN="gflops_vs_channels gflops_vs_spatial phases qos procedure rt_vs_normal wall_vs_hw roofline sram"
for f in cpu m4 m5; do
  [ -f "$FIX/$f.json" ] || { echo "test_plot: fixture $FIX/$f.json missing (run tests/fixtures/plot/make.sh)" >&2; exit 1; }
done

# The charts each fixture must have: cpu runs no QoS, procedure or rt case
# (they are skipped) and has no hardware time, so those four are not drawn.
CPU_CHARTS="gflops_vs_channels gflops_vs_spatial phases roofline sram"
CPU_ABSENT="qos procedure rt_vs_normal wall_vs_hw"
SIM_CHARTS=$ONE_RUN
# the m4 profile refuses the real-time path (as a consumer M3 Pro did) and
# reports no hwExecutionTime (as on a consumer M4): no rt or wall-vs-hw chart
M4_CHARTS="gflops_vs_channels gflops_vs_spatial phases qos procedure roofline sram"
M4_ABSENT="rt_vs_normal wall_vs_hw"

# ---- the scripts: each standalone, with the same common part ----
n=$(for f in "$SRC"/plots/*.gp; do sed -n '/^# ---- common part/,/^# ---- end of the common part/p' "$f" | cksum; done | sort -u | wc -l)
[ "$n" = 1 ] && pass || fail "the common part differs between the plots/*.gp scripts"
for f in "$SRC"/plots/*.gp; do
  grep -q "^name = '$(basename "$f" .gp)'$" "$f" && pass || fail "$f: name does not match its file"
done

# ---- bad input: exit 2, one line naming the token ----
expect_usage_error "bad format" "jpg" -- "$BIN" plot "$FIX/cpu.json" -o "$TMP/bad" --format jpg
expect_usage_error "unknown option" "--bogus" -- "$BIN" plot "$FIX/cpu.json" --bogus
expect_usage_error "missing run" "$TMP/nonexistent.json" -- "$BIN" plot "$TMP/nonexistent.json" -o "$TMP/bad"
expect_usage_error "no run" "RUN" -- "$BIN" plot
expect_usage_error "-o without value" "-o" -- "$BIN" plot "$FIX/cpu.json" -o
printf '{"not": "a record"}\n' >"$TMP/garbage.jsonl"
expect_usage_error "garbage journal" "garbage.jsonl" -- "$BIN" plot "$TMP/garbage.jsonl" -o "$TMP/bad"
expect_usage_error "wrong ANEBENCH_PLOTS" "ANEBENCH_PLOTS" -- env ANEBENCH_PLOTS="$TMP" "$BIN" plot "$FIX/cpu.json" -o "$TMP/bad"
expect_exit 0 "--help" -- "$BIN" plot --help && grep -q "usage: anebench plot" "$TMP/out" && pass ||
  fail "--help does not print the usage"

# ---- without gnuplot: exit 3, .dat files, the exact commands ----
mkdir -p "$TMP/nogp-bin"
NOGP=$TMP/nogp
if expect_exit 3 "no gnuplot on PATH" -- env -u ANEBENCH_GNUPLOT PATH="$TMP/nogp-bin" "$BIN" plot "$FIX/m5.json" -o "$NOGP"; then
  grep -q "gnuplot not found" "$TMP/err" && pass || fail "no gnuplot: stderr does not say so: $(cat "$TMP/err")"
  cp "$TMP/out" "$TMP/nogp.out"
  for c in $SIM_CHARTS; do
    [ -s "$NOGP/$c.dat" ] && pass || fail "no gnuplot: $c.dat not written"
    [ ! -e "$NOGP/$c.png" ] && pass || fail "no gnuplot: $c.png exists"
  done
  n=$(grep -c '^gnuplot -c ' "$TMP/nogp.out")
  [ "$n" = 9 ] && pass || fail "no gnuplot: $n commands printed, wanted 9"
fi
expect_exit 3 "ANEBENCH_GNUPLOT not executable" -- env ANEBENCH_GNUPLOT="$TMP/nogp-bin/gnuplot" "$BIN" plot "$FIX/cpu.json" -o "$TMP/nogp2"

# ---- the rest needs gnuplot ----
if ! command -v gnuplot >/dev/null 2>&1; then
  echo "SKIP: gnuplot is not installed (PATH=$PATH): charts not rendered; $PASSES checks passed before"
  [ "$FAILS" = 0 ] || exit 1
  exit 77
fi

# The printed commands, run by a shell, render what the command would have
# (two of them: rendering is the slow part of this test).
(cd "$TMP" && grep '^gnuplot -c ' nogp.out | grep -E '/(qos|overlay|rt_vs_normal)\.gp' | sh) 2>"$TMP/gp.err"
[ ! -s "$TMP/gp.err" ] && pass || fail "printed commands: gnuplot said: $(head -5 "$TMP/gp.err")"
for c in qos rt_vs_normal; do
  [ -f "$NOGP/$c.png" ] && $CHECK image "$NOGP/$c.png" 1280 800 && pass || fail "printed command for $c gave no valid png"
done

# plot_one NAME FORMAT CHARTS ABSENT: plots fixture NAME, checks each chart.
plot_one() {
  local name=$1 fmt=$2 charts=$3 absent=$4 dir=$TMP/$1-$2
  expect_exit 0 "plot $name ($fmt)" -- "$BIN" plot "$FIX/$name.json" -o "$dir" --format "$fmt" || return
  [ ! -s "$TMP/err" ] && pass || fail "plot $name ($fmt): stderr not empty (gnuplot warnings?): $(head -5 "$TMP/err")"
  for c in $charts; do
    if [ -f "$dir/$c.$fmt" ]; then
      $CHECK image "$dir/$c.$fmt" 1280 800 && pass || fail "plot $name: $c.$fmt is not a 1280x800 $fmt"
      grep -qxF "$dir/$c.$fmt" "$TMP/out" && pass || fail "plot $name: $c.$fmt not listed"
    else
      fail "plot $name ($fmt): no $c.$fmt"
    fi
  done
  for c in $absent; do
    [ ! -e "$dir/$c.$fmt" ] && [ ! -e "$dir/$c.dat" ] && pass || fail "plot $name: $c drawn without data"
    grep -q "^no $c chart: " "$TMP/out" && pass || fail "plot $name: does not say why $c is missing"
  done
}

plot_one cpu png "$CPU_CHARTS" "$CPU_ABSENT"
plot_one m4 png "$M4_CHARTS" "$M4_ABSENT"
plot_one m5 png "$SIM_CHARTS" ""
plot_one cpu svg "$CPU_CHARTS" "$CPU_ABSENT"
plot_one m5 svg "$SIM_CHARTS" ""

# The data behind the curves and the ratio, recomputed independently.
for name in cpu m5; do
  $CHECK curve "$TMP/$name-png/gflops_vs_channels.dat" "$FIX/$name.json" cin spatial && pass ||
    fail "$name: gflops_vs_channels.dat disagrees with results.json"
  $CHECK curve "$TMP/$name-png/gflops_vs_spatial.dat" "$FIX/$name.json" spatial cin && pass ||
    fail "$name: gflops_vs_spatial.dat disagrees with results.json"
done
# the sim runs: compile, load, first eval and steady eval all measured
$CHECK blocks "$TMP/m5-png/phases.dat" 4 && pass || fail "m5: phases.dat has not 4 phases"
grep -q "SIMULATED" "$TMP/m5-png/gflops_vs_channels.dat" && pass || fail "m5: the data file does not say SIMULATED"
grep -q "SIMULATED" "$TMP/cpu-png/gflops_vs_channels.dat" && fail "cpu: said SIMULATED" || pass

# Two runs: M4 (BASE) and M5 overlaid, the ratio, and each run's own charts.
dir=$TMP/pair
expect_exit 0 "plot m4 m5" -- "$BIN" plot "$FIX/m4.json" "$FIX/m5.json" -o "$dir"
[ ! -s "$TMP/err" ] && pass || fail "plot m4 m5: stderr not empty: $(head -5 "$TMP/err")"
for c in overlay ratio; do
  $CHECK image "$dir/$c.png" 1280 800 && pass || fail "plot m4 m5: no valid $c.png"
done
for c in $M4_CHARTS; do
  [ -f "$dir/run1-ane-sim-m4-$c.png" ] && pass || fail "plot m4 m5: no run1-ane-sim-m4-$c.png"
done
for c in $SIM_CHARTS; do
  [ -f "$dir/run2-ane-sim-m5-$c.png" ] && pass || fail "plot m4 m5: no run2-ane-sim-m5-$c.png"
done
$CHECK ratio "$dir/ratio.dat" "$FIX/m4.json" "$FIX/m5.json" && pass || fail "ratio.dat disagrees with results.json"

# A run with a single case has no chart at all.
$PY - "$FIX/cpu.json" "$TMP/one.jsonl" <<'EOF'
import json, sys
run = json.load(open(sys.argv[1]))
ok = [c for c in run["cases"] if c["status"] == "ok"]
open(sys.argv[2], "w").write(json.dumps(ok[0]) + "\n")
EOF
expect_exit 0 "plot of one case" -- "$BIN" plot "$TMP/one.jsonl" -o "$TMP/one"
n=$(find "$TMP/one" -name '*.png' -o -name '*.dat' | wc -l)
[ "$n" = 0 ] && pass || fail "plot of one case produced $n files"
grep -q "^0 of 9 charts have data: nothing drawn" "$TMP/out" && pass || fail "plot of one case: stdout does not say nothing was drawn: $(tail -2 "$TMP/out")"
grep -q "nothing drawn: 1 of 1 cases are ok, but no chart has the two or more values" "$TMP/err" && pass ||
  fail "plot of one case: stderr does not say why nothing was drawn: $(cat "$TMP/err")"
# Nothing ok at all: said so, with the count.
$PY - "$FIX/cpu.json" "$TMP/failed.jsonl" <<'EOF2'
import json, sys
run = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    for c in run["cases"][:5]:
        c["status"] = "failed"
        f.write(json.dumps(c) + "\n")
EOF2
expect_exit 0 "plot of failed cases" -- "$BIN" plot "$TMP/failed.jsonl" -o "$TMP/failed"
grep -q "nothing drawn: none of the 5 cases has status ok" "$TMP/err" && pass ||
  fail "plot of failed cases: does not say none is ok: $(cat "$TMP/err")"

# A journal whose last line was cut (a run killed mid-write): drawn, and said.
$PY - "$FIX/cpu.json" "$TMP/cut.jsonl" <<'EOF'
import json, sys
run = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    for c in run["cases"]:
        f.write(json.dumps(c) + "\n")
    f.write('{"key": "conv1x1 cin=64 co')
EOF
expect_exit 0 "plot a cut journal" -- "$BIN" plot "$TMP/cut.jsonl" -o "$TMP/cut"
grep -q "^note: .*cut.jsonl: the journal's last line was incomplete" "$TMP/out" && pass || fail "cut journal: not reported"
$CHECK image "$TMP/cut/gflops_vs_channels.png" 1280 800 && pass || fail "cut journal: no chart"

# ---- by hand: the .dat carries its title, SIMULATED and settings ----
# The render line, run by a shell from another folder, draws the chart.
rm -f "$TMP/m5-png/qos.png"
line=$(sed -n 's/^# render: //p' "$TMP/m5-png/qos.dat")
(cd / && sh -c "$line") 2>"$TMP/gp.err"
[ ! -s "$TMP/gp.err" ] && $CHECK image "$TMP/m5-png/qos.png" 1280 800 && pass ||
  fail "the render line of qos.dat drew nothing from /: $line: $(head -3 "$TMP/gp.err")"
# The documented command, data and out only: marked SIMULATED, titled as anebench titles it.
hand() { # hand DAT SVG [more -e text]: renders DAT by hand from / as SVG
  local dat=$1 svg=$2 script
  script=$SRC/plots/$(sed -n "s/^# render: gnuplot -c '[^']*\/\([a-z_]*\)\.gp' .*/\1/p" "$dat").gp
  (cd / && gnuplot -e "data='$dat'; out='$svg'; fmt='svg'${3:+; $3}" "$script") 2>"$TMP/gp.err"
  [ ! -s "$TMP/gp.err" ] || fail "by hand $dat: gnuplot said: $(head -3 "$TMP/gp.err")"
}
hand "$TMP/m5-png/gflops_vs_channels.dat" "$TMP/hand-m5.svg"
$CHECK text "$TMP/hand-m5.svg" +SIMULATED "+Apple M5 simulated on host" "+| ane-sim:m5 | SIMULATED |" "+peak 12300 GFLOPS" && pass ||
  fail "by hand: the chart of simulated data is not marked SIMULATED"
hand "$TMP/m5-png/gflops_vs_channels.dat" "$TMP/hand-m5t.svg" "title='my own title'"
$CHECK text "$TMP/hand-m5t.svg" "+my own title | SIMULATED" && pass || fail "by hand: a title given with -e drops SIMULATED"
hand "$TMP/cpu-png/gflops_vs_channels.dat" "$TMP/hand-cpu.svg"
$CHECK text "$TMP/hand-cpu.svg" -SIMULATED "+| cpu |" && pass || fail "by hand: a cpu chart is marked SIMULATED or untitled"
hand "$TMP/pair/overlay.dat" "$TMP/hand-overlay.svg"
$CHECK text "$TMP/hand-overlay.svg" "+BASE: Apple M4 simulated" "+OTHER: Apple M5 simulated" "+run (colour):" \
  +ane-sim:m4 +ane-sim:m5 "+peak 18600 GFLOPS" "+peak 12300 GFLOPS" +SIMULATED && pass ||
  fail "by hand: the overlay lost its run names, peaks or titles"

# ---- the ratio's y range: the ratios (and 1), not the widest error bar ----
$PY - "$TMP/pair/ratio.dat" "$TMP/wide-ratio.dat" <<'EOF2'
import sys
out, done = [], False
for line in open(sys.argv[1]):
    v = line.split()
    if v and not line.startswith(("#", '"')) and not done:
        v[2], v[3], done = "0.01", "100", True   # one case with a bar over four decades
        line = " ".join(v) + "\n"
    out.append(line)
open(sys.argv[2], "w").write("".join(out))
EOF2
range=$(cd / && gnuplot -e "data='$TMP/wide-ratio.dat'; out='$TMP/wide-ratio.svg'; fmt='svg'" "$SRC/plots/ratio.gp" \
  -e "print sprintf('%g %g', GPVAL_Y_MIN, GPVAL_Y_MAX)" 2>&1)
lo=$(awk '$1 !~ /^#/ && $1 !~ /^"/ && NF {print $2}' "$TMP/wide-ratio.dat" | sort -g | head -1)
hi=$(awk '$1 !~ /^#/ && $1 !~ /^"/ && NF {print $2}' "$TMP/wide-ratio.dat" | sort -g | tail -1)
awk -v r="$range" -v lo="$lo" -v hi="$hi" 'BEGIN { split(r, a, " "); exit !(a[1] <= lo && a[2] >= hi && a[1] > 0.1 && a[2] < 10 && a[1] <= 1 && a[2] >= 1) }' &&
  pass || fail "ratio: y range '$range' does not follow the ratios $lo..$hi (and 1), or is set by the 0.01..100 bar"
$CHECK text "$TMP/wide-ratio.svg" "+error bars reaching past the y range are cut" && pass || fail "ratio: the cut bar is not said"

# ---- log axes of few decades label values between them ----
tics=$(cd / && gnuplot -e "data='$TMP/m5-png/roofline.dat'; out='/dev/null'" "$SRC/plots/roofline.gp" \
  -e "print logtics('y', 1, 100, 600); print logtics('y', 10, 20, 600); print '|'.logtics('y', 1, 1e5, 600).'|'" 2>&1)
echo "$tics" | sed -n 1p | grep -q '"2" 2, "3" 3, "5" 5, "7" 7, "10" 10' && pass || fail "logtics over two decades: $tics"
echo "$tics" | sed -n 2p | grep -q '"11" 11, "12" 12, "13" 13' && pass || fail "logtics under a decade: $tics"
echo "$tics" | sed -n 3p | grep -qx '||' && pass || fail "logtics over five decades adds labels: $tics"

# ---- rt: labels under their pairs, the watermark over the bars ----
$CHECK pairs "$TMP/m5-svg/rt_vs_normal.svg" && pass || fail "rt_vs_normal: x labels not under their pairs"
$CHECK front "$TMP/m5-svg/rt_vs_normal.svg" SIMULATED && pass || fail "rt_vs_normal: the watermark is hidden behind the bars"

# ---- QoS: eval on its own axis; the seed's figures claim no CI ----
$CHECK text "$TMP/m5-svg/qos.svg" "+compile, load (ms)" "+eval (µs" "+eval (median, 95% CI)" && pass ||
  fail "qos: compile/load and eval do not have their own axes"
expect_exit 0 "plot the seed reference" -- "$BIN" plot "$SRC/results/reference/seed-m5" -o "$TMP/seed" --format svg
$CHECK text "$TMP/seed/qos.svg" "+eval (no CI reported)" "-95% CI" -SIMULATED && pass ||
  fail "qos of the seed reference: claims a CI it does not have, or is marked SIMULATED"

# ---- two runs of one backend: told apart in the legend ----
mkdir -p "$TMP/again"
cp "$FIX/cpu.json" "$TMP/again/results.json"
expect_exit 0 "plot cpu cpu" -- "$BIN" plot "$FIX/cpu.json" "$TMP/again" -o "$TMP/cpucpu" --format svg
grep -qxF "# var runs \"'cpu (cpu.json)' 'cpu (again)'\"" "$TMP/cpucpu/overlay.dat" && pass ||
  fail "cpu cpu: legend names not told apart: $(grep '^# var runs' "$TMP/cpucpu/overlay.dat")"
$CHECK text "$TMP/cpucpu/overlay.svg" "+cpu (cpu.json)" "+cpu (again)" && pass || fail "cpu cpu: overlay legend"
$CHECK text "$TMP/cpucpu/ratio.svg" "+cpu (again) / cpu (cpu.json)" "+BASE cpu (cpu.json): host" && pass ||
  fail "cpu cpu: ratio legend or title"

# ---- quickstart: a failed case still leaves charts and the where-line ----
# A copy of the script in a tree whose deps.sh and cmake do nothing and
# whose build/anebench is the one under test.
Q=$TMP/qs
mkdir -p "$Q/scripts" "$Q/build" "$Q/bin"
cp "$SRC/scripts/quickstart.sh" "$Q/scripts/"
printf '#!/bin/sh\nexit 0\n' >"$Q/scripts/deps.sh"
printf '#!/bin/sh\nexit 0\n' >"$Q/bin/cmake"
chmod +x "$Q/scripts/deps.sh" "$Q/bin/cmake"
ln -s "$BIN" "$Q/build/anebench"
if expect_exit 1 "quickstart with a failed case" -- env PATH="$Q/bin:$PATH" ANEBENCH_PLOTS="$SRC/plots" \
  bash "$Q/scripts/quickstart.sh" --backend 'fault:error@cin=128' --axis cin=64,128,256 --axis spatial=64,128 \
  --max-time 0.02 --min-time 0 --min-samples 3 --quiet; then
  run=$(sed -n 's/^results: //p' "$TMP/out") # relative to the tree quickstart runs in
  [ -n "$run" ] && [ -d "$Q/$run" ] && pass || fail "quickstart: no run directory in its output"
  grep -qxF "quickstart: results in $run (cases.csv, results.json), charts in $run/plots" "$TMP/out" && pass ||
    fail "quickstart: no line saying where results and charts are: $(tail -3 "$TMP/out")"
  $CHECK image "$Q/$run/plots/gflops_vs_channels.png" 1280 800 && pass || fail "quickstart: no charts after a failed case"
  grep -q "exited 1" "$TMP/err" && pass || fail "quickstart: does not say the run failed: $(tail -3 "$TMP/err")"
fi

# Default folder: RUN/plots for a run directory.
mkdir -p "$TMP/rundir"
cp "$FIX/cpu.json" "$TMP/rundir/results.json"
expect_exit 0 "plot a run directory" -- "$BIN" plot "$TMP/rundir"
[ -f "$TMP/rundir/plots/gflops_vs_channels.png" ] && pass || fail "plot RUNDIR: no RUNDIR/plots/gflops_vs_channels.png"

# --where picks the variant a chart draws: only the cases it admits are drawn
expect_exit 0 "plot --where" -- "$BIN" plot "$FIX/cpu.json" -o "$TMP/where" --where cin=64,128 --where io=fp32
rows=$(grep -c '^[0-9]' "$TMP/where/gflops_vs_spatial.dat")
grep -v '^#' "$TMP/where/gflops_vs_spatial.dat" | grep '^"' | grep -qv 'cin=64\|cin=128' \
  && fail "plot --where cin=64,128: another channel count drawn: $(grep '^"' "$TMP/where/gflops_vs_spatial.dat")" || pass
[ "$rows" -gt 0 ] && pass || fail "plot --where: nothing drawn"
expect_exit 0 "plot --where kernel=matmul (no such case)" -- "$BIN" plot "$FIX/cpu.json" -o "$TMP/where2" --where kernel=matmul
grep -q "^0 of 9 charts have data" "$TMP/out" && pass || fail "plot --where kernel=matmul: charts drawn from cases it excludes"
expect_usage_error "plot --where bad axis" "nosuch" -- "$BIN" plot "$FIX/cpu.json" --where nosuch=1
expect_usage_error "plot --where bad value" "fp64" -- "$BIN" plot "$FIX/cpu.json" --where io=fp64

finish
