/* weightblob.c: the ANE weight files for a chain of layers (layout in
 * weightblob.h and ANE-NOTES.md): a 64-byte file header, then chunks, each
 * a 64-byte chunk header followed by one layer's weights (fp16, or int8
 * for w8a8), row-major [cout][cin][kh][kw]. The single layout puts every
 * layer in one weight.bin; the per-file layout gives each layer a file of
 * its own with one chunk (kernel.h ab_weights_layout). Size and data-offset
 * fields always hold their true values.
 *
 * The parser is fed untrusted bytes: it checks every field it relies on and
 * every byte it does not (reserved bytes must be zero) before reading. */
#include "kernels/weightblob.h"
#include "kernels/fp16.h"
#include "harness/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_HEADER 64
#define CHUNK_HEADER 64
#define MAGIC0 0xEF
#define MAGIC1 0xBE
#define MAGIC2 0xAD
#define MAGIC3 0xDE

static void put_u32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint64_t get_u64le(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* Payload bytes of one layer (n weights of elem bytes) and the whole file
 * length; 0 if they do not fit (the size and offset fields are 32-bit;
 * lengths must fit size_t). */
static int blob_sizes_n(size_t depth, size_t n, size_t elem, size_t *payload, size_t *total)
{
    if (depth == 0 || n == 0 || n > UINT32_MAX / elem)
        return 0;
    *payload = n * elem;
    size_t chunk = CHUNK_HEADER + *payload;
    if (chunk < *payload || depth > (SIZE_MAX - FILE_HEADER) / chunk)
        return 0;
    *total = FILE_HEADER + depth * chunk;
    /* the last chunk's data offset must fit its uint32 field */
    return *total - *payload <= UINT32_MAX;
}

static int blob_sizes(size_t depth, size_t cout, size_t cin, size_t *payload, size_t *total)
{
    if (cout == 0 || cin == 0 || cout > UINT32_MAX / 2 / cin)
        return 0;
    return blob_sizes_n(depth, cout * cin, 2, payload, total);
}

size_t weightblob_chunk_offset(size_t i, size_t cout, size_t cin)
{
    return FILE_HEADER + i * (CHUNK_HEADER + cout * cin * 2);
}

static size_t layer_weights(const ab_kernel *k)
{
    return k->cout * k->cin * k->kh * k->kw;
}

size_t weightblob_layer_offset(const ab_kernel *k, size_t i)
{
    return FILE_HEADER + i * (CHUNK_HEADER + layer_weights(k) * (k->quant.on ? 1 : 2));
}

/* The file of layers first .. first+count-1 as chunks 0 .. count-1. */
static uint8_t *build_layers(const ab_kernel *k, size_t first, size_t count, size_t *len)
{
    size_t payload, total, n = layer_weights(k), elem = k->quant.on ? 1 : 2;
    if (k->cout == 0 || k->cin == 0 || n / k->cout / k->cin != k->kh * k->kw ||
        !blob_sizes_n(count, n, elem, &payload, &total))
        return NULL;
    uint8_t *b = ab_host_alloc(total); /* huge pages: platform.h */
    if (!b)
        return NULL;
    memset(b, 0, total);
    b[0] = 0x01;
    b[4] = 0x02;
    for (size_t j = 0; j < count; j++) {
        size_t l = first + j;
        uint8_t *c = b + weightblob_layer_offset(k, j);
        c[0] = MAGIC0;
        c[1] = MAGIC1;
        c[2] = MAGIC2;
        c[3] = MAGIC3;
        c[4] = 0x01;
        put_u32le(c + 8, (uint32_t)payload);
        put_u32le(c + 16, (uint32_t)(c + CHUNK_HEADER - b));
        uint8_t *d = c + CHUNK_HEADER;
        if (k->quant.on) {
            memcpy(d, k->quant.qweights + l * n, n);
            continue;
        }
        fp16_from_floats_le(k->weights + l * n, d, n);
    }
    *len = total;
    return b;
}

uint8_t *weightblob_build(const ab_kernel *k, size_t *len)
{
    return build_layers(k, 0, k->depth, len);
}

uint8_t *weightblob_build_layer(const ab_kernel *k, size_t l, size_t *len)
{
    return l < k->depth ? build_layers(k, l, 1, len) : NULL;
}

int weightblob_ref(const ab_kernel *k, ab_weights_layout w, size_t l, char *path, size_t n, size_t *offset)
{
    int r;
    if (w == AB_WEIGHTS_PER_FILE) {
        r = snprintf(path, n, "@model_path/weights/w%zu.bin", l);
        *offset = FILE_HEADER;
    } else {
        r = snprintf(path, n, "@model_path/weights/weight.bin");
        *offset = weightblob_layer_offset(k, l);
    }
    return r > 0 && (size_t)r < n ? 0 : -1;
}

size_t weightblob_first_weight(const ab_kernel *k, ab_weights_layout w, size_t l, size_t *file)
{
    *file = w == AB_WEIGHTS_PER_FILE ? l : 0;
    return (w == AB_WEIGHTS_PER_FILE ? FILE_HEADER : weightblob_layer_offset(k, l)) + CHUNK_HEADER;
}

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

int weightblob_parse(const uint8_t *blob, size_t len, size_t depth, size_t cout, size_t cin, float *w)
{
    size_t payload, total;
    if (!blob || !blob_sizes(depth, cout, cin, &payload, &total) || len != total)
        return -1;
    if (blob[0] != 0x01 || blob[4] != 0x02 || !all_zero(blob + 1, 3) ||
        !all_zero(blob + 5, FILE_HEADER - 5))
        return -1;
    /* Check every header before writing any weight. */
    for (size_t l = 0; l < depth; l++) {
        size_t at = weightblob_chunk_offset(l, cout, cin);
        const uint8_t *c = blob + at;
        if (c[0] != MAGIC0 || c[1] != MAGIC1 || c[2] != MAGIC2 || c[3] != MAGIC3 || c[4] != 0x01 ||
            !all_zero(c + 5, 3) || !all_zero(c + 24, CHUNK_HEADER - 24))
            return -1;
        uint64_t size = get_u64le(c + 8), off = get_u64le(c + 16);
        if (size != payload || off != at + CHUNK_HEADER || off > len || size > len - off)
            return -1;
    }
    size_t n = cout * cin;
    for (size_t l = 0; l < depth; l++) {
        const uint8_t *d = blob + weightblob_chunk_offset(l, cout, cin) + CHUNK_HEADER;
        fp16_to_floats_le(d, w + l * n, n);
    }
    return 0;
}
