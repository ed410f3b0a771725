/* test_fp16.c: kernels/fp16.c against numpy's float16 (the table in
 * fp16_expected.h, made by tests/tools/gen_fp16_expected.py), every half
 * value against an ldexp formula, and NaN handling by class. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "kernels/fp16.h"
#include "unit/fp16_expected.h"

static float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static uint32_t to_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static void test_float_to_half_matches_numpy(void **state)
{
    (void)state;
    size_t n = sizeof fp16_expected / sizeof fp16_expected[0];
    assert_true(n > 2000);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t got = fp16_from_float(from_bits(fp16_expected[i].f32));
        if (got != fp16_expected[i].f16) {
            if (bad++ < 10)
                print_error("f32 0x%08x: got 0x%04x want 0x%04x\n", fp16_expected[i].f32, got,
                            fp16_expected[i].f16);
        }
    }
    assert_int_equal(bad, 0);
}

static void test_named_edges(void **state)
{
    (void)state;
    assert_int_equal(fp16_from_float(65504.0f), 0x7bff);
    assert_int_equal(fp16_from_float(65519.99f), 0x7bff);  /* below the midpoint */
    assert_int_equal(fp16_from_float(65520.0f), 0x7c00);   /* midpoint rounds to even: inf */
    assert_int_equal(fp16_from_float(1e9f), 0x7c00);
    assert_int_equal(fp16_from_float(-1e9f), 0xfc00);
    assert_int_equal(fp16_from_float(INFINITY), 0x7c00);
    assert_int_equal(fp16_from_float(-INFINITY), 0xfc00);
    assert_int_equal(fp16_from_float(ldexpf(1.0f, -24)), 0x0001); /* smallest subnormal */
    assert_int_equal(fp16_from_float(ldexpf(1.0f, -25)), 0x0000); /* tie to even: zero */
    assert_int_equal(fp16_from_float(ldexpf(3.0f, -26)), 0x0001); /* above the tie */
    assert_int_equal(fp16_from_float(ldexpf(3.0f, -25)), 0x0002); /* 1.5 ulp: tie to even */
    assert_int_equal(fp16_from_float(ldexpf(1.0f, -14)), 0x0400); /* smallest normal */
    assert_int_equal(fp16_from_float(-0.0f), 0x8000);
    assert_int_equal(fp16_from_float(1.0f + ldexpf(1.0f, -11)), 0x3c00); /* tie, even stays */
    assert_int_equal(fp16_from_float(1.0f + ldexpf(3.0f, -11)), 0x3c02); /* tie, odd rounds up */
    assert_int_equal(fp16_from_float(from_bits(0x00000001u)), 0x0000);   /* float subnormal */
}

/* The value of half h by formula, independent of fp16.c. */
static double half_value(uint16_t h)
{
    int s = h >> 15, e = (h >> 10) & 0x1f, m = h & 0x3ff;
    double v = e == 0 ? ldexp(m, -24) : ldexp(1024 + m, e - 25);
    return s ? -v : v;
}

static void test_every_half(void **state)
{
    (void)state;
    for (uint32_t h = 0; h <= 0xffffu; h++) {
        float f = fp16_to_float((uint16_t)h);
        int e = (h >> 10) & 0x1f, m = h & 0x3ff;
        if (e == 0x1f && m) {
            assert_true(isnan(f));
            assert_int_equal(signbit(f) != 0, (h >> 15) != 0);
            continue;
        }
        if (e == 0x1f) {
            assert_true(isinf(f));
        } else {
            assert_true((double)f == half_value((uint16_t)h));
        }
        assert_int_equal(signbit(f) != 0, (h >> 15) != 0);
        assert_int_equal(fp16_from_float(f), h); /* exact round trip */
        assert_true(to_bits(fp16_round(f)) == to_bits(f));
    }
}

static void test_nan_stays_quiet_nan(void **state)
{
    (void)state;
    const uint32_t nans[] = {0x7fc00000u, 0x7f800001u, 0xffc00001u, 0x7fa00000u, 0x7fffffffu};
    for (size_t i = 0; i < sizeof nans / sizeof nans[0]; i++) {
        uint16_t h = fp16_from_float(from_bits(nans[i]));
        assert_int_equal(h & 0x7c00, 0x7c00);
        assert_true(h & 0x0200);                    /* quiet bit set */
        assert_int_equal(h >> 15, nans[i] >> 31); /* sign kept */
        assert_true(isnan(fp16_to_float(h)));
    }
    assert_int_equal(fp16_from_float(from_bits(0x7fa00000u)), 0x7f00); /* payload kept */
}

static void test_arrays(void **state)
{
    (void)state;
    float src[5] = {0.1f, -2.5f, 70000.0f, 1e-6f, 0.0f};
    uint16_t h[5];
    float back[5];
    fp16_from_floats(src, h, 5);
    fp16_to_floats(h, back, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(h[i], fp16_from_float(src[i]));
        assert_true(to_bits(back[i]) == to_bits(fp16_round(src[i])));
    }
    assert_true(isinf(back[2]));
    assert_float_equal(back[1], -2.5f, 0.0f);
    /* 1e-6 is subnormal in half: within half an ulp (2^-25) of the input. */
    assert_true(fabsf(back[3] - 1e-6f) <= ldexpf(1.0f, -25));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_float_to_half_matches_numpy),
        cmocka_unit_test(test_named_edges),
        cmocka_unit_test(test_every_half),
        cmocka_unit_test(test_nan_stays_quiet_nan),
        cmocka_unit_test(test_arrays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
