/* plottable.h: the contents of a .dat file as a table of series, and the
 * record and key helpers every chart builder uses (plottable.c). The
 * bottom layer of the plot files: plotcharts.c, plotcompare.c and
 * plotdata.c include it; it includes none of them. */
#ifndef AB_PLOTTABLE_H
#define AB_PLOTTABLE_H

#include <stddef.h>
#include "harness/axis.h"
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

#endif
