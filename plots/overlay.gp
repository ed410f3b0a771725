# overlay.gp: the GFLOPS-vs-channels curves of several runs on one chart
# (M4 vs M5): one colour per run, one dash pattern and marker per spatial
# size (and variant); each run's peak, when known, dashed in its colour.
#
# Data (written by `anebench plot` from two or more runs, file overlay.dat):
# blocks run after run, nser blocks per run with the same series in the same
# order, separated by two blank lines, each opening with a header row whose
# first cell is "<run> <series>". Columns:
#   1 spatial  2 cin  3 cout  4 GFLOPS (wall clock, median eval)
#   5 GFLOPS low  6 GFLOPS high (95% CI of the median)  7 median eval (ms)  8 MFLOP
# Draws x = column 2 (log 2), y = column 4 (log 10), bars = columns 5..6.
#
# By hand:
#   gnuplot -e "data='overlay.dat'; out='overlay.png'; nser=3" plots/overlay.gp
# Optional: fmt='svg', title='...', note='...',
#           peaks='18600 12300' (each run's peak GFLOPS in run order, nan = unknown),
#           runs='"Apple M4 ane" "Apple M5 ane"' (run names for the peak lines)

name = 'overlay'
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

if (!exists("peaks")) peaks = ''
if (!exists("runs")) runs = ''
if (exists("nser")) {
    set title heading('GFLOPS vs channels, runs overlaid (colour: run; dashes and markers: series)')
} else {
    nser = 1 # without it, every block gets its own colour
    set title heading('GFLOPS vs channels, runs overlaid')
}
set logscale x 2
set logscale y 10
set format x '%g'
set format y '%g'
set xlabel 'input channels cin (cout = cin unless the legend names it)'
set ylabel 'GFLOPS (wall clock, from the median eval time; bars: 95% CI)'
cmd = 'plot for [i=0:*] data index i using 2:4:5:6 with yerrorlines lc 1+i/nser dt 1+i%nser pt 5+2*(i%nser) title columnheader(1)'
do for [r=1:words(peaks)] {
    p = word(peaks, r)
    if (p ne 'nan' && p ne 'NaN') {
        who = r <= words(runs) ? word(runs, r) : sprintf('run %d', r)
        cmd = cmd.sprintf(", %s with lines lc %d dt 2 lw 1.5 title 'peak of %s: %s GFLOPS'", p, r, who, p)
    }
}
eval cmd
