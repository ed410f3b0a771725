# procedure.gp: eval time at each procedure index (0-15) of one case (the
# parameters are in the note): wall clock, and hardware time where the
# backend reports it; medians with their 95% CI.
#
# Data (written by `anebench plot`, file procedure.dat): one block per
# timer, blocks separated by two blank lines, each opening with a header row
# whose first cell is the series title. Columns:
#   1 procedure index  2 median eval time (ms)  3 low (ms)  4 high (ms)
# Draws x = column 1, y = column 2 (linear from 0), bars = columns 3..4.
#
# By hand:
#   gnuplot -e "data='procedure.dat'; out='procedure.png'" plots/procedure.gp
# Optional: fmt='svg', title='...', note='cin=256 spatial=64 ...'

name = 'procedure'
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

set title heading('Eval time per procedure index')
stats data index 0 using 1 nooutput
set xrange [STATS_min - 0.5:STATS_max + 0.5]
set xtics 1
set yrange [0:*]
set format y '%g'
set xlabel 'procedure index (0-15)'
set ylabel 'eval time (ms; median, bars: 95% CI)'
plot for [i=0:*] data index i using 1:2:3:4 with yerrorlines title columnheader(1)
