/* stop.c: the stopping rule for steady-state sampling. */
#include "harness/stop.h"

#include <stdlib.h>
#include <string.h>

#include "harness/stats.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void stop_init(ab_stopper *st, const ab_settings *s)
{
    memset(st, 0, sizeof *st);
    st->s = s;
    st->next_check = s->min_samples > 0 ? (size_t)s->min_samples : 1;
}

void stop_free(ab_stopper *st)
{
    free(st->scratch);
    st->scratch = NULL;
    st->cap = 0;
}

/* Half-width of the median's CI in percent, from a sorted copy. */
static double ci_pct(ab_stopper *st, const double *x, size_t n)
{
    if (n > st->cap) {
        size_t cap = st->cap ? st->cap : 64;
        while (cap < n)
            cap *= 2;
        double *p = realloc(st->scratch, cap * sizeof *p);
        if (!p)
            return 1e300; /* cannot judge: keep sampling until a limit */
        st->scratch = p;
        st->cap = cap;
    }
    memcpy(st->scratch, x, n * sizeof *x);
    qsort(st->scratch, n, sizeof *x, cmp_double);
    size_t l, u;
    stats_median_ci_ranks(n, &l, &u);
    double med = stats_percentile_sorted(st->scratch, n, 50.0);
    if (med <= 0)
        return 0;
    return 100.0 * (st->scratch[u - 1] - st->scratch[l - 1]) / 2.0 / med;
}

size_t stop_settle(ab_stopper *st, const double *x, size_t n)
{
    size_t cap = st->s->warmup > 0 ? (size_t)st->s->warmup : 0;
    if (cap > n / 2)
        cap = n / 2;
    st->lead = 0;
    if (cap == 0)
        return 0;
    /* Median and MAD of the later half, in the scratch buffer. */
    size_t h = n - n / 2;
    if (ci_pct(st, x + n / 2, h) >= 1e300)
        return 0;
    double m = stats_percentile_sorted(st->scratch, h, 50.0);
    for (size_t i = 0; i < h; i++)
        st->scratch[i] = st->scratch[i] > m ? st->scratch[i] - m : m - st->scratch[i];
    qsort(st->scratch, h, sizeof *st->scratch, cmp_double);
    double mad = stats_percentile_sorted(st->scratch, h, 50.0);
    double slack = 0.05 * m > 3.0 * mad ? 0.05 * m : 3.0 * mad;
    size_t lead = 0;
    while (lead < cap && x[lead] > m + slack)
        lead++;
    st->lead = lead;
    return lead;
}

const char *stop_check(ab_stopper *st, const double *samples, size_t n, double elapsed_s)
{
    const ab_settings *s = st->s;
    if (s->max_samples > 0 && n >= (size_t)s->max_samples)
        return "max-samples";
    if (elapsed_s >= s->max_time)
        return "max-time";
    if (n < (size_t)s->min_samples || elapsed_s < s->min_time)
        return NULL;
    if (n < st->next_check)
        return NULL;
    /* Next check after ~12% more samples: O(1) amortised sorting cost. */
    st->next_check = n + n / 8 + 1;
    size_t lead = stop_settle(st, samples, n);
    if (n - lead < (size_t)s->min_samples)
        return NULL;
    if (ci_pct(st, samples + lead, n - lead) <= s->noise)
        return "noise";
    return NULL;
}
