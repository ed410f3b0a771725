/* mannwhitney.h: the two-sided Mann-Whitney U test (Wilcoxon rank-sum).
 *
 * Used by compare to decide whether two runs' raw samples of one case differ.
 * Definitions follow scipy.stats.mannwhitneyu(alternative="two-sided",
 * use_continuity=True), checked in tests/unit/test_mannwhitney.c against
 * values computed by tests/tools/gen_mwu_expected.py:
 *  - u1 = R1 - n1(n1+1)/2 with R1 the sum of x's ranks in the pooled sample
 *    (ties get their average rank); u2 = n1*n2 - u1; U = max(u1, u2);
 *  - exact: p = 2 * P(U' >= U) under the null distribution of U' for samples
 *    of sizes n1, n2 without ties (counted by a dynamic program), capped at 1;
 *  - asymptotic: z = (U - n1*n2/2 - 0.5) / s with
 *    s = sqrt(n1*n2/12 * ((n+1) - sum(t^3 - t)/(n(n-1)))) (t = size of each
 *    group of ties, n = n1 + n2); p = 2 * (1 - Phi(z)), capped at 1.
 *    When every value is tied (s = 0) the samples cannot differ: p = 1. */
#ifndef AB_MANNWHITNEY_H
#define AB_MANNWHITNEY_H

#include <stddef.h>
#include "harness/error.h"

/* MWU_AUTO picks the exact distribution when both samples have at most
 * AB_MWU_EXACT_MAX values and there are no ties, else the normal
 * approximation. MWU_EXACT with ties does what scipy does: U is truncated to
 * an integer and the no-ties distribution is used. */
typedef enum { MWU_AUTO, MWU_EXACT, MWU_ASYMPTOTIC } ab_mwu_method;

#define AB_MWU_EXACT_MAX 20

typedef struct ab_mwu {
    double u1;         /* U of the first sample (scipy's "statistic") */
    double u2;         /* n1*n2 - u1 */
    double z;          /* asymptotic: standardised U (with continuity); exact: NAN */
    double p;          /* two-sided p-value in [0, 1] */
    int exact;         /* 1: exact distribution used */
    size_t tie_groups; /* groups of tied values in the pooled sample (size >= 2) */
} ab_mwu;

/* Tests x[0..n1) against y[0..n2) (neither modified). Errors (AB_EUSAGE): an
 * empty sample, a NaN value, MWU_EXACT on samples too large for it (the
 * distribution is counted in exact integers: C(n1+n2, n1) must stay below
 * 2^53, which holds for n1 + n2 <= 56); AB_EFAIL when memory runs out. */
int mwu_test(const double *x, size_t n1, const double *y, size_t n2, ab_mwu_method method, ab_mwu *out,
             ab_err *e);

/* P(U >= k) for samples of sizes m and n without ties (the exact upper tail).
 * Returns NAN when the sizes are too large (see mwu_test) or memory runs out. */
double mwu_exact_sf(double k, size_t m, size_t n);

#endif
