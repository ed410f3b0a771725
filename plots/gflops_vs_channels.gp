# gflops_vs_channels.gp: GFLOPS vs input channels, one curve per spatial
# size (and per variant where a run has several), with the chip's peak as a
# dashed line when it is known.
#
# Data (written by `anebench plot`, file gflops_vs_channels.dat): one block
# per series, blocks separated by two blank lines, each block opening with a
# header row whose first cell is the series title. Columns:
#   1 spatial  2 cin  3 cout  4 GFLOPS (wall clock, median eval)
#   5 GFLOPS low  6 GFLOPS high (95% CI of the median)  7 median eval (ms)  8 MFLOP
# Draws x = column 2 (log 2), y = column 4 (log 10), bars = columns 5..6.
#
# By hand:
#   gnuplot -e "data='gflops_vs_channels.dat'; out='gflops_vs_channels.png'" plots/gflops_vs_channels.gp
# Optional: fmt='svg', title='Apple M5 | ane | 2026-03-01', note='...', peak=12300 (GFLOPS)

name = 'gflops_vs_channels'
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

set title heading('GFLOPS vs channels (one curve per spatial size)')
set logscale x 2
set logscale y 10
set format x '%g'
set format y '%g'
set xlabel 'input channels cin (cout = cin unless the legend names it)'
set ylabel 'GFLOPS (wall clock, from the median eval time; bars: 95% CI)'
if (exists("peak") && peak > 0) {
    plot for [i=0:*] data index i using 2:4:5:6 with yerrorlines title columnheader(1), \
         peak with lines lc rgb '#000000' dt 2 lw 2 title sprintf('peak %g GFLOPS', peak)
} else {
    plot for [i=0:*] data index i using 2:4:5:6 with yerrorlines title columnheader(1)
}
