/* fuzz_weightblob.c: libFuzzer target for weightblob_parse on hostile bytes.
 * The first byte picks the shape (depth 1-4, cin = cout 1-8, or depth 1
 * with cin != cout), the rest is the file. Besides "no crash, no
 * out-of-bounds read", an accepted file must be exactly the file
 * weightblob_build writes for the weights it parsed to (NaN halves may
 * differ only in their quiet bit). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/kernel.h"
#include "kernels/weightblob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_half(const uint8_t *a, const uint8_t *b)
{
    uint16_t x = (uint16_t)(a[0] | a[1] << 8), y = (uint16_t)(b[0] | b[1] << 8);
    int xnan = (x & 0x7c00) == 0x7c00 && (x & 0x3ff), ynan = (y & 0x7c00) == 0x7c00 && (y & 0x3ff);
    return x == y || (xnan && ynan && (x | 0x200) == (y | 0x200));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t depth = 1 + (data[0] & 3), cin = 1 + ((data[0] >> 2) & 7), cout = cin;
    if (data[0] & 0x80) { /* a rectangular single layer */
        depth = 1;
        cout = 1 + ((data[0] >> 5) & 3);
    }
    size_t len = size - 1;
    uint8_t *blob = malloc(len ? len : 1); /* exact size: ASan sees over-reads */
    float *w = malloc(depth * cout * cin * sizeof(float));
    if (!blob || !w)
        abort();
    memcpy(blob, data + 1, len);
    if (weightblob_parse(blob, len, depth, cout, cin, w) == 0) {
        ab_kernel k;
        memset(&k, 0, sizeof k);
        k.depth = depth;
        k.kh = k.kw = 1;
        k.cin = cin;
        k.cout = cout;
        k.spatial = 1;
        k.weights = w;
        size_t n = 0;
        uint8_t *again = weightblob_build(&k, &n);
        if (!again || n != len)
            abort();
        for (size_t l = 0; l < depth; l++) {
            size_t at = weightblob_chunk_offset(l, cout, cin);
            size_t next = at + 64 + cout * cin * 2;
            if (memcmp(blob + (l ? at : 0), again + (l ? at : 0), (l ? 0 : at) + 64) != 0)
                abort();
            for (size_t i = at + 64; i < next; i += 2)
                if (!same_half(blob + i, again + i))
                    abort();
        }
        free(again);
    }
    free(w);
    free(blob);
    return 0;
}
