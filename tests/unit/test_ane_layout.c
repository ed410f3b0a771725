/* test_ane_layout.c: the ANE surface layout (rows of ane_row_bytes, a
 * multiple of 128 bytes; channel c at c * row; padding zero; fp16 rounding
 * to nearest even on the way in) and the choice of ane_api implementation
 * from a backend spec. Expected strides are worked out by hand from the
 * rule "round S * element size up to 128". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "backends/ane_api.h"
#include "kernels/fp16.h"

static void test_row_bytes(void **st)
{
    (void)st;
    assert_int_equal(ane_row_bytes(64, 4), 256); /* already a multiple */
    assert_int_equal(ane_row_bytes(32, 4), 128);
    assert_int_equal(ane_row_bytes(32, 2), 128); /* 64 bytes -> 128 */
    assert_int_equal(ane_row_bytes(40, 2), 128); /* 80 -> 128 */
    assert_int_equal(ane_row_bytes(33, 4), 256); /* 132 -> 256 */
    assert_int_equal(ane_row_bytes(1, 2), 128);
    assert_int_equal(ane_row_bytes(2048, 2), 4096);
}

static void test_pack_unpack_fp32(void **st)
{
    (void)st;
    enum { C = 3, S = 5 }; /* 20-byte rows padded to 128 */
    float src[C * S], back[C * S];
    for (int i = 0; i < C * S; i++)
        src[i] = (float)i * 0.5f - 3.0f;
    uint8_t img[C * 128];
    memset(img, 0xAB, sizeof img);
    ane_pack(src, C, S, 4, img);
    for (int c = 0; c < C; c++) {
        float v;
        memcpy(&v, img + c * 128 + 4 * 2, 4); /* element (c, 2) */
        assert_true(v == src[c * S + 2]);
        for (int b = S * 4; b < 128; b++)
            assert_int_equal(img[c * 128 + b], 0);
    }
    ane_unpack(img, C, S, 4, back);
    assert_memory_equal(src, back, sizeof src);
}

static void test_pack_unpack_fp16(void **st)
{
    (void)st;
    enum { C = 2, S = 70 }; /* 140-byte rows padded to 256 */
    float src[C * S], back[C * S];
    for (int i = 0; i < C * S; i++)
        src[i] = 1.0f + (float)i / 3.0f; /* not exact in fp16 */
    uint8_t img[C * 256];
    ane_pack(src, C, S, 2, img);
    uint16_t h;
    memcpy(&h, img + 256 + 2 * 69, 2); /* element (1, 69) */
    assert_int_equal(h, fp16_from_float(src[S + 69]));
    for (int b = S * 2; b < 256; b++)
        assert_int_equal(img[b], 0);
    ane_unpack(img, C, S, 2, back);
    for (int i = 0; i < C * S; i++)
        assert_true(back[i] == fp16_round(src[i]));
}

static void test_select(void **st)
{
    (void)st;
    const ane_api_ops *ops = NULL;
    const char *arg = NULL;
    ab_err e;
    assert_int_equal(ane_api_select("ane-sim", &ops, &arg, &e), AB_OK);
    assert_ptr_equal(ops, &ane_api_sim);
    assert_string_equal(arg, "m5");
    assert_int_equal(ane_api_select("ane-sim:m4", &ops, &arg, &e), AB_OK);
    assert_string_equal(arg, "m4");
    assert_int_equal(ane_api_select("ane-sim:", &ops, &arg, &e), AB_EUSAGE);
    assert_int_equal(ane_api_select("ane-simx", &ops, &arg, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "ane-simx"));
    assert_int_equal(ane_api_select("cpu", &ops, &arg, &e), AB_EUSAGE);
    assert_int_equal(ane_api_select("ane:x", &ops, &arg, &e), AB_EUSAGE);
#ifdef __APPLE__
    assert_int_equal(ane_api_select("ane", &ops, &arg, &e), AB_OK);
    assert_ptr_equal(ops, &ane_api_objc);
#else
    assert_int_equal(ane_api_select("ane", &ops, &arg, &e), AB_EUSAGE);
    assert_string_equal(e.msg, "the ane backend needs macOS on Apple silicon; use ane-sim:m5");
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_bytes),
        cmocka_unit_test(test_pack_unpack_fp32),
        cmocka_unit_test(test_pack_unpack_fp16),
        cmocka_unit_test(test_select),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
