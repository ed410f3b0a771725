/* test_case.c: default case, the canonical key (a contract), key parsing
 * and round trip, work/traffic/memory figures, invalid reasons. Expected
 * figures come from test_case_expected.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness/case.h"

static void test_default_key(void **state)
{
    (void)state;
    ab_case c;
    case_default(&c);
    assert_int_equal(c.v[AX_COUT], c.v[AX_CIN]);
    char key[AB_KEY_MAX];
    int len = case_key(&c, key, sizeof key);
    assert_string_equal(key, "conv1x1 cin=256 cout=256 spatial=64 depth=1 io=fp32 qos=21 "
                             "procedure=0 mode=normal");
    assert_int_equal(len, (int)strlen(key));
}

static void test_key_threads_and_enums(void **state)
{
    (void)state;
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = 64;
    c.v[AX_COUT] = 128;
    c.v[AX_IO] = AB_IO_FP16;
    c.v[AX_MODE] = AB_MODE_RT;
    c.v[AX_QOS] = 0;
    c.v[AX_PROCEDURE] = 15;
    c.v[AX_THREADS] = 4;
    char key[AB_KEY_MAX];
    case_key(&c, key, sizeof key);
    assert_string_equal(key, "conv1x1 cin=64 cout=128 spatial=64 depth=1 io=fp16 qos=0 "
                             "procedure=15 mode=rt threads=4");
}

/* The progress label: what differs from the defaults, cin and spatial always. */
static void test_brief(void **state)
{
    (void)state;
    ab_case c;
    case_default(&c);
    char b[AB_KEY_MAX];
    assert_int_equal(case_brief(&c, NULL, b, sizeof b), (int)strlen("cin=256 spatial=64"));
    assert_string_equal(b, "cin=256 spatial=64");
    c.v[AX_CIN] = c.v[AX_COUT] = 512;
    c.v[AX_PROCEDURE] = 3;
    c.v[AX_MODE] = AB_MODE_RT;
    case_brief(&c, NULL, b, sizeof b);
    assert_string_equal(b, "cin=512 spatial=64 procedure=3 mode=rt");
    c.v[AX_COUT] = 64;
    c.v[AX_QOS] = 0;
    c.v[AX_THREADS] = 2;
    case_brief(&c, NULL, b, sizeof b);
    assert_string_equal(b, "cin=512 cout=64 spatial=64 qos=0 procedure=3 mode=rt threads=2");
    char small[12];
    int len = case_brief(&c, NULL, small, sizeof small);
    assert_int_equal(len, (int)strlen(b)); /* the length it needs, as snprintf */
    assert_string_equal(small, "cin=512 cou");

    /* Within a run: the axes that vary among its cases, and only those. */
    ab_case run[3];
    for (int k = 0; k < 3; k++) {
        case_default(&run[k]);
        run[k].v[AX_PROCEDURE] = k;
    }
    run[2].v[AX_QOS] = 5;
    int vary[AX_COUNT];
    case_varying_axes(run, 3, vary);
    for (int i = 0; i < AX_COUNT; i++)
        assert_int_equal(vary[i], i == AX_PROCEDURE || i == AX_QOS);
    case_brief(&run[1], vary, b, sizeof b);
    assert_string_equal(b, "qos=21 procedure=1");
    case_varying_axes(run, 1, vary); /* one case: nothing varies, the default-based label */
    case_brief(&run[1], vary, b, sizeof b);
    assert_string_equal(b, "cin=256 spatial=64 procedure=1");
}

static void test_key_truncation(void **state)
{
    (void)state;
    ab_case c;
    case_default(&c);
    char small[20];
    int len = case_key(&c, small, sizeof small);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_true(len > (int)sizeof small); /* snprintf-style: the full length */
    assert_int_equal(strncmp(small, "conv1x1 cin=256 cou", sizeof small - 1), 0);
}

static void test_round_trip(void **state)
{
    (void)state;
    const long cins[] = {1, 64, 65536}, spatials[] = {1, 77, 65536};
    for (size_t i = 0; i < 3; i++)
        for (long io = 0; io < 2; io++)
            for (long mode = 0; mode < 2; mode++)
                for (long th = 0; th < 3; th++) {
                    ab_case c, d;
                    case_default(&c);
                    c.v[AX_CIN] = cins[i];
                    c.v[AX_COUT] = cins[2 - i];
                    c.v[AX_SPATIAL] = spatials[i];
                    c.v[AX_DEPTH] = (long)i * 500 + 1;
                    c.v[AX_IO] = io;
                    c.v[AX_MODE] = mode;
                    c.v[AX_QOS] = 63 - (long)i;
                    c.v[AX_PROCEDURE] = (long)i * 7;
                    c.v[AX_THREADS] = th * 128;
                    char key[AB_KEY_MAX], key2[AB_KEY_MAX];
                    case_key(&c, key, sizeof key);
                    ab_err e;
                    if (case_from_key(key, &d, &e))
                        fail_msg("%s: %s", key, e.msg);
                    assert_memory_equal(c.v, d.v, sizeof c.v);
                    case_key(&d, key2, sizeof key2);
                    assert_string_equal(key, key2);
                }
}

static void test_from_key_partial(void **state)
{
    (void)state;
    ab_case c;
    ab_err e;
    assert_int_equal(case_from_key("conv1x1 cin=512", &c, &e), 0);
    assert_int_equal(c.v[AX_CIN], 512);
    assert_int_equal(c.v[AX_COUT], 512); /* cout follows cin when absent */
    assert_int_equal(c.v[AX_QOS], 21);
    assert_int_equal(case_from_key("conv1x1", &c, &e), 0);
    assert_int_equal(c.v[AX_CIN], 256);
}

static void expect_key_error(const char *key, const char *token)
{
    ab_case c;
    ab_err e;
    ab_err_clear(&e);
    assert_int_equal(case_from_key(key, &c, &e), AB_EUSAGE);
    if (!strstr(e.msg, token))
        fail_msg("message '%s' does not name '%s'", e.msg, token);
}

static void test_from_key_bad(void **state)
{
    (void)state;
    expect_key_error("gemm cin=1", "gemm");
    expect_key_error("conv1x1x cin=1", "conv1x1x");
    expect_key_error("conv1x1 cin=64 foo=1", "foo");
    expect_key_error("conv1x1 cin=64 cin=128", "cin");
    expect_key_error("conv1x1 cin", "cin");
    expect_key_error("conv1x1 qos=64", "64");
    expect_key_error("conv1x1 io=fp8", "fp8");
    expect_key_error("conv1x1 cin=64,128", "64,128");
    expect_key_error("conv1x1 cin=64..128", "64..128");
}

static const struct {
    long cin, cout, s, depth, elem;
    double flops, bytes, mem;
} figures[] = {
    /* from test_case_expected.py */
    {256, 256, 64, 1, 4, 8388608.0, 262144.0, 720896.0},
    {64, 128, 32, 1, 2, 524288.0, 28672.0, 102400.0},
    {512, 512, 64, 16, 2, 536870912.0, 8519680.0, 25952256.0},
    {65536, 65536, 65536, 1024, 4, 5.764607523034235e+17, 8830452760576.0, 26508538150912.0},
};

static void test_figures(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        ab_case c;
        case_default(&c);
        c.v[AX_CIN] = figures[i].cin;
        c.v[AX_COUT] = figures[i].cout;
        c.v[AX_SPATIAL] = figures[i].s;
        c.v[AX_DEPTH] = figures[i].depth;
        c.v[AX_IO] = figures[i].elem == 2 ? AB_IO_FP16 : AB_IO_FP32;
        assert_true(case_flops(&c) == figures[i].flops);
        assert_true(case_bytes(&c) == figures[i].bytes);
        assert_true(case_mem_bytes(&c) == figures[i].mem);
    }
}

static void test_invalid(void **state)
{
    (void)state;
    ab_case c;
    case_default(&c);
    assert_null(case_invalid_reason(&c));
    c.v[AX_DEPTH] = 4;
    assert_null(case_invalid_reason(&c));
    c.v[AX_COUT] = 128;
    assert_string_equal(case_invalid_reason(&c), "depth>1 needs cin == cout");
    c.v[AX_DEPTH] = 1;
    assert_null(case_invalid_reason(&c));
    c.v[AX_QOS] = 64;
    assert_non_null(case_invalid_reason(&c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_key),    cmocka_unit_test(test_key_threads_and_enums),
        cmocka_unit_test(test_key_truncation), cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_brief),          cmocka_unit_test(test_from_key_partial),
        cmocka_unit_test(test_from_key_bad),   cmocka_unit_test(test_figures),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
