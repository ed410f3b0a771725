/* estimate.h: expected wall time of cases from their size, not their count.
 *
 * A case's wall time is modelled as its evals (the first one, the warm-up,
 * the steady-state samples the stop rule will take) plus what surrounds
 * them (compile, load, unload, reload, preparing and checking the case, the
 * worker's round trip). The steady eval costs eval_a + eval_b x FLOPs; what
 * surrounds it costs over_a + over_b x bytes (weights, input and output).
 * Both are fitted (weighted least squares, relative error) to finished
 * records: a previous run's journal (`list --estimate`) or the cases done so
 * far (the progress line's ETA); or set from a backend's model (ane-sim
 * profiles), whose figures leave out the harness's own time. */
#ifndef AB_ESTIMATE_H
#define AB_ESTIMATE_H

#include <stddef.h>
#include "harness/case.h"
#include "harness/record.h"
#include "harness/settings.h"

typedef struct ab_est {
    double eval_a, eval_b; /* steady eval, s: eval_a + eval_b * flops */
    double over_a, over_b; /* per case outside the evals, s: over_a + over_b * bytes */
    double evals_before;   /* evals before sampling (first + warm-up), mean of the records */
    double sample_ratio;   /* sampled time / the stop rule's least, mean of the records (>= 1) */
    int ready;             /* 1 once the figures above are set */
    /* A backend's model instead of the fits (NULL: the fits): seconds of a
     * steady eval and of what surrounds the evals, for case c. */
    double (*model_eval_s)(const void *ctx, const ab_case *c);
    double (*model_over_s)(const void *ctx, const ab_case *c);
    const void *model_ctx;
    /* Sums of the fits, kept so each finished case updates them in O(1). */
    double ev[5], ov[5], nb_before, nb_ratio;
    size_t n;
} ab_est;

void est_init(ab_est *m);
/* Adds one finished record (ok records only; others are ignored) and refits. */
void est_add(ab_est *m, const ab_record *r, const ab_settings *s);
/* Expected seconds of case c under s; -1 when the model is not ready. */
double est_case_s(const ab_est *m, const ab_case *c, const ab_settings *s);
/* Seconds of steady-state sampling the stop rule takes at least for an
 * eval of eval_s seconds (min samples and min time, capped by the max). */
double est_sampling_s(double eval_s, const ab_settings *s);

#endif
