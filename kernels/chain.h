/* chain.h: helpers the kernel families share (kernels/chain.c), for family
 * files only; engines use kernel.h. */
#ifndef AB_CHAIN_H
#define AB_CHAIN_H

#include "kernels/kernel.h"

/* Fills k->weights (nw values) and k->input (nx values) from k->seed for
 * k->data (the draw order is part of the seeds' contract: see chain.c). */
void chain_fill(ab_kernel *k, size_t nw, size_t nx);

/* The kernel's memo for the phase repeats (kernels/repeat.c): made by
 * kernel_make, freed by kernel_free. 0, or -1 when out of memory. */
int kernel_memo_new(ab_kernel *k);
void kernel_memo_free(ab_kernel *k);

/* Index of output channel o at output position pos in the I/O layout. */
size_t chain_out_index(const ab_kernel *k, size_t o, size_t pos);

/* The k x k chain over 2-D spatial that conv2d and w8a8 share: its rule
 * (pad=same needs odd kh and kw) and its shape fields from the case's
 * cin, cout, depth, h, w, kh, kw and pad axes. */
const char *chain_invalid_2d(const ab_case *c);
void chain_shape_2d(ab_kernel *k);

/* A family's mask of axes for key and validation (1u << id each). */
#define AXBIT(id) (1u << (id))
/* The axes every family has: the run and device axes and the data pattern. */
#define AB_AXES_COMMON                                                                                  \
    (AXBIT(AX_KERNEL) | AXBIT(AX_DEPTH) | AXBIT(AX_IO) | AXBIT(AX_DATA) | AXBIT(AX_QOS) |            \
     AXBIT(AX_PROCEDURE) | AXBIT(AX_MODE) | AXBIT(AX_THREADS))

#endif
