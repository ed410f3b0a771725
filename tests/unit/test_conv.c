/* test_conv.c: the conv family's data, reference and verification.
 *
 * The reference is compared with an independent computation (cblas_sgemm,
 * layer by layer); seeding must be deterministic and unique per case key;
 * the tolerance must accept an fp16-emulated output (inputs, weights and
 * every layer's output rounded to fp16, with fp32 or fp16 accumulation) and
 * reject one element off by 10x the tolerance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/blas.h"
#include "harness/case.h"
#include "kernels/conv.h"
#include "kernels/fp16.h"

static ab_case shape(long cin, long cout, long spatial, long depth, int io)
{
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = cin;
    c.v[AX_COUT] = cout;
    c.v[AX_SPATIAL] = spatial;
    c.v[AX_DEPTH] = depth;
    c.v[AX_IO] = io;
    return c;
}

static void make(ab_conv *k, long cin, long cout, long spatial, long depth, int io, uint64_t seed)
{
    ab_case c = shape(cin, cout, spatial, depth, io);
    ab_err e;
    ab_err_clear(&e);
    assert_int_equal(conv_make(k, &c, seed, &e), AB_OK);
}

/* y = W_d ... W_1 x with one sgemm per layer in fp32. */
static float *sgemm_chain(const ab_conv *k)
{
    size_t n = k->cin > k->cout ? k->cin : k->cout, S = k->spatial;
    float *a = malloc(n * S * sizeof(float)), *b = malloc(n * S * sizeof(float));
    assert_non_null(a);
    assert_non_null(b);
    memcpy(a, k->input, k->cin * S * sizeof(float));
    for (size_t l = 0; l < k->depth; l++) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)k->cout, (int)S, (int)k->cin, 1.0f,
                    k->weights + l * k->cout * k->cin, (int)k->cin, a, (int)S, 0.0f, b, (int)S);
        float *t = a;
        a = b;
        b = t;
    }
    free(b);
    return a;
}

/* fp16 emulation: x and W rounded to fp16, dot products accumulated in fp32
 * (acc16 = 0) or rounded to fp16 after every add (acc16 = 1), each layer's
 * output rounded to fp16. */
static float *fp16_chain(const ab_conv *k, int acc16)
{
    size_t n = k->cin > k->cout ? k->cin : k->cout, S = k->spatial;
    float *a = malloc(n * S * sizeof(float)), *b = malloc(n * S * sizeof(float));
    float *w = malloc(k->cout * k->cin * sizeof(float));
    assert_true(a && b && w);
    for (size_t i = 0; i < k->cin * S; i++)
        a[i] = fp16_round(k->input[i]);
    for (size_t l = 0; l < k->depth; l++) {
        for (size_t i = 0; i < k->cout * k->cin; i++)
            w[i] = fp16_round(k->weights[l * k->cout * k->cin + i]);
        for (size_t o = 0; o < k->cout; o++)
            for (size_t s = 0; s < S; s++) {
                float acc = 0;
                for (size_t i = 0; i < k->cin; i++) {
                    acc += w[o * k->cin + i] * a[i * S + s];
                    if (acc16)
                        acc = fp16_round(acc);
                }
                b[o * S + s] = fp16_round(acc);
            }
        float *t = a;
        a = b;
        b = t;
    }
    free(b);
    free(w);
    return a;
}

static void test_reference_matches_sgemm(void **state)
{
    (void)state;
    const long shapes[][4] = {{16, 8, 32, 1}, {32, 32, 40, 3}, {3, 5, 7, 1}, {64, 64, 16, 8}};
    for (size_t t = 0; t < 4; t++) {
        ab_conv k;
        make(&k, shapes[t][0], shapes[t][1], shapes[t][2], shapes[t][3], AB_IO_FP32, 7);
        float *ref = malloc(k.cout * k.spatial * sizeof(float));
        conv_ref_all(&k, ref);
        float *blas = sgemm_chain(&k);
        double tol = conv_tolerance(&k, 0), worst = 0;
        for (size_t i = 0; i < k.cout * k.spatial; i++) {
            double d = fabs((double)ref[i] - blas[i]);
            worst = d > worst ? d : worst;
        }
        assert_true(worst <= tol);
        assert_true(worst > 0 || k.cin <= 3); /* really two computations */
        /* conv_ref_at agrees with conv_ref_all, corners and a middle. */
        size_t O = k.cout - 1, S = k.spatial - 1;
        assert_float_equal(conv_ref_at(&k, 0, 0), ref[0], 1e-6);
        assert_float_equal(conv_ref_at(&k, O, S), ref[O * k.spatial + S], 1e-6);
        assert_float_equal(conv_ref_at(&k, O / 2, S / 3), ref[(O / 2) * k.spatial + S / 3], 1e-6);
        assert_true(isnan(conv_ref_at(&k, k.cout, 0)));
        ab_verify v;
        conv_verify(&k, blas, 0, &v);
        assert_true(v.pass);
        assert_int_equal(v.checked, k.cout * k.spatial);
        free(ref);
        free(blas);
        conv_free(&k);
    }
}

static void test_hand_computed(void **state)
{
    (void)state;
    ab_conv k;
    make(&k, 2, 2, 1, 2, AB_IO_FP32, 1);
    /* Overwrite with exact values: W1 = [[1,2],[3,4]], W2 = [[0,1],[1,0]], x = [1,-1]. */
    const float w[8] = {1, 2, 3, 4, 0, 1, 1, 0};
    memcpy(k.weights, w, sizeof w);
    k.input[0] = 1;
    k.input[1] = -1;
    /* W1 x = [-1, -1]; W2 (W1 x) = [-1, -1]. */
    assert_true(conv_ref_at(&k, 0, 0) == -1.0);
    k.weights[4] = 2; /* W2 = [[2,1],[1,0]] -> [-3, -1] */
    float out[2];
    conv_ref_all(&k, out);
    assert_true(out[0] == -3.0f && out[1] == -1.0f);
    conv_free(&k);
}

static void test_seeding(void **state)
{
    (void)state;
    ab_conv a, b, c, d;
    make(&a, 8, 8, 32, 2, AB_IO_FP32, 42);
    make(&b, 8, 8, 32, 2, AB_IO_FP32, 42);
    make(&c, 8, 8, 32, 2, AB_IO_FP32, 43);
    ab_case qos = shape(8, 8, 32, 2, AB_IO_FP32);
    qos.v[AX_QOS] = 9;
    assert_int_equal(conv_make(&d, &qos, 42, NULL), AB_OK);
    size_t nw = 2 * 8 * 8;
    assert_memory_equal(a.weights, b.weights, nw * sizeof(float));
    assert_memory_equal(a.input, b.input, 8 * 32 * sizeof(float));
    assert_true(a.seed == b.seed);
    assert_true(a.seed != c.seed && a.seed != d.seed);
    assert_memory_not_equal(a.weights, c.weights, nw * sizeof(float));
    assert_memory_not_equal(a.weights, d.weights, nw * sizeof(float)); /* unique per key */
    /* Layers differ from each other, values lie in range, nothing is zero-filled. */
    assert_memory_not_equal(a.weights, a.weights + 64, 64 * sizeof(float));
    double lim = sqrt(3.0 / 8.0), sum2 = 0;
    for (size_t i = 0; i < nw; i++) {
        assert_true(a.weights[i] >= -lim && a.weights[i] < lim);
        sum2 += (double)a.weights[i] * a.weights[i];
    }
    /* variance 1/cin: the mean square of 128 draws is near 1/8 */
    assert_true(fabs(sum2 / (double)nw - 0.125) < 0.04);
    for (size_t i = 0; i < 8 * 32; i++)
        assert_true(a.input[i] >= -1.0f && a.input[i] < 1.0f);
    assert_true(conv_seed_for(&qos, 42) == d.seed);
    conv_free(&a);
    conv_free(&b);
    conv_free(&c);
    conv_free(&d);
}

static void test_fp16_io_inputs_are_halves(void **state)
{
    (void)state;
    ab_conv k;
    make(&k, 16, 16, 32, 1, AB_IO_FP16, 5);
    assert_true(k.fp16_io);
    size_t inexact = 0;
    for (size_t i = 0; i < 16 * 32; i++)
        assert_true(fp16_round(k.input[i]) == k.input[i]);
    for (size_t i = 0; i < 16 * 16; i++)
        inexact += fp16_round(k.weights[i]) != k.weights[i];
    assert_true(inexact > 0); /* weights stay fp32 (rounded only by the engine) */
    conv_free(&k);
}

static void test_bad_shapes(void **state)
{
    (void)state;
    ab_conv k;
    ab_err e;
    ab_case c = shape(16, 8, 32, 2, AB_IO_FP32);
    assert_int_equal(conv_make(&k, &c, 1, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "cin == cout"));
    assert_null(k.weights);
    c = shape(16, 16, 0, 1, AB_IO_FP32);
    assert_int_equal(conv_make(&k, &c, 1, &e), AB_EUSAGE);
    c = shape(16, AB_AXIS_SAME, 8, 1, AB_IO_FP32);
    assert_int_equal(conv_make(&k, &c, 1, &e), AB_OK);
    assert_int_equal(k.cout, 16);
    conv_free(&k);
}

/* fp16 emulations pass; a 10x-tolerance perturbation of one element fails;
 * and the bound is not vacuous (the emulated error is a visible share of it). */
static void check_fp16_tolerance(long cin, long spatial, long depth, int io)
{
    ab_conv k;
    make(&k, cin, cin, spatial, depth, io, 99);
    for (int acc16 = 0; acc16 <= 1; acc16++) {
        float *out = fp16_chain(&k, acc16);
        ab_verify v;
        conv_verify(&k, out, 1, &v);
        print_message("fp16 cin=%ld S=%ld depth=%ld acc%s: max err %.3g tol %.3g (%.0f%%)\n", cin, spatial,
                      depth, acc16 ? "16" : "32", v.max_abs_err, v.tolerance,
                      100.0 * v.max_abs_err / v.tolerance);
        assert_true(v.pass);
        assert_true(v.max_abs_err > v.tolerance / 60.0);
        /* and the fp32 tolerance is far too tight for it */
        ab_verify v32;
        conv_verify(&k, out, 0, &v32);
        assert_false(v32.pass);
        size_t i = (k.cout * k.spatial) / 3;
        out[i] += (float)(10.0 * v.tolerance);
        conv_verify(&k, out, 1, &v);
        assert_false(v.pass);
        assert_true(v.max_abs_err >= 9.0 * v.tolerance);
        out[i] = NAN;
        conv_verify(&k, out, 1, &v);
        assert_false(v.pass);
        free(out);
    }
    conv_free(&k);
}

static void test_fp16_tolerance(void **state)
{
    (void)state;
    check_fp16_tolerance(64, 64, 1, AB_IO_FP32);
    check_fp16_tolerance(256, 32, 1, AB_IO_FP16);
    check_fp16_tolerance(32, 32, 16, AB_IO_FP32);
    check_fp16_tolerance(4, 64, 4, AB_IO_FP32);
}

static void test_fp32_perturbation_fails(void **state)
{
    (void)state;
    ab_conv k;
    make(&k, 128, 64, 64, 1, AB_IO_FP32, 3);
    float *out = sgemm_chain(&k);
    ab_verify v;
    conv_verify(&k, out, 0, &v);
    assert_true(v.pass);
    assert_true(fabs(v.tolerance - conv_tolerance(&k, 0)) < 0.2 * conv_tolerance(&k, 0));
    out[5] += (float)(10.0 * v.tolerance);
    conv_verify(&k, out, 0, &v);
    assert_false(v.pass);
    free(out);
    conv_free(&k);
}

/* Large shapes are sampled by whole random columns (every channel of a
 * position): for depth 1 as many as 2^24 multiply-adds buy (here 128 of 256),
 * for chains 4096 elements' worth; a wrong element is caught when a sampled
 * one is wrong. */
static void test_sampled_verification(void **state)
{
    (void)state;
    ab_conv k;
    make(&k, 512, 256, 256, 1, AB_IO_FP32, 11); /* 2^25 MACs: sampled */
    float *out = sgemm_chain(&k);
    ab_verify v;
    conv_verify(&k, out, 0, &v);
    assert_true(v.pass);
    assert_int_equal(v.checked, 128 * 256);
    /* A whole output row wrong is always caught. */
    for (size_t s = 0; s < k.spatial; s++)
        out[7 * k.spatial + s] += 1.0f;
    conv_verify(&k, out, 0, &v);
    assert_false(v.pass);
    free(out);
    conv_free(&k);

    make(&k, 128, 128, 512, 16, AB_IO_FP32, 12); /* 2^27 MACs over 16 layers */
    out = sgemm_chain(&k);
    conv_verify(&k, out, 0, &v);
    assert_true(v.pass);
    assert_int_equal(v.checked, 32 * 128); /* 32 whole columns */
    /* zeroed output: wrong everywhere */
    memset(out, 0, k.cout * k.spatial * sizeof(float));
    conv_verify(&k, out, 0, &v);
    assert_false(v.pass);
    free(out);
    conv_free(&k);
}

/* The chain keeps its magnitude: the depth-32 output's rms stays within a
 * factor of a few of the input's 1/sqrt(3), far from fp16 underflow. */
static void test_chain_magnitude(void **state)
{
    (void)state;
    ab_conv k;
    make(&k, 128, 128, 32, 32, AB_IO_FP32, 21);
    float *ref = malloc(128 * 32 * sizeof(float));
    conv_ref_all(&k, ref);
    double ss = 0;
    for (size_t i = 0; i < 128 * 32; i++)
        ss += (double)ref[i] * ref[i];
    double rms = sqrt(ss / (128 * 32));
    assert_true(rms > 0.577 / 4 && rms < 0.577 * 4);
    free(ref);
    conv_free(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_matches_sgemm),
        cmocka_unit_test(test_hand_computed),
        cmocka_unit_test(test_seeding),
        cmocka_unit_test(test_fp16_io_inputs_are_halves),
        cmocka_unit_test(test_bad_shapes),
        cmocka_unit_test(test_fp16_tolerance),
        cmocka_unit_test(test_fp32_perturbation_fails),
        cmocka_unit_test(test_sampled_verification),
        cmocka_unit_test(test_chain_magnitude),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
