/* plotdata_int.h: internals shared by plotdata.c (tables, .dat writer,
 * titles, chart list), plotcharts.c (what each one-run chart selects) and
 * plotcompare.c (the charts of several runs). Not part of the interface:
 * only those files include it. */
#ifndef AB_PLOTDATA_INT_H
#define AB_PLOTDATA_INT_H

#include <stddef.h>
#include "harness/axis.h"
#include "harness/plotdata.h"
#include "harness/reader.h"

/* One series: rows of ncol doubles (and an optional text label per row). */
typedef struct pd_series {
    char title[160];
    long key[AX_COUNT]; /* the grouping key (see pd_norm_key) */
    double *v;          /* rows * ncol */
    char (*lab)[64];    /* rows labels, or NULL when the table has none */
    size_t rows, cap;
} pd_series;

/* The contents of one .dat file. */
typedef struct pd_table {
    size_t ncol;
    int has_label;        /* a last, quoted, text column */
    const char *colnames; /* space-separated names of columns 2..ncol (+ label) */
    const char *coldoc;   /* "# columns:" text (may hold several '\n'-separated lines) */
    pd_series *s;
    size_t ns, cap;
} pd_table;

void pd_table_init(pd_table *t, size_t ncol, int has_label, const char *colnames, const char *coldoc);
void pd_table_free(pd_table *t);
/* The series with this key (added, titled, if new); NULL when out of memory. */
pd_series *pd_table_series(pd_table *t, const long *key, const char *title);
/* Appends a row; returns 0, or -1 when out of memory. */
int pd_series_add(pd_table *t, pd_series *s, const double *row, const char *label);
/* Sorts the rows of every series by column col (then col+1...). */
void pd_table_sort_rows(pd_table *t, size_t col);
/* Drops series with fewer than min distinct values in column col. */
void pd_table_drop_short(pd_table *t, size_t col, size_t min_distinct);
/* Sorts the series by key, axis `first` before the others (table order). */
void pd_table_sort_series(pd_table *t, int first);
/* Retitles every series by its key: the axes of `always`, plus those whose
 * values differ between the series, minus `never`; "all ok cases" if none. */
void pd_table_relabel(pd_table *t, unsigned always, unsigned never);
/* Distinct values of column col over all series. */
size_t pd_table_distinct(const pd_table *t, size_t col);

/* A record's parameters as a grouping key: cout equal to cin becomes
 * AB_AXIS_SAME, the axes in drop_mask (bit per ab_axis_id) become 0. */
void pd_norm_key(const ab_record *r, unsigned drop_mask, long *key);
/* "spatial=64 io=fp16": the axes of mask, in table order; cout only when it
 * is not AB_AXIS_SAME, threads only when non-zero. */
void pd_key_label(const long *key, unsigned mask, char *buf, size_t n);
/* Axes (bits) whose normalized value differs between the records passing ok(). */
unsigned pd_varying_axes(const ab_run *run);

/* A record worth drawing: status ok, a steady-state median. */
int pd_rec_ok(const ab_record *r);
double pd_rec_flops(const ab_record *r);
double pd_rec_bytes(const ab_record *r);

#define PD_BIT(a) (1u << (a))

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
