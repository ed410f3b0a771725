# ratio.gp: per-case eval time of each OTHER run over BASE's, against the
# kernel size; below 1 OTHER is faster. Bars: OTHER's CI bounds over BASE's
# opposite bounds (a conservative range). Only cases ok in both runs,
# joined on the case key.
#
# Data (written by `anebench plot` from two or more runs, file ratio.dat):
# one block per OTHER run, separated by two blank lines, each opening with a
# header row whose first cell is "<other> / <base>". Columns:
#   1 MFLOP per eval  2 ratio  3 low  4 high  5 cin  6 cout  7 spatial
# Draws x = column 1, y = column 2 (log scales), bars = columns 3..4.
#
# By hand:
#   gnuplot -e "data='ratio.dat'; out='ratio.png'" plots/ratio.gp
# Optional: fmt='svg', title='...', note='...'

name = 'ratio'
# ---- common part (the same in every anebench script) ----
if (!exists("data")) data = name.'.dat'
if (!exists("fmt")) fmt = 'png'
if (!exists("out")) out = name.'.'.fmt
if (!exists("title")) title = ''
if (!exists("note")) note = ''
if (fmt eq 'svg') {
    set terminal svg size 1280,800 font 'Sans,14' background rgb 'white' noenhanced
} else {
    if (fmt ne 'png') { print "fmt must be 'png' or 'svg'"; exit status 2 }
    set terminal pngcairo size 1280,800 font 'Sans,13' noenhanced
}
set output out
set linetype 1 lc rgb '#1f77b4' lw 2 pt 7 ps 1.1
set linetype 2 lc rgb '#d62728' lw 2 pt 5 ps 1.0
set linetype 3 lc rgb '#2ca02c' lw 2 pt 9 ps 1.3
set linetype 4 lc rgb '#ff7f0e' lw 2 pt 11 ps 1.3
set linetype 5 lc rgb '#9467bd' lw 2 pt 13 ps 1.2
set linetype 6 lc rgb '#8c564b' lw 2 pt 15 ps 1.2
set linetype 7 lc rgb '#17becf' lw 2 pt 6 ps 1.1
set linetype 8 lc rgb '#7f7f7f' lw 2 pt 4 ps 1.0
set linetype cycle 8
set grid xtics ytics mytics lc rgb '#e0e0e0' lw 1 dt 1
set border 3 lw 1.2
set tics nomirror
set errorbars small
set offsets graph 0.03, graph 0.03, 0, 0
set key outside right top vertical Left reverse spacing 1.3 samplen 3 width 1
if (strstrt(title, 'SIMULATED') > 0) {
    set label 99 'SIMULATED' at graph 0.5, graph 0.5 center font ',56' tc rgb '#ececec' back
}
heading(h) = h.(title ne '' ? "\n".title : '').(note ne '' ? "\n".note : '')
# ---- end of the common part ----

set title heading('Per-case eval time ratio OTHER / BASE')
set logscale x 10
set format x '%g'
set format y '%g'
# Close ratios (within 4x): log 2 with the tics people read; wider: log 10.
stats data using 3 nooutput
lo = STATS_min
stats data using 4 nooutput
hi = STATS_max
if (hi / lo <= 4 && hi <= 4 && lo >= 0.25) {
    set logscale y 2
    set ytics add ("0.6" 0.6, "0.7" 0.7, "0.8" 0.8, "0.9" 0.9, "1.1" 1.1, "1.25" 1.25, "1.5" 1.5, "3" 3)
} else {
    set logscale y 10
    set ytics add ("1" 1)
}
set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05
set xlabel 'kernel size: work per eval (MFLOP)'
set ylabel 'median eval time OTHER / BASE (below 1: OTHER faster)'
plot for [i=0:*] data index i using 1:2:3:4 with yerrorbars pt 7+i title columnheader(1), \
     1 with lines lc rgb '#000000' dt 2 lw 1.5 title 'equal time (ratio 1)'
