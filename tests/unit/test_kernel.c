/* test_kernel.c: the kernel seam (kernels/kernel.h): the family table and
 * the kernel axis, keys by family (conv1x1's unchanged, data left out when
 * random), the conv1x1 data pinned to what the code before kernel families
 * made, data patterns, and reference/verification through the seam. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness/case.h"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_conv1x1_data_unchanged),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_verify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
