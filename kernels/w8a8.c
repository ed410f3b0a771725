/* w8a8.c: INT8 W8A8, as maderix/ANE's ane_int8_bench: the conv2d chain
 * with int8 weights dequantized in the program (constexpr_affine_dequantize,
 * one fp16 scale per tensor, zero point 0) and activations quantized to
 * int8 and back (quantize / dequantize, scale 2^-6) between layers. FLOPs
 * count the same arithmetic as fp16 (report TOPS). The reference applies the
 * same quantization (kernels/chain.c, tolerance in docs/kernels.md); cpu
 * engines skip it (CBLAS has no int8 GEMM). */
#include "kernels/chain.h"
#include "kernels/mil.h"

/* Activation step: a power of two (exact in fp16); int8 then spans
 * +-1.98, 3.4 times the activations' rms 1/sqrt(3). */
#define ACT_SCALE 0x1p-6

static void w8a8_shape(ab_kernel *k)
{
    chain_shape_2d(k);
    k->quant.on = 1;
    k->quant.act_scale = ACT_SCALE;
}

const ab_kernel_ops ab_kernel_w8a8 = {
    .name = "w8a8",
    .help = "the conv2d chain with int8 weights and int8 activations between layers (TOPS)",
    .axes = AB_AXES_COMMON | AXBIT(AX_CIN) | AXBIT(AX_COUT) | AXBIT(AX_KH) | AXBIT(AX_KW) | AXBIT(AX_H) |
            AXBIT(AX_W) | AXBIT(AX_PAD),
    .invalid = chain_invalid_2d,
    .shape = w8a8_shape,
    .mil = mil_chain_program,
    .float_refusal = "w8a8 needs int8 arithmetic and CBLAS has no int8 GEMM",
};
