/* report_charts.h: the charts of an HTML report: `anebench plot --format
 * svg` of the same runs, run as a child process into a private temporary
 * folder (so the charts are plot's own, drawn by the same gnuplot scripts
 * in the same way), each SVG then inlined as a data: image. */
#ifndef AB_REPORT_CHARTS_H
#define AB_REPORT_CHARTS_H

#include <stddef.h>
#include "harness/report.h"

typedef struct report_charts {
    ab_report_chart *v;
    size_t n;
    char note[512]; /* why there are no (or fewer) charts, "" when none to say */
} report_charts;

/* Draws the charts of the runs at paths[0..n). Returns 0, or AB_ETOOL
 * when gnuplot (or the scripts) could not be found, AB_EFAIL when plot
 * failed otherwise; note says so, and the page says it too. */
int report_charts_make(const char *const *paths, size_t n, report_charts *c);
void report_charts_free(report_charts *c);

#endif
