/* report_int.h: internals shared by report.c (the document, one run and
 * several) and report_sweeps.c (the per-sweep tables). Only those include it. */
#ifndef AB_REPORT_INT_H
#define AB_REPORT_INT_H

#include <stddef.h>
#include "harness/doc.h"
#include "harness/report.h"
#include "harness/runsummary.h"

/* What a rendering pass needs and what it left out. */
typedef struct rp_ctx {
    doc d;
    size_t top;         /* rows per table, 0 = all */
    size_t left_rows;   /* rows left out so far */
    size_t left_tables; /* tables that left rows out */
    const ab_report_opts *o;
    size_t give_up; /* markdown longer than this is cut to fewer rows anyway: a table
                     * that alone makes the text longer is not written (over set); 0 none */
    int over;
} rp_ctx;

/* Writes t: all its rows, or its top rows by rank with a line saying how
 * many were left out and how to see them (what_ranks: "highest GFLOPS").
 * In markdown and HTML a table of more than a few rows goes into a
 * collapsible section titled summary. */
void rp_table(rp_ctx *x, const doc_table *t, const char *summary, const char *what_ranks);
/* The same for a table whose rows have their rank but not yet their
 * cells: fill(t, row, ctx) is called for each row shown, before it is
 * written. */
void rp_table_fill(rp_ctx *x, doc_table *t, const char *summary, const char *what_ranks,
                   void (*fill)(doc_table *t, size_t row, void *ctx), void *ctx);

/* "12300", "123.4", "1.23": a figure short enough for a table cell; "" for NAN. */
void rp_num(double v, char *buf, size_t n);
/* A case as people read it: the family, then the axes of vary (NULL: cin,
 * spatial and those off their defaults). */
void rp_case_label(const ab_record *r, const int *vary, int with_family, char *buf, size_t n);

/* One table per sweep of a run (report_sweeps.c). */
void rp_sweeps(rp_ctx *x, const ab_recview *v);

#endif
