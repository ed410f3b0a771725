# phases.gp: what each phase of a case costs as kernels grow: compile, load,
# first eval and steady-state eval (median, with the 95% CI of the median),
# against the work per eval. Log scales on both axes.
#
# Data (written by `anebench plot`, file phases.dat): one block per phase
# (blocks of phases a backend does not measure are left out), blocks
# separated by two blank lines, each opening with a header row whose first
# cell is the phase. Columns:
#   1 MFLOP per eval  2 time (ms)  3 low (ms)  4 high (ms)  5 cin  6 cout  7 spatial
#   (3, 4: the median's 95% CI for steady eval; equal to 2 for one-shot phases)
# Draws x = column 1, y = column 2, bars = columns 3..4.
#
# By hand:
#   gnuplot -e "data='phases.dat'; out='phases.png'" plots/phases.gp
# Optional: fmt='svg', title='...', note='cases with io=fp32 ...'

name = 'phases'
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

set title heading('Phase times vs kernel size')
set logscale x 10
set logscale y 10
set format x '%g'
set format y '%g'
set xlabel 'kernel size: work per eval (MFLOP, = 2 x cin x cout x spatial x depth / 1e6)'
set ylabel 'time (ms)'
plot for [i=0:*] data index i using 1:2:3:4 with yerrorbars title columnheader(1)
