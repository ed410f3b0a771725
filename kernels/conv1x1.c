/* conv1x1.c: the 1x1 convolution family: `depth` chained 1x1 convs over a
 * channel-first row [1, cin, 1, spatial] (y = W_d ... W_1 x, W_l [cout][cin]),
 * the family every result before kernel families measured: its keys and
 * seeds are unchanged. MIL: kernels/mil.c (mil_conv_program). */
#include "kernels/chain.h"
#include "kernels/mil.h"

static void conv1x1_shape(ab_kernel *k)
{
    k->cin = (size_t)k->c.v[AX_CIN];
    k->cout = (size_t)k->c.v[AX_COUT];
    k->depth = (size_t)k->c.v[AX_DEPTH];
    k->h = 1;
    k->w = (size_t)k->c.v[AX_SPATIAL];
}

const ab_kernel_ops ab_kernel_conv1x1 = {
    .name = "conv1x1",
    .help = "chained 1x1 convolutions over a row [1, cin, 1, spatial] (conv op)",
    .axes = AB_AXES_COMMON | AXBIT(AX_CIN) | AXBIT(AX_COUT) | AXBIT(AX_SPATIAL),
    .shape = conv1x1_shape,
    .mil = mil_conv_program,
};
