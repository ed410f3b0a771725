# sram.gp: the weight-size (SRAM cliff) chart: GFLOPS against the size of a
# program's weights as stored (MiB: fp16 2 bytes, int8 1 byte a weight), one
# series per kernel family (and io / data pattern where they vary), log-log.
# Where a knee shows in the data (a point from which a series stays 20%
# below its best), the title's note names it; none is drawn otherwise.
#
# Data (written by `anebench plot`, file sram.dat): one block per series,
# separated by two blank lines, each opening with a header row whose first
# cell is the series title. Columns:
#   1 weight MiB  2 GFLOPS (wall clock, median eval)  3 low  4 high (95% CI)
#   5 depth  6 MFLOP per eval
#
# By hand (title, note and the rest come from the .dat's "# var" lines; -e
# overrides them), from any folder, writing sram.png beside the data:
#   gnuplot -c path/to/plots/sram.gp path/to/sram.dat [OUT [FMT]]
# Or: gnuplot -e "data='path/to/sram.dat'" path/to/plots/sram.gp
# Optional: out='x.png', fmt='svg', title='...', note='...', peak=12300 (GFLOPS)

name = 'sram'
# ---- common part (the same in every anebench script) ----
# gnuplot -c SCRIPT DATA [OUT [FMT]] (how anebench runs it): arguments are values
if (exists("ARGC") && ARGC >= 1 && ARG1 ne '') { data = ARG1 }
if (exists("ARGC") && ARGC >= 2 && ARG2 ne '') { out = ARG2 }
if (exists("ARGC") && ARGC >= 3 && ARG3 ne '') { fmt = ARG3 }
if (!exists("data")) data = name.'.dat'
if (!exists("fmt")) fmt = 'png'
if (!exists("out")) out = (strlen(data) > 4 && data[strlen(data) - 3:] eq '.dat' ? data[1:strlen(data) - 4] : data).'.'.fmt
# The .dat's "# var NAME VALUE" header lines (title, note, simulated, peak;
# overlay: nser, peaks, runs, series) hold unless -e gave the variable: a
# chart drawn by hand is titled, and marked SIMULATED, as anebench draws it.
hv(n, v) = n eq 'title' ? (h_title = v, 1) : n eq 'note' ? (h_note = v, 1) : \
    n eq 'simulated' ? (h_sim = int(real(v)), 1) : n eq 'peak' ? (h_peak = real(v), 1) : \
    n eq 'nser' ? (h_nser = int(real(v)), 1) : n eq 'peaks' ? (h_peaks = v, 1) : \
    n eq 'runs' ? (h_runs = v, 1) : n eq 'series' ? (h_series = v, 1) : 0
set datafile commentschars ''
stats data index 0 using (strcol(1) eq '#' && strcol(2) eq 'var' ? hv(strcol(3), strcol(4)) : 0) nooutput
set datafile commentschars '#'
# a header line holds a title's line breaks as the two characters \n
nl(s) = strstrt(s, '\n') ? s[1:strstrt(s, '\n') - 1]."\n".nl(s[strstrt(s, '\n') + 2:]) : s
if (!exists("title")) title = exists("h_title") ? nl(h_title) : ''
if (!exists("note")) note = exists("h_note") ? nl(h_note) : ''
if (!exists("simulated")) simulated = exists("h_sim") ? h_sim : 0
if (!exists("peak") && exists("h_peak")) peak = h_peak
if (!exists("nser") && exists("h_nser")) nser = h_nser
if (!exists("peaks")) peaks = exists("h_peaks") ? h_peaks : ''
if (!exists("runs")) runs = exists("h_runs") ? h_runs : ''
if (!exists("series")) series = exists("h_series") ? h_series : ''
# simulated data stays marked, whatever title was given
if (simulated || strstrt(title, 'SIMULATED') > 0) {
    simulated = 1
    if (strstrt(title, 'SIMULATED') == 0) { title = title.(title ne '' ? ' | ' : '').'SIMULATED' }
}
if (fmt eq 'svg') {
    set terminal svg size 1280,800 font 'Sans,14' background rgb 'white' noenhanced
} else {
    if (fmt ne 'png') { print "fmt must be 'png' or 'svg'"; exit status 2 }
    set terminal pngcairo size 1280,800 font 'Sans,13' noenhanced
}
set output out
set encoding utf8
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
if (simulated) {
    set label 99 'SIMULATED' at graph 0.5, graph 0.5 center font ',56' tc rgb '#ececec' back
}
heading(h) = h.(title ne '' ? "\n".title : '').(note ne '' ? "\n".note : '')
# logtics(ax, lo, hi, px): the command that labels values between the decades
# of a log axis from lo to hi, px pixels long, spanning three decades or fewer
# ('' past that): gnuplot labels only the decades, and a value between two is
# hard to read. The finest of the lists whose closest labels stay 30 px apart.
lt_m(ppd) = ppd * 0.032 >= 30 ? '1 1.1 1.2 1.3 1.4 1.5 1.7 2 2.5 3 3.5 4 5 6 7 8 9' : \
    ppd * 0.058 >= 30 ? '1 1.2 1.5 2 2.5 3 4 5 6 7 8' : ppd * 0.125 >= 30 ? '1 1.5 2 3 5 7' : '1 2 5'
lt_v(ms, e, k) = real(word(ms, k)) * 10.0**e
lt_d(ms, e, top, k) = e > top ? '' : k > words(ms) ? lt_d(ms, e + 1, top, 1) : \
    sprintf('"%g" %g, ', lt_v(ms, e, k), lt_v(ms, e, k)).lt_d(ms, e, top, k + 1)
lt_c(ax, l) = sprintf('set %stics add (%s)', ax, l[1:strlen(l) - 2])
logtics(ax, lo, hi, px) = lo > 0 && hi > lo && hi / lo <= 10**3.05 ? \
    lt_c(ax, lt_d(lt_m(px / log10(hi / lo)), floor(log10(lo)), floor(log10(hi)), 1)) : ''
# autotics: the same for an autoscaled axis, which gnuplot widens to whole decades
autotics(ax, lo, hi, px) = logtics(ax, 10.0**floor(log10(lo)), 10.0**ceil(log10(hi)), px)
# ---- end of the common part ----

set title heading('GFLOPS vs weight size (SRAM cliff)')
stats data using 1 nooutput
xlo = STATS_min
xhi = STATS_max
stats data using 3:4 nooutput
ylo = STATS_min_x
yhi = STATS_max_y
set logscale x 2
set logscale y 10
set format x '%g'
set format y '%g'
eval autotics('y', ylo, yhi, 600)
set xlabel 'weights as stored (MiB)'
set ylabel 'GFLOPS (wall clock, median eval; bars: 95% CI; w8a8: GOPS)'
plot for [i=0:*] data index i using 1:2:3:4 with yerrorlines title columnheader(1)
