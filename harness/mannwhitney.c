/* mannwhitney.c: the two-sided Mann-Whitney U test (see mannwhitney.h).
 *
 * The exact null distribution of U for sizes m, n is the coefficient list of
 * the Gaussian binomial [m+n choose m]_q (number of ways to reach each U),
 * built as prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i): each step multiplies by
 * one binomial and divides by another, and every intermediate coefficient is
 * an integer no larger than C(m+n, m), so doubles hold them exactly. */
#include "harness/mannwhitney.h"

#include <math.h>
#include <stdlib.h>

typedef struct pooled {
    double v;
    int from_x;
} pooled;

static int cmp_pooled(const void *a, const void *b)
{
    double x = ((const pooled *)a)->v, y = ((const pooled *)b)->v;
    return (x > y) - (x < y);
}

/* C(m+n, m) < 2^53, so the counts are exact integers in a double. */
static int exact_fits(size_t m, size_t n)
{
    if (m > n) {
        size_t t = m;
        m = n;
        n = t;
    }
    double c = 1.0;
    for (size_t i = 1; i <= m; i++) {
        c = c * (double)(n + i) / (double)i;
        if (c >= 9007199254740992.0)
            return 0;
    }
    return 1;
}

double mwu_exact_sf(double k, size_t m, size_t n)
{
    if (m == 0 || n == 0 || !exact_fits(m, n))
        return NAN;
    size_t small = m < n ? m : n, big = m < n ? n : m;
    size_t deg = small * big;
    double *c = calloc(deg + small + 1, sizeof *c);
    if (!c)
        return NAN;
    c[0] = 1.0;
    size_t cur = 0; /* degree of c so far */
    for (size_t i = 1; i <= small; i++) {
        size_t shift = big + i;
        for (size_t j = cur + shift; j >= shift; j--) /* times (1 - q^shift) */
            c[j] -= c[j - shift];
        cur += shift;
        for (size_t j = i; j <= cur; j++) /* divided by (1 - q^i) */
            c[j] += c[j - i];
        cur -= i;
    }
    double total = 0.0;
    for (size_t j = 0; j <= deg; j++)
        total += c[j];
    /* P(U >= k) = P(U <= deg - k) by symmetry; sum the lower tail. */
    double p;
    if (k <= 0) {
        p = 1.0;
    } else if (k > (double)deg) {
        p = 0.0;
    } else {
        size_t hi = deg - (size_t)ceil(k);
        double s = 0.0;
        for (size_t j = 0; j <= hi; j++)
            s += c[j];
        p = s / total;
    }
    free(c);
    return p;
}

int mwu_test(const double *x, size_t n1, const double *y, size_t n2, ab_mwu_method method, ab_mwu *out,
             ab_err *e)
{
    if (n1 == 0 || n2 == 0)
        return ab_errf(e, AB_EUSAGE, "Mann-Whitney U needs two non-empty samples (got %zu and %zu)", n1, n2);
    size_t n = n1 + n2;
    pooled *all = malloc(n * sizeof *all);
    if (!all)
        return ab_errf(e, AB_EFAIL, "out of memory ranking %zu samples", n);
    for (size_t i = 0; i < n; i++) {
        double v = i < n1 ? x[i] : y[i - n1];
        if (isnan(v)) {
            free(all);
            return ab_errf(e, AB_EUSAGE, "Mann-Whitney U: sample %zu of %s is NaN", i < n1 ? i : i - n1,
                           i < n1 ? "the first sample" : "the second sample");
        }
        all[i].v = v;
        all[i].from_x = i < n1;
    }
    qsort(all, n, sizeof *all, cmp_pooled);

    double r1 = 0.0, tie_term = 0.0;
    size_t groups = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && all[j].v == all[i].v)
            j++;
        double t = (double)(j - i);
        double rank = (double)(i + 1 + j) / 2.0; /* mean of ranks i+1..j */
        for (size_t k = i; k < j; k++)
            if (all[k].from_x)
                r1 += rank;
        if (j - i > 1) {
            groups++;
            tie_term += t * t * t - t;
        }
        i = j;
    }
    free(all);

    double fn1 = (double)n1, fn2 = (double)n2, fn = (double)n;
    out->u1 = r1 - fn1 * (fn1 + 1.0) / 2.0;
    out->u2 = fn1 * fn2 - out->u1;
    out->tie_groups = groups;
    double u = out->u1 > out->u2 ? out->u1 : out->u2;

    int exact = method == MWU_EXACT ||
                (method == MWU_AUTO && groups == 0 && n1 <= AB_MWU_EXACT_MAX && n2 <= AB_MWU_EXACT_MAX);
    if (exact) {
        double p = mwu_exact_sf(floor(u), n1, n2);
        if (isnan(p))
            return ab_errf(e, AB_EUSAGE, "exact Mann-Whitney U is limited to n1 + n2 <= 56 (got %zu and %zu)",
                           n1, n2);
        out->exact = 1;
        out->z = NAN;
        out->p = fmin(1.0, 2.0 * p);
        return AB_OK;
    }
    out->exact = 0;
    double s = sqrt(fn1 * fn2 / 12.0 * ((fn + 1.0) - tie_term / (fn * (fn - 1.0))));
    if (!(s > 0.0)) { /* every value tied: no evidence of a difference */
        out->z = 0.0;
        out->p = 1.0;
        return AB_OK;
    }
    out->z = (u - fn1 * fn2 / 2.0 - 0.5) / s;
    out->p = fmin(1.0, erfc(out->z / sqrt(2.0))); /* 2 * upper normal tail */
    return AB_OK;
}
