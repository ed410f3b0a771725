/* ane_probe_int.h: the pieces the probe files share (internal to
 * backends/ane_probe*.c): the probe context, a program with its surfaces
 * (ane_probe_kit.c) and the report builders (ane_probe.c). */
#ifndef AB_ANE_PROBE_INT_H
#define AB_ANE_PROBE_INT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include "backends/ane_api.h"
#include "kernels/conv.h"
#include "kernels/mil.h"

typedef struct pctx {
    const ane_api_ops *ops;
    ane_api *api;
    ab_mil_target target;
    uint64_t seed;       /* bumped per kernel: every compile is cold */
    const unsigned *qos; /* the QoS values the sweep tries (at most 64) */
    size_t nqos;
    bool simulated;      /* findings then say what the model assumes */
    bool used;           /* a program was compiled and loaded before (first-use costs paid) */
    double first_use_ms; /* the QoS sweep's first compile+load less a later one's (NAN unknown) */
} pctx;

/* One program with its surfaces. */
typedef struct pkern {
    ab_conv k;
    int have_k;
    ane_model *m;
    ane_buf *in, *out;
    size_t elem, in_bytes, out_bytes;
} pkern;

typedef enum { INPUT_RANDOM, INPUT_RAMP_001, INPUT_RAMP_01 } input_kind;

/* Builds a ch x ch conv at `spatial`: weights `identity` x identity when
 * identity > 0, else seeded random; inputs as `in` says. Every call takes a
 * new seed, so every compile is cold. */
int pk_make(pctx *c, pkern *p, size_t ch, size_t spatial, float identity, input_kind in, ab_err *e);
void pk_free(pctx *c, pkern *p);
/* weight.bin of p's weights, after setting them to identity x I when identity > 0. */
uint8_t *pk_blob(pkern *p, float identity, size_t *wlen);
int pk_eval(pctx *c, pkern *p, unsigned qos, unsigned proc, bool rt, ane_buf *wbuf, ane_eval_res *res,
            ab_err *e);
/* Output as fp32 [cout][spatial] (malloc'd) or NULL. */
float *pk_output(pctx *c, pkern *p, ab_err *e);
int pk_clear_output(pctx *c, pkern *p, ab_err *e);
double pk_ms_since(uint64_t t0);

/* Report builders: a new probe object (result "error" until concluded). */
cJSON *pr_new(const char *name);
void pr_conclude(cJSON *o, const char *result, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void pr_evidence(cJSON *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pr_figure(cJSON *o, const char *key, double v); /* null when not finite */
void pr_error(cJSON *o, const char *what, const ab_err *e);
double pr_round3(double v);
double pr_round4(double v);
double pr_median(double *v, size_t n); /* sorts v */

/* The probes that compile and evaluate programs (ane_probe_runs.c). */
void probe_qos(pctx *c, cJSON *o);
void probe_weight_reload(pctx *c, cJSON *o);
void probe_weights_buffer(pctx *c, cJSON *o);
void probe_perf_stats(pctx *c, cJSON *o);
void probe_procedure(pctx *c, cJSON *o);
void probe_realtime(pctx *c, cJSON *o);

#endif
