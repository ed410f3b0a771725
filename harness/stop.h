/* stop.h: the stopping rule for steady-state sampling (nvbench's
 * stopping_criterion): stop when min samples and min time are reached and
 * the median's CI half-width is under --noise, or at max time / max samples. */
#ifndef AB_STOP_H
#define AB_STOP_H

#include <stddef.h>
#include "harness/settings.h"

typedef struct ab_stopper {
    const ab_settings *s;
    size_t next_check;   /* sample count at which the CI is next computed */
    double *scratch;     /* sorted copy for the CI check */
    size_t cap;
} ab_stopper;

void stop_init(ab_stopper *st, const ab_settings *s);
void stop_free(ab_stopper *st);

/* Called after each sample: samples[0..n), elapsed_s of steady-state
 * sampling. Returns NULL to continue, or the reason to stop: "noise"
 * (CI target met), "max-time", "max-samples". The CI is recomputed only at
 * geometrically spaced counts so the check costs O(1) amortised per sample. */
const char *stop_check(ab_stopper *st, const double *samples, size_t n, double elapsed_s);

#endif
