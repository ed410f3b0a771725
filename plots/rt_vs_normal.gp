# rt_vs_normal.gp: eval time on the normal path and on the real-time path,
# side by side for each case run in both modes; medians with their 95% CI.
# A case whose rt run took another path says so in its label.
#
# Data (written by `anebench plot`, file rt_vs_normal.dat): two blocks
# (normal, real-time), separated by two blank lines, each opening with a
# header row whose first cell is the series title. Columns:
#   1 pair number  2 median eval time (ms)  3 low (ms)  4 high (ms)  5 case (text)
# Draws bars at x = column 1 (shifted per block), height column 2, error
# bars columns 3..4, x tic labels column 5.
#
# By hand:
#   gnuplot -e "data='rt_vs_normal.dat'; out='rt_vs_normal.png'" plots/rt_vs_normal.gp
# Optional: fmt='svg', title='...', note='...'

name = 'rt_vs_normal'
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

set title heading('Eval time: real-time path vs normal path')
stats data index 0 using 1 nooutput
set xrange [-0.6:STATS_max + 0.6]
set yrange [0:*]
set format y '%g'
set xtics rotate by -25 nomirror
set grid noxtics
set style fill solid 0.75 border -1
set boxwidth 0.36 absolute
set xlabel 'case'
set ylabel 'eval time (ms; median, bars: 95% CI)'
# An invisible first element puts each case's name under the middle of its pair.
plot data index 0 using 1:(0):xtic(5) with points ps 0 lc rgb '#ff000000' notitle, \
     for [i=0:1] data index i using ($1 + (i - 0.5) * 0.38):2:3:4:(0.36) \
     with boxerrorbars lc (i + 1) title columnheader(1)
