/* stop.h: the stopping rule for steady-state sampling (nvbench's
 * stopping_criterion): stop when min samples and min time are reached and
 * the median's CI half-width is under --noise, or at max time / max samples.
 *
 * Warm-up ends when the samples settle. Sampling starts right after the
 * first eval; at every check the leading samples that are still slower than
 * the settled ones are warm-up: sample i (from the start, while each one
 * is) is warm-up if it exceeds m + max(5% of m, 3 MAD), m and MAD being the
 * median and median absolute deviation of the later half of the samples.
 * At most --warmup of them (and at most half) are dropped; the rule counts
 * only the samples after them. An engine that needs no warm-up loses no
 * eval to it; one whose first evals of a process are slow (the ANE's, per
 * the seed's QoS 0 row) loses exactly those. */
#ifndef AB_STOP_H
#define AB_STOP_H

#include <stddef.h>
#include "harness/settings.h"

typedef struct ab_stopper {
    const ab_settings *s;
    size_t next_check;   /* sample count at which the CI is next computed */
    double *scratch;     /* sorted copy for the CI check */
    size_t cap;
    size_t lead; /* leading samples judged warm-up at the last check */
} ab_stopper;

void stop_init(ab_stopper *st, const ab_settings *s);
void stop_free(ab_stopper *st);

/* Called after each sample: samples[0..n), elapsed_s of steady-state
 * sampling. Returns NULL to continue, or the reason to stop: "noise"
 * (CI target met), "max-time", "max-samples". The CI is recomputed only at
 * geometrically spaced counts so the check costs O(1) amortised per sample. */
const char *stop_check(ab_stopper *st, const double *samples, size_t n, double elapsed_s);

/* The leading samples of samples[0..n) that are warm-up (the rule above),
 * also stored in st->lead. */
size_t stop_settle(ab_stopper *st, const double *samples, size_t n);

#endif
