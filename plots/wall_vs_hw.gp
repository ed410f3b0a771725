# wall_vs_hw.gp: the dispatch overhead. Wall-clock eval time against the
# hardware's own eval time (hwExecutionTime) as kernels grow, and their
# difference; medians with their 95% CI. Only cases with hardware time.
#
# Data (written by `anebench plot`, file wall_vs_hw.dat): three blocks (wall,
# hardware, overhead), separated by two blank lines, each opening with a
# header row whose first cell is the series title. Columns:
#   1 MFLOP per eval  2 time (ms)  3 low (ms)  4 high (ms)  5 cin  6 cout  7 spatial
# Draws x = column 1, y = column 2 (log scales), bars = columns 3..4.
#
# By hand:
#   gnuplot -e "data='wall_vs_hw.dat'; out='wall_vs_hw.png'" plots/wall_vs_hw.gp
# Optional: fmt='svg', title='...', note='...'

name = 'wall_vs_hw'
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

set title heading('Wall-clock vs hardware eval time (dispatch overhead)')
set logscale x 10
set logscale y 10
set format x '%g'
set format y '%g'
set xlabel 'kernel size: work per eval (MFLOP)'
set ylabel 'eval time (ms; median, bars: 95% CI)'
# Blocks: 0 wall clock, 1 hardware, 2 overhead (absent when never positive).
# The overhead is a dashed line under the points: for small kernels it is
# nearly all of the wall-clock time.
stats data using 1 nooutput
if (STATS_blocks > 2) {
    plot data index 2 using 1:2 with lines lc rgb '#2ca02c' dt 2 lw 2 title columnheader(1), \
         for [i=1:0:-1] data index i using 1:2:3:4 with yerrorbars lt (i + 1) title columnheader(1)
} else {
    plot for [i=1:0:-1] data index i using 1:2:3:4 with yerrorbars lt (i + 1) title columnheader(1)
}
