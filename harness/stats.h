/* stats.h: summary statistics of samples (nanoseconds or any unit).
 *
 * Definitions (checked against numpy/scipy in tests/unit/test_stats.c):
 *  - median, p90, p99: linear interpolation between order statistics
 *    (numpy.percentile's default, "type 7");
 *  - stddev: sample standard deviation (n-1); 0 for n = 1;
 *  - mad: median of |x - median| (not scaled);
 *  - ci_low/ci_high: distribution-free 95% confidence interval of the median
 *    from order statistics: [x_(l), x_(n+1-l)] with l the largest rank such
 *    that P(Binomial(n, 1/2) < l) <= 0.025; when n is too small for 95%
 *    coverage (n < 6) the interval is [min, max]. */
#ifndef AB_STATS_H
#define AB_STATS_H

#include <stddef.h>

typedef struct ab_summary {
    size_t n;
    double min, median, mean, stddev, p90, p99, max, mad, ci_low, ci_high;
} ab_summary;

/* Summarises x[0..n) (not modified). n = 0 gives an all-zero summary. */
void stats_summarize(const double *x, size_t n, ab_summary *out);

/* Same, on data already sorted ascending. */
void stats_summarize_sorted(const double *sorted, size_t n, ab_summary *out);

/* Percentile q in [0,100] of sorted data, numpy's linear method. */
double stats_percentile_sorted(const double *sorted, size_t n, double q);

/* 1-based ranks (l, u) of the 95% CI of the median for n samples. */
void stats_median_ci_ranks(size_t n, size_t *l, size_t *u);

/* Half-width of the median's CI as a percentage of the median. */
double stats_ci_halfwidth_pct(const ab_summary *s);

#endif
