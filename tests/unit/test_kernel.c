/* test_kernel.c: the kernel seam (kernels/kernel.h): the family table and
 * the kernel axis, keys by family (conv1x1's unchanged, data left out when
 * random), the conv1x1 data pinned to what the code before kernel families
 * made, data patterns, and reference/verification through the seam. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness/case.h"
#include "kernels/fp16.h"
#include "kernels/kernel.h"

static ab_case conv1x1(long cin, long spatial, long depth)
{
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = cin;
    c.v[AX_SPATIAL] = spatial;
    c.v[AX_DEPTH] = depth;
    return c;
}

static void test_table(void **state)
{
    (void)state;
    assert_string_equal(ab_kernel_names[0], "conv1x1");
    for (int i = 0; i < AB_KERNEL_COUNT; i++) {
        const ab_kernel_ops *f = kernel_find(ab_kernel_names[i]);
        assert_non_null(f);
        assert_string_equal(f->name, ab_kernel_names[i]);
        assert_non_null(f->shape);
        assert_non_null(f->mil);
        assert_true(f->axes & (1u << AX_DATA)); /* every family has the data axis */
    }
    assert_null(ab_kernel_names[AB_KERNEL_COUNT]);
    assert_null(kernel_find("conv9x9"));
    assert_int_equal(axis_find("kernel"), AX_KERNEL);
}

/* Seed and first/last values of conv1x1 cin=64 spatial=32 at run seed 1, as
 * conv_make made them on main at c45a9f4 (before kernel families): data
 * behind an old key must not change. */
static void test_conv1x1_data_unchanged(void **state)
{
    (void)state;
    ab_case c = conv1x1(64, 32, 1);
    ab_kernel k;
    ab_err e;
    assert_int_equal(kernel_make(&k, &c, 1, &e), AB_OK);
    assert_true(k.seed == 3568548600877988454ULL);
    assert_float_equal(k.weights[0], -0.149645939, 1e-8);
    assert_float_equal(k.weights[1], -0.212166011, 1e-8);
    assert_float_equal(k.weights[2], 0.215330571, 1e-8);
    assert_float_equal(k.weights[64 * 64 - 1], 0.121477507, 1e-8);
    assert_float_equal(k.input[0], 0.559009373, 1e-8);
    assert_float_equal(k.input[1], -0.851522446, 1e-8);
    assert_float_equal(k.input[64 * 32 - 1], -0.780506611, 1e-8);
    assert_int_equal(k.in_rows, 64);
    assert_int_equal(k.in_cols, 32);
    kernel_free(&k);
}

static void test_keys(void **state)
{
    (void)state;
    char key[AB_KEY_MAX];
    ab_case c = conv1x1(256, 64, 1);
    case_key(&c, key, sizeof key);
    assert_string_equal(key, "conv1x1 cin=256 cout=256 spatial=64 depth=1 io=fp32 qos=21 procedure=0 mode=normal");
    c.v[AX_DATA] = AB_DATA_SPARSE50; /* shown only off random, after io */
    case_key(&c, key, sizeof key);
    assert_string_equal(key, "conv1x1 cin=256 cout=256 spatial=64 depth=1 io=fp32 data=sparse50 qos=21 "
                             "procedure=0 mode=normal");
    ab_case back;
    ab_err e;
    assert_int_equal(case_from_key(key, &back, &e), 0);
    assert_memory_equal(back.v, c.v, sizeof c.v);
    /* a key naming an axis its family does not have is refused, naming it */
    assert_int_equal(case_from_key("conv1x1 cin=8 kh=3", &back, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "'kh'"));
    assert_int_equal(case_from_key("conv7 cin=8", &back, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "conv1x1"));
    /* an unused axis off its default makes the case invalid (never a silent duplicate key) */
    c = conv1x1(64, 64, 1);
    c.v[AX_KH] = 5;
    assert_non_null(case_invalid_reason(&c));
}

static void test_patterns(void **state)
{
    (void)state;
    ab_case c = conv1x1(64, 64, 1);
    ab_kernel r, k;
    ab_err e;
    assert_int_equal(kernel_make(&r, &c, 7, &e), AB_OK);
    c.v[AX_DATA] = AB_DATA_ZEROS;
    assert_int_equal(kernel_make(&k, &c, 7, &e), AB_OK);
    for (size_t i = 0; i < 64 * 64; i++)
        assert_true(k.weights[i] == 0.0f && k.input[i] == 0.0f);
    kernel_free(&k);
    for (long p = AB_DATA_SPARSE50; p <= AB_DATA_SPARSE90; p++) {
        c.v[AX_DATA] = p;
        assert_int_equal(kernel_make(&k, &c, 7, &e), AB_OK);
        size_t zw = 0, zx = 0;
        double ssw = 0, ssr = 0;
        for (size_t i = 0; i < 64 * 64; i++) {
            zw += k.weights[i] == 0.0f;
            zx += k.input[i] == 0.0f;
            ssw += (double)k.weights[i] * k.weights[i];
            ssr += (double)r.weights[i] * r.weights[i];
        }
        double want = p == AB_DATA_SPARSE50 ? 0.5 : 0.9;
        assert_true(fabs((double)zw / 4096 - want) < 0.03);
        assert_true(fabs((double)zx / 4096 - want) < 0.03);
        assert_true(fabs(ssw / ssr - 1.0) < 0.15); /* kept weights rescaled: same magnitude */
        kernel_free(&k);
    }
    kernel_free(&r);
}

/* The reference passes its own check at both tolerances; an output moved
 * by 10x the tolerance fails; zeros data checks exactly. */
static void test_verify(void **state)
{
    (void)state;
    const long shapes[][3] = {{32, 32, 1}, {64, 64, 4}, {512, 256, 1}, {256, 64, 8}};
    for (size_t s = 0; s < 4; s++) {
        ab_case c = conv1x1(shapes[s][0], shapes[s][1], shapes[s][2]);
        ab_kernel k;
        ab_err e;
        assert_int_equal(kernel_make(&k, &c, 3, &e), AB_OK);
        size_t n = k.out_rows * k.out_cols;
        float *out = malloc(n * sizeof *out);
        kernel_ref_all(&k, out);
        ab_verify v;
        kernel_verify(&k, out, 0, &v);
        assert_true(v.pass);
        assert_true(v.checked > 0);
        kernel_verify(&k, out, 1, &v);
        assert_true(v.pass);
        for (size_t i = 0; i < n; i++) /* every element: a sampled check must see it */
            out[i] += (float)(10 * v.tolerance);
        kernel_verify(&k, out, 1, &v);
        assert_false(v.pass);
        free(out);
        kernel_free(&k);
    }
}

/* A deep same-padded k x k chain on a small image loses signal at the
 * borders every layer (full's conv2d 256ch 3x3 16x16 depth 112 ends near a
 * third of its input's rms): the fp16 tolerance follows the output's
 * magnitude, so an all-zero output still fails while the reference, and
 * the reference rounded through fp16, pass. */
static void test_verify_decaying_chain(void **state)
{
    (void)state;
    const long shapes[][3] = {{32, 8, 48}, {16, 6, 64}, {64, 16, 24}}; /* cin, h = w, depth */
    for (size_t s = 0; s < 3; s++) {
        ab_case c;
        case_default(&c);
        c.v[AX_KERNEL] = AB_KERNEL_conv2d;
        c.v[AX_CIN] = c.v[AX_COUT] = shapes[s][0];
        c.v[AX_H] = c.v[AX_W] = shapes[s][1];
        c.v[AX_KH] = c.v[AX_KW] = 3;
        c.v[AX_DEPTH] = shapes[s][2];
        ab_kernel k;
        ab_err e;
        assert_int_equal(kernel_make(&k, &c, 3, &e), AB_OK);
        size_t n = k.out_rows * k.out_cols;
        float *out = calloc(n, sizeof *out);
        ab_verify v;
        kernel_verify(&k, out, 1, &v); /* zeros */
        assert_false(v.pass);
        kernel_ref_all(&k, out);
        kernel_verify(&k, out, 1, &v);
        assert_true(v.pass);
        for (size_t i = 0; i < n; i++) /* fp16 output rounding */
            out[i] = fp16_round(out[i]);
        kernel_verify(&k, out, 1, &v);
        assert_true(v.pass);
        free(out);
        kernel_free(&k);
    }
}

/* One layer of a k x k conv written out the obvious way (channel-first,
 * zero padding p), to check the shared reference's cones independently. */
static void naive_layer(const float *w, const double *x, double *y, size_t c, size_t h, size_t wd, size_t k,
                        size_t p, size_t oh, size_t ow)
{
    for (size_t o = 0; o < c; o++)
        for (size_t oy = 0; oy < oh; oy++)
            for (size_t ox = 0; ox < ow; ox++) {
                double acc = 0;
                for (size_t i = 0; i < c; i++)
                    for (size_t dy = 0; dy < k; dy++)
                        for (size_t dx = 0; dx < k; dx++) {
                            long yy = (long)(oy + dy) - (long)p, xx = (long)(ox + dx) - (long)p;
                            if (yy >= 0 && xx >= 0 && (size_t)yy < h && (size_t)xx < wd)
                                acc += (double)w[((o * c + i) * k + dy) * k + dx] * x[(i * h + (size_t)yy) * wd + (size_t)xx];
                        }
                y[(o * oh + oy) * ow + ox] = acc;
            }
}

/* conv2d (same and valid, chained), matmul (token-major) and w8a8 through
 * the seam: the reference agrees with the obvious loops, the shapes and
 * layouts are what the families say, and the engines' checks pass. */
static void test_families(void **state)
{
    (void)state;
    ab_err e;
    ab_case c;
    char key[AB_KEY_MAX];
    for (long pad = AB_PAD_SAME; pad <= AB_PAD_VALID; pad++) {
        snprintf(key, sizeof key, "conv2d cin=4 cout=4 kh=3 kw=3 h=5 w=6 pad=%s depth=2 io=fp32",
                 pad == AB_PAD_SAME ? "same" : "valid");
        assert_int_equal(case_from_key(key, &c, &e), 0);
        ab_kernel k;
        assert_int_equal(kernel_make(&k, &c, 5, &e), AB_OK);
        size_t oh = pad == AB_PAD_SAME ? 5 : 1, ow = pad == AB_PAD_SAME ? 6 : 2;
        assert_int_equal(k.oh, oh);
        assert_int_equal(k.ow, ow);
        assert_int_equal(k.in_rows, 4 * 5);
        assert_int_equal(k.out_rows, 4 * oh);
        double x[4 * 30], y1[4 * 30], y2[4 * 30];
        for (size_t i = 0; i < 4 * 30; i++)
            x[i] = k.input[i];
        size_t p = pad == AB_PAD_SAME ? 1 : 0, h1 = pad == AB_PAD_SAME ? 5 : 3, w1 = pad == AB_PAD_SAME ? 6 : 4;
        naive_layer(k.weights, x, y1, 4, 5, 6, 3, p, h1, w1);
        naive_layer(k.weights + 4 * 4 * 9, y1, y2, 4, h1, w1, 3, p, oh, ow);
        float out[4 * 30];
        kernel_ref_all(&k, out);
        for (size_t i = 0; i < 4 * oh * ow; i++)
            assert_float_equal(out[i], y2[i], 1e-5);
        assert_float_equal(kernel_ref_at(&k, 3, oh * ow - 1), y2[3 * oh * ow + oh * ow - 1], 1e-9);
        kernel_free(&k);
    }
    /* matmul: token-major input [S][cin] and output [S][cout], the 1x1 arithmetic */
    assert_int_equal(case_from_key("matmul cin=8 cout=8 spatial=32 depth=1 io=fp32", &c, &e), 0);
    ab_kernel m;
    assert_int_equal(kernel_make(&m, &c, 5, &e), AB_OK);
    assert_int_equal(m.in_rows, 32);
    assert_int_equal(m.in_cols, 8);
    float out[8 * 32];
    kernel_ref_all(&m, out);
    double want = 0;
    for (size_t i = 0; i < 8; i++)
        want += (double)m.weights[3 * 8 + i] * m.input[5 * 8 + i];
    assert_float_equal(out[5 * 8 + 3], want, 1e-6); /* row 5, output channel 3 */
    kernel_free(&m);
    /* w8a8: int8 weights whose dequantized values the reference uses; the cpu refuses it */
    assert_int_equal(case_from_key("w8a8 cin=16 cout=16 kh=1 kw=1 h=4 w=8 depth=3 io=fp16", &c, &e), 0);
    assert_non_null(kernel_family(&c)->float_refusal);
    assert_int_equal(kernel_make(&m, &c, 5, &e), AB_OK);
    assert_true(m.quant.on && m.quant.qweights);
    for (size_t i = 0; i < 16 * 16 * 3; i++)
        assert_float_equal(m.weights[i], m.quant.qweights[i] * m.quant.wscale, 1e-3 * m.quant.wscale * 128);
    float *o8 = malloc(m.out_rows * m.out_cols * sizeof *o8);
    kernel_ref_all(&m, o8);
    ab_verify v;
    kernel_verify(&m, o8, 1, &v);
    assert_true(v.pass);
    assert_true(v.tolerance > kernel_tolerance(&m, 1) * 0.5);
    free(o8);
    kernel_free(&m);
    /* FLOPs: 2 per multiply-add of every layer */
    assert_int_equal(case_from_key("conv2d cin=8 cout=8 kh=3 kw=3 h=10 w=10 pad=valid depth=2 io=fp32", &c, &e), 0);
    assert_true(case_flops(&c) == 2.0 * 8 * 8 * 9 * (8 * 8 + 6 * 6));
    assert_int_equal(case_from_key("conv2d cin=8 kh=2 kw=3 pad=same", &c, &e), 0);
    assert_non_null(strstr(case_invalid_reason(&c), "odd"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_conv1x1_data_unchanged),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_verify),
        cmocka_unit_test(test_verify_decaying_chain),
        cmocka_unit_test(test_families),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
