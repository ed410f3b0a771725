/* matmul.c: the matmul op with constant weights: `depth` chained linear
 * layers y = x W^T on x [1, spatial, cin] (token-major: `spatial` rows of
 * cin), W [cout, cin]: the arithmetic of a 1x1 conv with the same cin, cout,
 * spatial, so the two ops compare case by case (the keys differ only in the
 * first word). MIL: mil_chain_program (linear op); cpu: one sgemm per layer
 * (X W^T). */
#include "kernels/chain.h"
#include "kernels/mil.h"

static void matmul_shape(ab_kernel *k)
{
    k->cin = (size_t)k->c.v[AX_CIN];
    k->cout = (size_t)k->c.v[AX_COUT];
    k->depth = (size_t)k->c.v[AX_DEPTH];
    k->h = 1;
    k->w = (size_t)k->c.v[AX_SPATIAL];
    k->token_major = 1;
}

const ab_kernel_ops ab_kernel_matmul = {
    .name = "matmul",
    .help = "chained linear layers x W^T on x [1, spatial, cin], constant W [cout, cin] (linear op)",
    .axes = AB_AXES_COMMON | AXBIT(AX_CIN) | AXBIT(AX_COUT) | AXBIT(AX_SPATIAL),
    .shape = matmul_shape,
    .mil = mil_chain_program,
};
