/* stats.c: summary statistics of samples, as defined in stats.h.
 *
 * Everything is computed from a sorted copy: order statistics give the
 * percentiles and the median's distribution-free confidence interval, and the
 * MAD is the median of the (re-sorted) absolute deviations. */
#include "harness/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    /* NaN sorts last so that the order is total and qsort stays well defined. */
    if (isnan(x) || isnan(y))
        return isnan(x) - isnan(y);
    return (x > y) - (x < y);
}

double stats_percentile_sorted(const double *sorted, size_t n, double q)
{
    if (n == 0)
        return 0.0;
    if (!(q > 0.0))
        return sorted[0];
    if (q >= 100.0)
        return sorted[n - 1];
    double h = (double)(n - 1) * q / 100.0;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1)
        return sorted[n - 1];
    double frac = h - (double)lo;
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/* Largest l with P(Binomial(n, 1/2) <= l - 1) <= 0.025, or 0 when even l = 1
 * fails (n < 6). The cdf is summed from well inside the lower tail: below
 * n/2 - 10 sqrt(n) (20 standard deviations) the mass is under 1e-80, far
 * below double precision of 0.025, so starting there changes nothing. */
static size_t ci_lower_rank(size_t n)
{
    const double alpha_half = 0.025;
    double dn = (double)n;
    double start = floor(dn / 2.0 - 10.0 * sqrt(dn));
    size_t k = start > 0.0 ? (size_t)start : 0;
    /* log pmf(k) = lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1) - n log 2 */
    double pmf =
        exp(lgamma(dn + 1.0) - lgamma((double)k + 1.0) - lgamma(dn - (double)k + 1.0) - dn * log(2.0));
    double cdf = 0.0;
    size_t l = 0;
    for (; k <= n / 2; k++) {
        cdf += pmf; /* cdf = P(X <= k) */
        if (cdf > alpha_half)
            break;
        l = k + 1; /* P(X < k + 1) <= 0.025 */
        pmf *= (dn - (double)k) / ((double)k + 1.0);
    }
    return l;
}

void stats_median_ci_ranks(size_t n, size_t *l, size_t *u)
{
    size_t lo = 1, hi = n;
    if (n >= 6) {
        size_t r = ci_lower_rank(n);
        if (r >= 1) {
            lo = r;
            hi = n + 1 - r;
        }
    }
    if (n == 0)
        lo = hi = 0;
    if (l)
        *l = lo;
    if (u)
        *u = hi;
}

void stats_summarize_sorted(const double *sorted, size_t n, ab_summary *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0 || !sorted)
        return;
    out->n = n;
    out->min = sorted[0];
    out->max = sorted[n - 1];
    out->median = stats_percentile_sorted(sorted, n, 50.0);
    out->p90 = stats_percentile_sorted(sorted, n, 90.0);
    out->p99 = stats_percentile_sorted(sorted, n, 99.0);

    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += sorted[i];
    out->mean = sum / (double)n;
    if (n > 1) {
        double ss = 0.0;
        for (size_t i = 0; i < n; i++) {
            double d = sorted[i] - out->mean;
            ss += d * d;
        }
        out->stddev = sqrt(ss / (double)(n - 1));
    }

    size_t l, u;
    stats_median_ci_ranks(n, &l, &u);
    out->ci_low = sorted[l - 1];
    out->ci_high = sorted[u - 1];

    double *dev = malloc(n * sizeof *dev);
    if (!dev) {
        out->mad = NAN;
        return;
    }
    for (size_t i = 0; i < n; i++)
        dev[i] = fabs(sorted[i] - out->median);
    qsort(dev, n, sizeof *dev, cmp_double);
    out->mad = stats_percentile_sorted(dev, n, 50.0);
    free(dev);
}

void stats_summarize(const double *x, size_t n, ab_summary *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0 || !x)
        return;
    double *s = malloc(n * sizeof *s);
    if (!s) {
        out->n = n;
        out->min = out->median = out->mean = out->stddev = out->p90 = NAN;
        out->p99 = out->max = out->mad = out->ci_low = out->ci_high = NAN;
        return;
    }
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    stats_summarize_sorted(s, n, out);
    free(s);
}

double stats_ci_halfwidth_pct(const ab_summary *s)
{
    if (!s || s->n == 0 || isnan(s->ci_low) || isnan(s->ci_high) || isnan(s->median))
        return INFINITY;
    double half = (s->ci_high - s->ci_low) / 2.0;
    if (half <= 0.0)
        return 0.0;
    if (!(s->median > 0.0))
        return INFINITY;
    return half / s->median * 100.0;
}
