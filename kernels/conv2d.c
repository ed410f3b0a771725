/* conv2d.c: k x k convolutions over 2-D spatial: `depth` chained convs on
 * [1, cin, h, w], kernel kh x kw, stride 1, padding same (odd kh, kw; the
 * output keeps h x w) or valid (each layer shrinks by kh-1, kw-1). MIL:
 * mil_chain_program (conv op, custom pads for same); cpu: im2col + sgemm. */
#include "kernels/chain.h"
#include "kernels/mil.h"

static const char *conv2d_invalid(const ab_case *c)
{
    if (c->v[AX_PAD] == AB_PAD_SAME && (c->v[AX_KH] % 2 == 0 || c->v[AX_KW] % 2 == 0))
        return "pad=same needs odd kh and kw (even kernels have no centred padding)";
    return NULL;
}

static void conv2d_shape(ab_kernel *k)
{
    k->cin = (size_t)k->c.v[AX_CIN];
    k->cout = (size_t)k->c.v[AX_COUT];
    k->depth = (size_t)k->c.v[AX_DEPTH];
    k->h = (size_t)k->c.v[AX_H];
    k->w = (size_t)k->c.v[AX_W];
    k->kh = (size_t)k->c.v[AX_KH];
    k->kw = (size_t)k->c.v[AX_KW];
    k->pad = (int)k->c.v[AX_PAD];
}

const ab_kernel_ops ab_kernel_conv2d = {
    .name = "conv2d",
    .help = "chained kh x kw convolutions over [1, cin, h, w], stride 1, pad same | valid (conv op)",
    .axes = AB_AXES_COMMON | AXBIT(AX_CIN) | AXBIT(AX_COUT) | AXBIT(AX_KH) | AXBIT(AX_KW) | AXBIT(AX_H) |
            AXBIT(AX_W) | AXBIT(AX_PAD),
    .invalid = conv2d_invalid,
    .shape = conv2d_shape,
    .mil = mil_chain_program,
};
