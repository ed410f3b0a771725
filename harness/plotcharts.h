/* plotcharts.h: the chart builders: what each chart selects from the
 * records, as a table (plotcharts.c for one run, plotcompare.c for
 * several). Called by plotdata.c only; they call plottable.c and
 * plotrun.c, never plotdata.c. */
#ifndef AB_PLOTCHARTS_H
#define AB_PLOTCHARTS_H

#include <stddef.h>
#include "harness/plotdata.h"
#include "harness/plottable.h"

/* GFLOPS curves over xaxis (AX_CIN or AX_SPATIAL), one series per value of
 * everything else, titled; more than a legend holds: the main variant only,
 * and note (if not NULL) says so. Their column layout, and its doc text. */
void pd_curve_table(const ab_run *run, int xaxis, pd_table *t, char *note, size_t nnote);
unsigned pd_curve_series_axes(int xaxis);
extern const char pd_curve_doc[];

/* The chart builders (plotcharts.c; overlay and ratio in plotcompare.c).
 * Each fills t (empty on entry) and the chart's note, peak, nser...; when t
 * ends with no series, why says why. */
void pd_build_curve(const ab_run *run, int xaxis, pd_table *t, ab_chart *c);
void pd_build_phases(const ab_run *run, pd_table *t, ab_chart *c);
void pd_build_qos(const ab_run *run, pd_table *t, ab_chart *c);
void pd_build_procedure(const ab_run *run, pd_table *t, ab_chart *c);
void pd_build_rt(const ab_run *run, pd_table *t, ab_chart *c);
void pd_build_wall_hw(const ab_run *run, pd_table *t, ab_chart *c);
void pd_build_roofline(const ab_run *run, pd_table *t, ab_chart *c);
/* GFLOPS against weight MiB per kernel family; the note names each knee
 * the data shows (a point from which a series stays 20% below its best). */
void pd_build_sram(const ab_run *run, pd_table *t, ab_chart *c);
/* labels: the runs' legend names (plot_run_labels), PLOT_LABEL_MAX bytes each. */
void pd_build_overlay(const ab_run *runs, size_t nruns, const char *labels, pd_table *t, ab_chart *c);
void pd_build_ratio(const ab_run *runs, size_t nruns, const char *labels, pd_table *t, ab_chart *c);

#endif
