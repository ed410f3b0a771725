/* conv.h: the 1x1 convolution family's older names, kept for the ANE probe
 * (backends/ane_probe*.c builds its own conv1x1 programs from a case) and
 * the tests written against them. An ab_conv is a kernel instance
 * (kernel.h) of the conv1x1 family; new code uses kernel.h directly. */
#ifndef AB_CONV_H
#define AB_CONV_H

#include "kernels/kernel.h"

typedef ab_kernel ab_conv;

static inline int conv_make(ab_conv *k, const ab_case *c, uint64_t seed, ab_err *e)
{
    return kernel_make(k, c, seed, e);
}
static inline void conv_free(ab_conv *k)
{
    kernel_free(k);
}
/* Reference output element (o, position s); NAN when out of range. */
static inline double conv_ref_at(const ab_conv *k, size_t o, size_t s)
{
    return kernel_ref_at(k, o, s);
}
static inline void conv_ref_all(const ab_conv *k, float *out)
{
    kernel_ref_all(k, out);
}
static inline void conv_verify(const ab_conv *k, const float *out, int fp16, ab_verify *v)
{
    kernel_verify(k, out, fp16, v);
}
static inline double conv_tolerance(const ab_conv *k, int fp16)
{
    return kernel_tolerance(k, fp16);
}
static inline uint64_t conv_seed_for(const ab_case *c, uint64_t run_seed)
{
    return kernel_seed_for(c, run_seed);
}

#endif
