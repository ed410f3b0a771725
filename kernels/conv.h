/* conv.h: the 1x1 convolution family (what is measured).
 *
 * A kernel is `depth` chained 1x1 convolutions over a channel-first
 * [1, C, 1, S] tensor: y = W_d ... W_2 W_1 x, each W_i of shape [cout, cin]
 * (row-major W[o*cin + i]), x of shape [cin, S] (element c*S + s). Chains
 * need cin == cout. Weights are seeded random values uniform in [-1, 1)
 * times sqrt(3/cin) (variance 1/cin, so every layer keeps its input's
 * magnitude and deep chains stay O(1) instead of decaying to fp16 zeros),
 * inputs uniform in [-1, 1) (rounded to fp16 values when io=fp16); the seed
 * is mixed with the case key so every case gets unique weights (cold
 * compile). conv.c documents the tolerance formulas. */
#ifndef AB_CONV_H
#define AB_CONV_H

#include <stddef.h>
#include <stdint.h>
#include "harness/case.h"
#include "harness/error.h"

typedef struct ab_conv {
    ab_case c;
    size_t cin, cout, spatial, depth;
    int fp16_io;          /* io=fp16 */
    uint64_t seed;        /* the data seed actually used */
    float *weights;       /* depth * cout * cin, fp32 */
    float *input;         /* cin * spatial */
} ab_conv;

/* Builds the kernel's data for case c: seed is the run seed, mixed with the
 * case key by conv_seed_for (k->seed). AB_EUSAGE for impossible shapes
 * (sizes <= 0, depth > 1 with cin != cout), AB_EFAIL when out of memory. */
int conv_make(ab_conv *k, const ab_case *c, uint64_t seed, ab_err *e);
void conv_free(ab_conv *k);

/* Reference output element (o, s) computed in plain C, double accumulation,
 * through every layer (for depth > 1 it needs the whole previous layer's
 * column s, so this computes that column). */
double conv_ref_at(const ab_conv *k, size_t o, size_t s);
/* Whole reference output [cout][spatial] in plain C (fp32 out). */
void conv_ref_all(const ab_conv *k, float *out);

typedef struct ab_verify {
    int pass;
    double max_abs_err;
    double tolerance;
    size_t checked;
} ab_verify;

/* Checks out[cout*spatial] against the reference: every element when
 * cout*spatial*cin*depth is small (<= 2^24 multiply-adds), else a seeded
 * sample of 4096 elements (depth 1: random elements; depth > 1: whole random
 * columns, ceil(4096/cout) of them, since a chained element needs its whole
 * column anyway). fp16 selects the fp16 tolerance (inputs, weights, layer
 * outputs and possibly accumulation in half precision), else fp32 sgemm's;
 * v->tolerance is that formula at the activation rms measured on the checked
 * reference data. A NaN/inf output fails (max_abs_err = inf); so does
 * running out of memory (checked = 0). */
void conv_verify(const ab_conv *k, const float *out, int fp16, ab_verify *v);

/* Absolute tolerance for this kernel (fp16 or fp32 arithmetic) at the
 * expected activation rms 1/sqrt(3). */
double conv_tolerance(const ab_conv *k, int fp16);

/* 64-bit mix of the run seed and the case key (FNV-1a + splitmix64). */
uint64_t conv_seed_for(const ab_case *c, uint64_t run_seed);

/* Deterministic generator used for data (splitmix64 / xorshift). */
typedef struct ab_rng { uint64_t s; } ab_rng;
void rng_seed(ab_rng *r, uint64_t seed);
uint64_t rng_next(ab_rng *r);
double rng_uniform(ab_rng *r); /* [0, 1) */

#endif
