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
# By hand (title, note and the rest come from the .dat's "# var" lines; -e
# overrides them), from any folder, writing roofline.png beside the data:
#   gnuplot -c path/to/plots/roofline.gp path/to/roofline.dat [OUT [FMT]]
# (-c hands the paths over as values, which gnuplot never reads as commands:
# a name holding ` or @ is safe; the -e form below parses its text.)
# Or: gnuplot -e "data='path/to/roofline.dat'" path/to/plots/roofline.gp
# Optional: out='x.png', fmt='svg', title='...', note='...', peak=12300 (GFLOPS),
#           bw=120 (memory bandwidth, GB/s: draws the roof bw x intensity)

name = 'roofline'
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

set title heading('Roofline: GFLOPS vs arithmetic intensity')
pk = (exists("peak") && peak > 0) ? peak : 0
mem = (exists("bw") && bw > 0) ? bw : 0
stats data using 1 nooutput
xlo = STATS_min
xhi = STATS_max
stats data using 3:4 nooutput
ylo = STATS_min_x
yhi = STATS_max_y
if (pk > 0) { ylo = pk < ylo ? pk : ylo; yhi = pk > yhi ? pk : yhi }
if (mem > 0) { ylo = mem * xlo < ylo ? mem * xlo : ylo }
set logscale x 10
set logscale y 10
set format x '%g'
set format y '%g'
eval autotics('x', xlo, xhi, 750)
eval autotics('y', ylo, yhi, 600)
set xlabel 'arithmetic intensity (FLOPs per byte moved)'
set ylabel 'GFLOPS (wall clock, median eval; bars: 95% CI)'
roof(x) = (mem > 0 && pk > 0) ? (mem * x < pk ? mem * x : pk) : (mem > 0 ? mem * x : pk)
rooftitle = pk > 0 ? sprintf('peak %g GFLOPS', pk) : ''
rooftitle = rooftitle.(mem > 0 ? (pk > 0 ? ', ' : '').sprintf('memory %g GB/s', mem) : '')
if (pk > 0 || mem > 0) {
    plot for [i=0:*] data index i using 1:2:3:4 with yerrorbars pt 7+i title columnheader(1), \
         roof(x) with lines lc rgb '#000000' dt 2 lw 2 title 'roof: '.rooftitle
} else {
    plot for [i=0:*] data index i using 1:2:3:4 with yerrorbars title columnheader(1)
}
