/* conv2d.c: k x k convolutions over 2-D spatial: `depth` chained convs on
 * [1, cin, h, w], kernel kh x kw, stride 1, padding same (odd kh, kw; the
 * output keeps h x w) or valid (each layer shrinks by kh-1, kw-1). MIL:
 * mil_chain_program (conv op, custom pads for same); cpu: im2col + sgemm. */
#include "kernels/chain.h"
#include "kernels/mil.h"

const ab_kernel_ops ab_kernel_conv2d = {
    .name = "conv2d",
    .help = "chained kh x kw convolutions over [1, cin, h, w], stride 1, pad same | valid (conv op)",
    .axes = AB_AXES_COMMON | AXBIT(AX_CIN) | AXBIT(AX_COUT) | AXBIT(AX_KH) | AXBIT(AX_KW) | AXBIT(AX_H) |
            AXBIT(AX_W) | AXBIT(AX_PAD),
    .invalid = chain_invalid_2d,
    .shape = chain_shape_2d,
    .mil = mil_chain_program,
};
