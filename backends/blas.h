/* blas.h: the one place that says where CBLAS comes from: Accelerate's
 * vecLib on macOS (AB_BLAS_ACCELERATE, set by cmake/Dependencies.cmake),
 * OpenBLAS's cblas.h elsewhere. Include this, never <cblas.h> itself. */
#ifndef AB_BLAS_H
#define AB_BLAS_H

#ifdef AB_BLAS_ACCELERATE
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#endif

/* The host's own products (the CPU reference, the simulator's output) run
 * on the calling thread: OpenBLAS's threads, woken for a call, spin
 * (sched_yield) for a while after it and take a core from what runs next,
 * on a 2-core machine the modelled waits and the next case; these products
 * are small (verification samples) and gain little from threads.
 * blas_serial_begin returns what blas_serial_end puts back. Accelerate has
 * no such setting and no spinning threads: nothing to do there. */
static inline int blas_serial_begin(void)
{
#ifdef AB_BLAS_OPENBLAS
    int n = openblas_get_num_threads();
    if (n > 1)
        openblas_set_num_threads(1);
    return n;
#else
    return 0;
#endif
}

static inline void blas_serial_end(int prev)
{
#ifdef AB_BLAS_OPENBLAS
    if (prev > 1)
        openblas_set_num_threads(prev);
#else
    (void)prev;
#endif
}

#endif
