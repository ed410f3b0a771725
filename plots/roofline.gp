# roofline.gp: GFLOPS against arithmetic intensity (FLOPs per byte moved:
# inputs, outputs and fp16 weights), one point per ok case, with the peak
# compute roof when known and a memory roof when a bandwidth is given.
#
# Data (written by `anebench plot`, file roofline.dat): one block per
# variant (io, depth) where a run has several, separated by two blank lines,
# each opening with a header row whose first cell is the series title.
# Columns:
#   1 FLOPs per byte  2 GFLOPS (wall clock, median eval)  3 low  4 high (95% CI)
#   5 MFLOP per eval  6 cin  7 cout  8 spatial
# Draws x = column 1, y = column 2 (log scales), bars = columns 3..4.
#
# By hand:
#   gnuplot -e "data='roofline.dat'; out='roofline.png'" plots/roofline.gp
# Optional: fmt='svg', title='...', note='...', peak=12300 (GFLOPS),
#           bw=120 (memory bandwidth, GB/s: draws the roof bw x intensity)

name = 'roofline'
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

set title heading('Roofline: GFLOPS vs arithmetic intensity')
set logscale x 10
set logscale y 10
set format x '%g'
set format y '%g'
set xlabel 'arithmetic intensity (FLOPs per byte moved)'
set ylabel 'GFLOPS (wall clock, median eval; bars: 95% CI)'
pk = (exists("peak") && peak > 0) ? peak : 0
mem = (exists("bw") && bw > 0) ? bw : 0
roof(x) = (mem > 0 && pk > 0) ? (mem * x < pk ? mem * x : pk) : (mem > 0 ? mem * x : pk)
rooftitle = pk > 0 ? sprintf('peak %g GFLOPS', pk) : ''
rooftitle = rooftitle.(mem > 0 ? (pk > 0 ? ', ' : '').sprintf('memory %g GB/s', mem) : '')
if (pk > 0 || mem > 0) {
    plot for [i=0:*] data index i using 1:2:3:4 with yerrorbars pt 7+i title columnheader(1), \
         roof(x) with lines lc rgb '#000000' dt 2 lw 2 title 'roof: '.rooftitle
} else {
    plot for [i=0:*] data index i using 1:2:3:4 with yerrorbars title columnheader(1)
}
