#!/bin/bash
# test_hostile_io.sh: what anebench writes, and hands to gnuplot, when names
# and files are hostile (issue 11, items 1 and 2).
#  - item 1: a plot folder whose name holds ` $( ) @ ' ", the render line of
#    its .dat files, the commands printed without gnuplot, and an overlay
#    .dat whose run names hold gnuplot code: no command ever runs;
#  - item 2: probe -o /dev/null, a FIFO and a user's own symbolic link are
#    written through (the node and the link stay); a link someone else
#    planted in a folder others can write is refused; a planted NAME.tmp
#    link is not followed; plot refuses to replace a user's file or a planted
#    link that has a chart's name (exit 2, naming it, file intact), and
#    removes the charts of its previous plot that it no longer draws;
#  - compare shows text from a result file (host names, reasons) with its
#    terminal control sequences made harmless;
#  - messages: a dangling link or a link loop is called one, a gnuplot that
#    exits 0 without an image is said to have drawn nothing, and running out
#    of memory reading an input is exit 2 (1 means a regression).
. "$(dirname "$0")/lib.sh"

FIX=$SRC/tests/fixtures/plot
export ANEBENCH_SIM_SCALE=0.01
HAVE_GP=0
command -v gnuplot >/dev/null 2>&1 && HAVE_GP=1

# ---- item 1: nothing from a name or a file is run ----
EVIL="$TMP/charts\`touch $TMP/ran-bq\`\$(touch $TMP/ran-dollar)@data'q\"d"
if [ $HAVE_GP = 1 ]; then
  expect_exit 0 "plot into a folder named with backquotes" -- "$BIN" plot "$FIX/cpu.json" -o "$EVIL"
  [ -s "$EVIL/gflops_vs_channels.png" ] && pass || fail "hostile folder name: no chart drawn: $(head -3 "$TMP/err")"
  # the render line, run by a shell
  line=$(sed -n 's/^# render: //p' "$EVIL/gflops_vs_channels.dat")
  rm -f "$EVIL/gflops_vs_channels.png"
  (cd / && sh -c "$line") 2>"$TMP/gp.err"
  [ -s "$EVIL/gflops_vs_channels.png" ] && pass || fail "render line of a hostile folder drew nothing: $line: $(head -3 "$TMP/gp.err")"
fi
# without gnuplot: the printed commands, run by a shell
mkdir -p "$TMP/nogp-bin"
expect_exit 3 "no gnuplot, hostile folder" -- env -u ANEBENCH_GNUPLOT PATH="$TMP/nogp-bin" "$BIN" plot "$FIX/cpu.json" -o "$EVIL-2"
grep '^gnuplot -c ' "$TMP/out" >"$TMP/cmds"
[ "$(nlines "$TMP/cmds")" = 5 ] && pass || fail "no gnuplot: wanted 5 commands: $(cat "$TMP/out")"
[ $HAVE_GP = 1 ] && (cd / && sh "$TMP/cmds") 2>"$TMP/gp.err"
for f in ran-bq ran-dollar; do
  [ ! -e "$TMP/$f" ] && pass || fail "a folder name's $f was run (by plot, its render line or its printed commands)"
done

# an overlay .dat from someone else: run names that would close a quote in
# the command the script builds and evaluates
if [ $HAVE_GP = 1 ]; then
  expect_exit 0 "plot a pair" -- "$BIN" plot "$FIX/m4.json" "$FIX/m5.json" -o "$TMP/pair"
  grep -v '^# var nser' "$TMP/pair/overlay.dat" |
    sed "s|^# var runs .*|# var runs \"a',system('touch\${IFS}$TMP/ran-runs'),' b\"|" >"$TMP/evil-overlay.dat"
  gnuplot -e "data='$TMP/evil-overlay.dat'; out='$TMP/evil-overlay.png'" "$SRC/plots/overlay.gp" >/dev/null 2>&1
  [ ! -e "$TMP/ran-runs" ] && pass || fail "overlay.gp ran code from a .dat's run names"
fi

# ---- item 2: probe -o ----
# A device of our own as root (never /dev/null itself: a build that replaces
# the node would break the machine for everyone); /dev/null otherwise.
NULLDEV=/dev/null
# (1, 3 is /dev/null's number on Linux only: elsewhere it may be a disk.)
[ "$(id -u)" = 0 ] && [ "$(uname)" = Linux ] && mknod -m 666 "$TMP/null" c 1 3 2>/dev/null && NULLDEV=$TMP/null # platform: Linux only (uname)
expect_exit 0 "probe -o $NULLDEV" -- "$BIN" probe -o "$NULLDEV"
[ -c "$NULLDEV" ] && pass || fail "probe -o $NULLDEV: it is no longer a device"
mkfifo "$TMP/fifo"
(with_timeout 20 cat "$TMP/fifo" >"$TMP/fifo.got" 2>/dev/null </dev/null &)
expect_exit 0 "probe -o FIFO" -- with_timeout 20 "$BIN" probe -o "$TMP/fifo"
sleep 0.3
[ -p "$TMP/fifo" ] && pass || fail "probe -o FIFO: the FIFO was replaced"
grep -q '"anebench-probe"' "$TMP/fifo.got" && pass || fail "probe -o FIFO: the report did not come through"
mkdir "$TMP/mine"
ln -s report.json "$TMP/mine/link.json"
expect_exit 0 "probe -o own link" -- "$BIN" probe -o "$TMP/mine/link.json"
[ -L "$TMP/mine/link.json" ] && grep -q '"anebench-probe"' "$TMP/mine/report.json" && pass ||
  fail "probe -o own link: the link was replaced, or its target not written"
# a planted NAME.tmp link (the old temporary name) is not followed
echo "victim" >"$TMP/victim"
ln -s "$TMP/victim" "$TMP/mine/out.json.tmp"
expect_exit 0 "probe -o beside a planted .tmp link" -- "$BIN" probe -o "$TMP/mine/out.json"
[ "$(cat "$TMP/victim")" = victim ] && pass || fail "probe -o: wrote through a planted NAME.tmp link"
ls -a "$TMP/mine" | grep -q '^\.anebench-.*\.tmp$' && fail "probe -o: a temporary is left behind" || pass
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  # a link someone else made in a folder others can write (as in /tmp)
  mkdir -m 1777 "$TMP/shared"
  ln -s "$TMP/victim" "$TMP/shared/report.json"
  chown -h nobody "$TMP/shared/report.json"
  expect_usage_error "probe -o a planted link" "report.json" -- "$BIN" probe -o "$TMP/shared/report.json"
  [ "$(cat "$TMP/victim")" = victim ] && pass || fail "probe -o: followed a link planted in a shared folder"
fi

# ---- item 2: plot's output folder ----
if [ $HAVE_GP = 1 ]; then
  out=$TMP/plots
  mkdir "$out"
  echo "my own roofline" >"$out/roofline.png"
  expect_usage_error "plot over a user's file" "roofline.png" -- "$BIN" plot "$FIX/cpu.json" -o "$out"
  [ "$(cat "$out/roofline.png")" = "my own roofline" ] && pass || fail "plot replaced a user's file"
  [ ! -e "$out/gflops_vs_channels.dat" ] && pass || fail "plot wrote files before refusing"
  rm "$out/roofline.png"
  ln -s "$TMP/victim" "$out/phases.png"
  expect_usage_error "plot over a planted link" "phases.png" -- "$BIN" plot "$FIX/cpu.json" -o "$out"
  [ "$(cat "$TMP/victim")" = victim ] && [ -L "$out/phases.png" ] && pass || fail "plot followed or replaced a planted link"
  rm "$out/phases.png"
  # a plot, then another with fewer charts: the old ones go, the new stay
  expect_exit 0 "plot m5" -- "$BIN" plot "$FIX/m5.json" -o "$out"
  [ -s "$out/qos.png" ] && pass || fail "plot m5: no qos chart"
  expect_exit 0 "plot cpu over it" -- "$BIN" plot "$FIX/cpu.json" -o "$out"
  for c in qos procedure rt_vs_normal wall_vs_hw; do
    [ ! -e "$out/$c.png" ] && [ ! -e "$out/$c.dat" ] && pass || fail "a stale $c chart of the previous plot is left"
  done
  grep -q "removed 8 files of the previous plot" "$TMP/out" && pass || fail "the stale charts' removal is not said: $(cat "$TMP/out")"
  [ -s "$out/roofline.png" ] && pass || fail "plot cpu over m5: no roofline"
  ls -a "$out" | grep -q '^\.anebench-plot-' && fail "plot left its private folder behind" || pass
fi

# ---- compare: text from a result file never drives the terminal ----
$PY - "$FIX/cpu.json" "$TMP/evil.json" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
d["host"]["hostname"] = "box\u001b[2J\u001b]0;owned\u0007"
d["host"]["cpu_model"] = "cpu\u009b31m"
c = d["cases"][0]
c["status"], c["reason"] = "failed", "boom \u001b[31mred\u001b[0m"
json.dump(d, open(sys.argv[2], "w"))
EOF2
"$BIN" compare "$FIX/cpu.json" "$TMP/evil.json" >"$TMP/cmp.out" 2>"$TMP/cmp.err"
for f in cmp.out cmp.err; do
  if LC_ALL=C grep -q $'\x1b\|\xc2\x9b\|\x07' "$TMP/$f"; then
    fail "compare printed a terminal control sequence from a result file ($f)"
  else
    pass
  fi
done
grep -q "boom ?\[31mred" "$TMP/cmp.out" && pass || fail "compare: the failed case's reason is not shown (made harmless): $(head -c 600 "$TMP/cmp.out")"

# ---- messages: a dangling link and a loop are called what they are ----
ln -s "$TMP/nowhere" "$TMP/dangling"
expect_usage_error "run --out a dangling link" "dangling" -- "$BIN" run --backend null --axis cin=8 --out "$TMP/dangling" --quiet
ln -s "$TMP/loop2" "$TMP/loop1"; ln -s "$TMP/loop1" "$TMP/loop2"
expect_usage_error "plot -o a link loop" "loop of symbolic links" -- "$BIN" plot "$FIX/cpu.json" -o "$TMP/loop1"
# gnuplot that exits 0 and draws nothing is not "gnuplot failed (exit 0)"
printf '#!/bin/sh\nexit 0\n' >"$TMP/fakegp"
chmod +x "$TMP/fakegp"
expect_exit 1 "a gnuplot that draws nothing" -- env ANEBENCH_GNUPLOT="$TMP/fakegp" "$BIN" plot "$FIX/cpu.json" -o "$TMP/fakegp-out"
grep -q "gnuplot drew no image for roofline (it exited 0 but wrote nothing)" "$TMP/err" && pass ||
  fail "a gnuplot that drew nothing: $(head -3 "$TMP/err")"
# a file larger than memory is bad input (2), not 1 (a regression): the
# readers read a file where it lies (mapped), so a terabyte of zeros is
# refused at its first byte, not read into memory
truncate -s 1T "$TMP/huge.jsonl" 2>/dev/null &&
  expect_usage_error "compare a file larger than memory" "huge.jsonl:1: NUL byte" -- \
    with_timeout 60 env ASAN_OPTIONS=allocator_may_return_null=1 "$BIN" compare "$TMP/huge.jsonl" "$TMP/huge.jsonl"
truncate -s 1T "$TMP/huge.json" 2>/dev/null &&
  expect_usage_error "compare a results.json larger than memory" "huge.json:1: NUL byte" -- \
    with_timeout 60 env ASAN_OPTIONS=allocator_may_return_null=1 "$BIN" compare "$TMP/huge.json" "$TMP/huge.json"

echo "test_hostile_io: $PASSES passed, $FAILS failed"
[ "$FAILS" = 0 ]
