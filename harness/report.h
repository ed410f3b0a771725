/* report.h: `anebench report`: a summary of one run, or one wide table of
 * several, as GitHub markdown, plain text or one self-contained HTML page.
 *
 * One run: its environment, headline figures with the case each came
 * from, one compact table per sweep (cases grouped by the axes they set
 * apart from the defaults, pivoted on the axes that vary), failures
 * grouped by status, stage and error. Several runs: environment and
 * headline side by side, then the cases joined on their key, one column
 * per run. Markdown fits a budget (a GitHub comment): tables are cut to
 * their top rows until it does, and the report says what it left out. */
#ifndef AB_REPORT_H
#define AB_REPORT_H

#include <stddef.h>
#include "harness/doc.h"
#include "harness/error.h"
#include "harness/reader.h"

/* GitHub's limit on the body of an issue or pull-request comment. */
#define AB_GITHUB_COMMENT_MAX 65536

/* A chart to inline (HTML): its title and its SVG text. */
typedef struct ab_report_chart {
    const char *title;
    const char *svg;
    size_t len;
} ab_report_chart;

typedef struct ab_report_opts {
    doc_format fmt;
    size_t top;                    /* rows per table (the top ones); 0: all (md: all that fit the budget) */
    int all;                       /* every row, no budget */
    size_t budget;                 /* md: the most bytes the text may take; 0 = AB_GITHUB_COMMENT_MAX */
    const char *const *names;      /* the runs as the user named them (notes), or NULL */
    const ab_report_chart *charts; /* HTML: charts to inline, in order */
    size_t ncharts;
    const char *charts_note; /* HTML: why there are no charts, or NULL */
} ab_report_opts;

/* The report as text (malloc'd, NUL-terminated, *len bytes). NULL with e
 * set when out of memory. */
char *report_render(const ab_run *runs, size_t nruns, const ab_report_opts *o, size_t *len, ab_err *e);

#endif
