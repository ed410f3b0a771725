/* test_fp16.c: kernels/fp16.c against numpy's float16 (the table in
 * fp16_expected.h, made by tests/tools/gen_fp16_expected.py), every half
 * value against an ldexp formula, and NaN handling by class. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
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

/* Checks src[0..n) through the bulk forms against the scalar functions. */
static void check_bulk(const float *src, size_t n)
{
    uint16_t h[4099];
    uint8_t le[2 * 4099];
    float a[4099], b[4099];
    fp16_from_floats(src, h, n);
    fp16_from_floats_le(src, le, n);
    memcpy(a, src, n * sizeof *a);
    fp16_round_floats(a, n);
    fp16_to_floats(h, b, n);
    for (size_t i = 0; i < n; i++) {
        uint16_t want = fp16_from_float(src[i]);
        if (h[i] != want || le[2 * i] != (want & 0xff) || le[2 * i + 1] != want >> 8)
            fail_msg("bulk fp16 of 0x%08x: 0x%04x, scalar 0x%04x", (unsigned)to_bits(src[i]), (unsigned)h[i],
                     (unsigned)want);
        if (to_bits(a[i]) != to_bits(fp16_round(src[i])))
            fail_msg("bulk round of 0x%08x differs from the scalar one", (unsigned)to_bits(src[i]));
        if (to_bits(b[i]) != to_bits(fp16_to_float(want)))
            fail_msg("bulk widen of 0x%04x differs from the scalar one", (unsigned)want);
    }
}

/* The bulk forms (in hardware where the CPU has F16C) against the scalar
 * functions, bit for bit: every sign, exponent and top-10 mantissa bits
 * with the 13 bits that decide rounding at their edges (0, 1, just under,
 * at and just over half, all ones, one more), NaNs and infinities among
 * them; the floats whose half is subnormal, or just under the smallest,
 * sampled densely; batches of 4099 (a tail after the blocks of 8). */
static void test_bulk_matches_scalar(void **state)
{
    (void)state;
    static const uint32_t low[] = {0x0000u, 0x0001u, 0x0fffu, 0x1000u, 0x1001u, 0x1fffu, 0x0a5bu};
    enum { N = 4099 };
    static float src[N];
    size_t n = 0, checked = 0;
    for (uint32_t top = 0; top < (1u << 19); top++)
        for (size_t j = 0; j < sizeof low / sizeof low[0]; j++) {
            src[n++] = from_bits(top << 13 | low[j]);
            if (n == N) {
                check_bulk(src, n);
                checked += n;
                n = 0;
            }
        }
    for (uint32_t sub = 0x32000000u; sub < 0x38800000u; sub += 97)
        for (uint32_t sign = 0; sign < 2; sign++) {
            src[n++] = from_bits(sub | sign << 31);
            if (n == N) {
                check_bulk(src, n);
                checked += n;
                n = 0;
            }
        }
    check_bulk(src, n);
    checked += n;
    assert_true(checked > (size_t)7 << 19);
    /* Every half widened in bulk as the scalar function does. */
    static uint16_t all[65536];
    static float wide[65536];
    for (uint32_t i = 0; i < 65536; i++)
        all[i] = (uint16_t)i;
    fp16_to_floats(all, wide, 65536);
    for (uint32_t i = 0; i < 65536; i++)
        if (to_bits(wide[i]) != to_bits(fp16_to_float((uint16_t)i)))
            fail_msg("bulk widen of 0x%04x differs from the scalar one", (unsigned)i);
    print_message("bulk fp16: %zu floats, %s\n", checked,
                  fp16_hw_bulk() ? "in hardware (F16C)" : "scalar (no F16C on this CPU)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_float_to_half_matches_numpy),
        cmocka_unit_test(test_named_edges),
        cmocka_unit_test(test_every_half),
        cmocka_unit_test(test_nan_stays_quiet_nan),
        cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_bulk_matches_scalar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
