/* test_weightblob.c: weight.bin bytes pinned for a tiny chain (cin = cout
 * = 2, depth = 2), chunk offsets, parse round trip, and rejection of
 * corrupt or truncated blobs without reading out of bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/case.h"
#include "kernels/conv.h"
#include "kernels/fp16.h"
#include "kernels/weightblob.h"

/* The whole file for W1 = [1, -2, 0.5, 65504], W2 = [0.1, -1.5, 2^-24, 1e5]
 * written out from the layout in ANE-NOTES.md, by hand. */
static const uint8_t tiny_blob[208] = {
    /* 0: file header */
    0x01, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 64: chunk 0 header: magic, 0x01, size 8, data at 128 */
    0xEF, 0xBE, 0xAD, 0xDE, 0x01, 0, 0, 0, 0x08, 0, 0, 0, 0, 0, 0, 0,
    0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 128: chunk 0 data: 0x3c00 0xc000 0x3800 0x7bff; 136: chunk 1 header */
    0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38, 0xFF, 0x7B, 0xEF, 0xBE, 0xAD, 0xDE, 0x01, 0, 0, 0,
    /* 144: size 8; 152: data at 200 */
    0x08, 0, 0, 0, 0, 0, 0, 0, 0xC8, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 192: end of header; 200: chunk 1 data: 0x2e66 0xbe00 0x0001 0x7c00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0x66, 0x2E, 0x00, 0xBE, 0x01, 0x00, 0x00, 0x7C,
};

static float tiny_weights[8] = {1.0f, -2.0f, 0.5f, 65504.0f, 0.1f, -1.5f, 0x1p-24f, 1e5f};

static ab_conv tiny_conv(void)
{
    ab_conv k;
    memset(&k, 0, sizeof k);
    k.cin = k.cout = 2;
    k.spatial = 32;
    k.depth = 2;
    k.kh = k.kw = 1;
    k.weights = tiny_weights;
    return k;
}

static void test_tiny_blob_bytes(void **state)
{
    (void)state;
    ab_conv k = tiny_conv();
    size_t len = 0;
    uint8_t *b = weightblob_build(&k, &len);
    assert_non_null(b);
    assert_int_equal(len, sizeof tiny_blob);
    for (size_t i = 0; i < len; i++) {
        if (b[i] != tiny_blob[i])
            print_error("byte %zu: got 0x%02x want 0x%02x\n", i, b[i], tiny_blob[i]);
        assert_int_equal(b[i], tiny_blob[i]);
    }
    free(b);
}

static void test_chunk_offsets(void **state)
{
    (void)state;
    assert_int_equal(weightblob_chunk_offset(0, 2, 2), 64);
    assert_int_equal(weightblob_chunk_offset(1, 2, 2), 136);
    /* ANE-NOTES: 64 + i*(64 + cout*cin*2) */
    assert_int_equal(weightblob_chunk_offset(0, 256, 256), 64);
    assert_int_equal(weightblob_chunk_offset(3, 256, 256), 64 + 3 * (64 + 131072));
    assert_int_equal(weightblob_chunk_offset(2, 512, 128), 64 + 2 * (64 + 131072));
}

static void test_round_trip(void **state)
{
    (void)state;
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = 24;
    c.v[AX_SPATIAL] = 32;
    c.v[AX_DEPTH] = 3;
    ab_conv k;
    assert_int_equal(conv_make(&k, &c, 77, NULL), AB_OK);
    size_t len = 0, n = 3 * 24 * 24;
    uint8_t *b = weightblob_build(&k, &len);
    assert_non_null(b);
    assert_int_equal(len, 64 + 3 * (64 + 24 * 24 * 2));
    float *w = malloc(n * sizeof(float));
    assert_int_equal(weightblob_parse(b, len, 3, 24, 24, w), 0);
    for (size_t i = 0; i < n; i++)
        assert_true(w[i] == fp16_round(k.weights[i]));
    /* each chunk's data offset field points at its own layer's weights */
    for (size_t l = 0; l < 3; l++) {
        const uint8_t *ch = b + weightblob_chunk_offset(l, 24, 24);
        size_t off = ch[16] | (size_t)ch[17] << 8 | (size_t)ch[18] << 16 | (size_t)ch[19] << 24;
        assert_int_equal(off, weightblob_chunk_offset(l, 24, 24) + 64);
        uint16_t h = (uint16_t)(b[off] | b[off + 1] << 8);
        assert_int_equal(h, fp16_from_float(k.weights[l * 24 * 24]));
    }
    free(w);
    free(b);
    conv_free(&k);
}

/* Parses a copy of exactly len bytes (so ASan sees any over-read). */
static int parse_copy(const uint8_t *src, size_t len, size_t depth, size_t cout, size_t cin, float *w)
{
    uint8_t *p = malloc(len ? len : 1);
    assert_non_null(p);
    memcpy(p, src, len);
    int rc = weightblob_parse(p, len, depth, cout, cin, w);
    free(p);
    return rc;
}

static void test_corrupt_rejected(void **state)
{
    (void)state;
    float w[8];
    assert_int_equal(parse_copy(tiny_blob, sizeof tiny_blob, 2, 2, 2, w), 0);
    assert_true(w[3] == 65504.0f && isinf(w[7]) && w[6] == 0x1p-24f);
    /* Every header byte (file header and both chunk headers) matters. */
    uint8_t bad[sizeof tiny_blob];
    for (size_t i = 0; i < sizeof tiny_blob; i++) {
        int is_data = (i >= 128 && i < 136) || i >= 200;
        memcpy(bad, tiny_blob, sizeof bad);
        bad[i] ^= 0x10;
        int rc = parse_copy(bad, sizeof bad, 2, 2, 2, w);
        if (is_data)
            assert_int_equal(rc, 0);
        else if (rc != -1)
            fail_msg("header byte %zu corrupted but accepted", i);
    }
    /* Truncated, extended, wrong shape, absurd shape, no data. */
    for (size_t len = 0; len < sizeof tiny_blob; len++)
        assert_int_equal(parse_copy(tiny_blob, len, 2, 2, 2, w), -1);
    uint8_t longer[sizeof tiny_blob + 1] = {0};
    memcpy(longer, tiny_blob, sizeof tiny_blob);
    assert_int_equal(parse_copy(longer, sizeof longer, 2, 2, 2, w), -1);
    assert_int_equal(parse_copy(tiny_blob, sizeof tiny_blob, 1, 2, 2, w), -1);
    assert_int_equal(parse_copy(tiny_blob, sizeof tiny_blob, 3, 2, 2, w), -1);
    assert_int_equal(parse_copy(tiny_blob, sizeof tiny_blob, 2, 3, 2, w), -1);
    /* (The blob records sizes, not shapes: 4x1 reads the same bytes as 2x2.) */
    assert_int_equal(parse_copy(tiny_blob, sizeof tiny_blob, 2, 4, 1, w), 0);
    assert_int_equal(parse_copy(tiny_blob, sizeof tiny_blob, 2, 0, 2, w), -1);
    assert_int_equal(parse_copy(tiny_blob, sizeof tiny_blob, SIZE_MAX, SIZE_MAX, 2, w), -1);
    assert_int_equal(parse_copy(tiny_blob, sizeof tiny_blob, SIZE_MAX / 72 + 1, 2, 2, w), -1);
    assert_int_equal(weightblob_parse(NULL, 208, 2, 2, 2, w), -1);
    /* A size field claiming more than the file holds. */
    memcpy(bad, tiny_blob, sizeof bad);
    bad[72 + 2] = 0x01;
    assert_int_equal(parse_copy(bad, sizeof bad, 2, 2, 2, w), -1);
}

/* Seeded random mutations of the file: never a crash (ASan build), and a
 * mutated header is never accepted. */
static void test_hostile_bytes(void **state)
{
    (void)state;
    ab_rng r;
    rng_seed(&r, 2026);
    uint8_t bad[sizeof tiny_blob];
    float w[8];
    for (int t = 0; t < 3000; t++) {
        memcpy(bad, tiny_blob, sizeof bad);
        int header_hit = 0, flips = 1 + (int)(rng_next(&r) % 4);
        for (int f = 0; f < flips; f++) {
            size_t i = (size_t)(rng_next(&r) % sizeof bad);
            uint8_t v = (uint8_t)rng_next(&r);
            if (v == bad[i])
                continue;
            bad[i] = v;
            header_hit |= !((i >= 128 && i < 136) || i >= 200);
        }
        size_t len = rng_next(&r) % 8 == 0 ? (size_t)(rng_next(&r) % sizeof bad) : sizeof bad;
        int rc = parse_copy(bad, len, 2, 2, 2, w);
        if (header_hit || len != sizeof bad)
            assert_int_equal(rc, -1);
        else
            assert_int_equal(rc, 0);
    }
}

static void test_too_large_refused(void **state)
{
    (void)state;
    ab_conv k;
    memset(&k, 0, sizeof k);
    k.cin = 65536;
    k.cout = 65536; /* 8 GiB of fp16: the 32-bit size field cannot hold it */
    k.depth = 1;
    size_t len = 123;
    assert_null(weightblob_build(&k, &len));
    assert_int_equal(len, 123);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiny_blob_bytes),   cmocka_unit_test(test_chunk_offsets),
        cmocka_unit_test(test_round_trip),        cmocka_unit_test(test_corrupt_rejected),
        cmocka_unit_test(test_hostile_bytes),     cmocka_unit_test(test_too_large_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
