/* mil.h: MIL program text for the 1x1 conv family, as the public generator
 * emits it (see ANE-NOTES.md): program(1.3)/ios18 by default on every chip,
 * program(1.0)/ios16 as an alternative; fp32 I/O (cast to fp16 inside) or fp16 I/O; depth chained convs
 * whose weight i is read, in the single weights layout, from weight.bin at
 * BLOBFILE offset 64 + i*(64 + cout*cin*2), in the per-file layout from
 * w<i>.bin at offset 64 (kernel.h ab_weights_layout). */
#ifndef AB_MIL_H
#define AB_MIL_H

#include <stddef.h>
#include "kernels/kernel.h"

/* mil_target_for_chip (kernel.h): ios18 for every chip (an M3 Pro ran
 * program(1.3)/ios18; nothing public shows ios16 needed); ios16 stays
 * available as an alternative. */

/* Returns malloc'd NUL-terminated MIL text for k (caller frees): input x
 * tensor<fp32|fp16, [1, cin, 1, spatial]>, output y [1, cout, 1, spatial].
 * NULL when out of memory or when the shape cannot chain (depth 0, or
 * depth > 1 with cin != cout). */
char *mil_conv_program(const ab_kernel *k, ab_mil_target t, ab_weights_layout w);

/* The chain families' program (conv2d, w8a8, matmul): input x
 * tensor<T, [1, cin, h, w]> (token-major: [1, S, cin]), per layer a weight
 * const w<l> at weightblob_ref(l) (fp16, or int8 through
 * constexpr_affine_dequantize when k->quant.on) and a conv (custom pads for
 * `same`) or a linear; with quant.on, quantize/dequantize to int8 between
 * layers at scale q_scale; casts as mil_conv_program. NULL as there. */
char *mil_chain_program(const ab_kernel *k, ab_mil_target t, ab_weights_layout w);

#endif
