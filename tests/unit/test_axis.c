/* test_axis.c: the axis table and every VALUES syntax, good and bad. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness/axis.h"

/* Parses text for the named axis and checks the values (n < 0: expect error). */
static void expect_values(const char *axis, const char *text, const long *want, size_t nwant)
{
    ab_err e;
    ab_err_clear(&e);
    long *v = NULL;
    size_t n = 0;
    int id = axis_find(axis);
    assert_true(id >= 0);
    int rc = axis_parse_values(&ab_axes[id], text, &v, &n, &e);
    if (rc)
        fail_msg("'%s' for %s: %s", text, axis, e.msg);
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v[i], want[i]);
    free(v);
}

/* Expects AB_EUSAGE and a message naming the axis and the token. */
static void expect_error(const char *axis, const char *text, const char *token)
{
    ab_err e;
    ab_err_clear(&e);
    long *v = (long *)1;
    size_t n = 7;
    int rc = axis_parse_values(&ab_axes[axis_find(axis)], text, &v, &n, &e);
    assert_int_equal(rc, AB_EUSAGE);
    assert_int_equal(e.code, AB_EUSAGE);
    assert_null(v);
    assert_int_equal(n, 0);
    assert_non_null(strstr(e.msg, axis));
    if (!strstr(e.msg, token))
        fail_msg("message '%s' does not name '%s'", e.msg, token);
    assert_null(strchr(e.msg, '\n'));
}

static void test_find(void **state)
{
    (void)state;
    assert_int_equal(axis_find("cin"), AX_CIN);
    assert_int_equal(axis_find("threads"), AX_THREADS);
    assert_int_equal(axis_find("mode"), AX_MODE);
    assert_int_equal(axis_find("CIN"), -1);
    assert_int_equal(axis_find("bogus"), -1);
    assert_int_equal(axis_find(NULL), -1);
}

static void test_table(void **state)
{
    (void)state;
    const ab_axis_def *q = &ab_axes[AX_QOS];
    assert_int_equal(q->min, 0);
    assert_int_equal(q->max, 63);
    assert_int_equal(q->def, 21);
    assert_int_equal(ab_axes[AX_PROCEDURE].max, 15);
    assert_int_equal(ab_axes[AX_COUT].def, AB_AXIS_SAME);
    assert_int_equal(ab_axes[AX_DEPTH].max, 1024);
    assert_int_equal(ab_axes[AX_CIN].max, 65536);
    assert_int_equal(ab_axes[AX_THREADS].max, 256);
    for (int a = 0; a < AX_COUNT; a++) {
        assert_non_null(ab_axes[a].name);
        assert_non_null(ab_axes[a].help);
    }
}

static void test_list(void **state)
{
    (void)state;
    expect_values("cin", "64", (long[]){64}, 1);
    expect_values("cin", "64,128,96", (long[]){64, 128, 96}, 3);
    expect_values("cin", " 64 , 128 ", (long[]){64, 128}, 2);
    expect_values("qos", "0,63", (long[]){0, 63}, 2);
}

static void test_range(void **state)
{
    (void)state;
    expect_values("qos", "3..7", (long[]){3, 4, 5, 6, 7}, 5);
    expect_values("qos", "5..5", (long[]){5}, 1);
    expect_values("procedure", "0..15:5", (long[]){0, 5, 10, 15}, 4);
    expect_values("procedure", "0..14:5", (long[]){0, 5, 10}, 3);
    expect_values("spatial", "64..1024*2", (long[]){64, 128, 256, 512, 1024}, 5);
    expect_values("spatial", "1..100*3", (long[]){1, 3, 9, 27, 81}, 5);
    expect_values("cin", "1..65536*65536", (long[]){1, 65536}, 2);
    expect_values("cin", "65530..65536:100", (long[]){65530}, 1);
    /* Mixed items. */
    expect_values("cin", "32,64..256*2,1000", (long[]){32, 64, 128, 256, 1000}, 5);
}

static void test_full_range(void **state)
{
    (void)state;
    long *v;
    size_t n;
    ab_err e;
    assert_int_equal(axis_parse_values(&ab_axes[AX_CIN], "1..65536", &v, &n, &e), 0);
    assert_int_equal(n, 65536);
    assert_int_equal(v[0], 1);
    assert_int_equal(v[65535], 65536);
    free(v);
}

static void test_enum(void **state)
{
    (void)state;
    expect_values("io", "fp32,fp16", (long[]){AB_IO_FP32, AB_IO_FP16}, 2);
    expect_values("mode", "rt", (long[]){AB_MODE_RT}, 1);
    expect_values("mode", "normal, rt", (long[]){AB_MODE_NORMAL, AB_MODE_RT}, 2);
}

static void test_bad(void **state)
{
    (void)state;
    expect_error("qos", "64", "64");
    expect_error("qos", "-1", "-1");
    expect_error("procedure", "16", "16");
    expect_error("procedure", "0..16", "16");
    expect_error("cin", "0", "0");
    expect_error("cin", "-64", "-64");
    expect_error("spatial", "65537", "65537");
    expect_error("depth", "1025", "1025");
    expect_error("threads", "257", "257");
    expect_error("cin", "abc", "abc");
    expect_error("cin", "12x", "12x");
    expect_error("cin", "64,,128", "64,,128");
    expect_error("cin", "", "empty");
    expect_error("cin", "64,", "empty");
    expect_error("cin", "99999999999999999999999", "99999999999999999999999");
    expect_error("cin", "8..4", "8..4");
    expect_error("cin", "x..4", "x");
    expect_error("cin", "4..y", "y");
    expect_error("cin", "4..", "4..");
    expect_error("cin", "4..8:0", "step 0");
    expect_error("cin", "4..8:-2", "-2");
    expect_error("cin", "4..8:z", "z");
    expect_error("cin", "4..64*1", "factor 1");
    expect_error("threads", "0..8*2", "0..8*2");
    expect_error("cin", "4..64*q", "q");
    expect_error("cin", "1...5", ".5");
    expect_error("io", "fp64", "fp64");
    expect_error("io", "1", "'1'");
    expect_error("mode", "normal,realtime", "realtime");
    expect_error("mode", "0..1", "0..1");
    expect_error("cin", "6\n4", "6?4"); /* one line whatever the token holds */
}

static void test_format(void **state)
{
    (void)state;
    char buf[16];
    axis_format_value(&ab_axes[AX_CIN], 256, buf, sizeof buf);
    assert_string_equal(buf, "256");
    axis_format_value(&ab_axes[AX_IO], AB_IO_FP16, buf, sizeof buf);
    assert_string_equal(buf, "fp16");
    axis_format_value(&ab_axes[AX_MODE], AB_MODE_RT, buf, sizeof buf);
    assert_string_equal(buf, "rt");
    axis_format_value(&ab_axes[AX_COUT], AB_AXIS_SAME, buf, sizeof buf);
    assert_string_equal(buf, "same");
    axis_format_value(&ab_axes[AX_MODE], 7, buf, sizeof buf);
    assert_string_equal(buf, "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),  cmocka_unit_test(test_table),      cmocka_unit_test(test_list),
        cmocka_unit_test(test_range), cmocka_unit_test(test_full_range), cmocka_unit_test(test_enum),
        cmocka_unit_test(test_bad),   cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
