/* test_worker_msg.c: the worker protocol's framing and messages
 * (harness/worker_msg.c): lines split across reads, several lines in one
 * read, over-long lines, every message kind round-tripped, and malformed
 * messages refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/worker.h"

static void feed(ab_linebuf *lb, const char *s)
{
    ab_err e;
    assert_int_equal(linebuf_feed(lb, s, strlen(s), &e), AB_OK);
}

static void test_linebuf_split_and_join(void **state)
{
    (void)state;
    ab_linebuf lb;
    linebuf_init(&lb);
    assert_null(linebuf_next(&lb));
    feed(&lb, "alpha\nbe");
    assert_string_equal(linebuf_next(&lb), "alpha");
    assert_null(linebuf_next(&lb));
    assert_int_equal(linebuf_pending(&lb), 2);
    feed(&lb, "ta\n\ngamma\ndel");
    assert_string_equal(linebuf_next(&lb), "beta");
    assert_string_equal(linebuf_next(&lb), "");
    assert_string_equal(linebuf_next(&lb), "gamma");
    assert_null(linebuf_next(&lb));
    assert_int_equal(linebuf_pending(&lb), 3);
    feed(&lb, "ta\n");
    assert_string_equal(linebuf_next(&lb), "delta");
    assert_int_equal(linebuf_pending(&lb), 0);
    linebuf_free(&lb);
}

static void test_linebuf_byte_by_byte(void **state)
{
    (void)state;
    char *line =
        wmsg_case_line("conv1x1 cin=8 cout=8 spatial=4 depth=1 io=fp32 qos=21 procedure=0 mode=normal", 3, 2);
    assert_non_null(line);
    ab_linebuf lb;
    linebuf_init(&lb);
    ab_err e;
    size_t n = strlen(line);
    for (size_t i = 0; i + 1 < n; i++) {
        assert_int_equal(linebuf_feed(&lb, line + i, 1, &e), AB_OK);
        assert_null(linebuf_next(&lb));
    }
    assert_int_equal(linebuf_feed(&lb, line + n - 1, 1, &e), AB_OK);
    char *got = linebuf_next(&lb);
    assert_non_null(got);
    ab_wmsg m;
    assert_int_equal(wmsg_parse(got, &m, &e), AB_OK);
    assert_int_equal(m.kind, WM_CASE);
    assert_int_equal(m.index, 3);
    assert_int_equal(m.attempt, 2);
    assert_string_equal(m.key,
                        "conv1x1 cin=8 cout=8 spatial=4 depth=1 io=fp32 qos=21 procedure=0 mode=normal");
    wmsg_free(&m);
    linebuf_free(&lb);
    free(line);
}

static void test_linebuf_too_long(void **state)
{
    (void)state;
    ab_linebuf lb;
    linebuf_init(&lb);
    lb.max = 16;
    ab_err e;
    /* Complete lines longer than the limit are fine once terminated... */
    assert_int_equal(linebuf_feed(&lb, "0123456789abcdef\n", 17, &e), AB_OK);
    assert_string_equal(linebuf_next(&lb), "0123456789abcdef");
    /* ...an unterminated tail past it is refused. */
    assert_int_equal(linebuf_feed(&lb, "0123456789", 10, &e), AB_OK);
    assert_int_equal(linebuf_feed(&lb, "abcdefg", 7, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "longer than 16"));
    linebuf_free(&lb);
}

/* A long line costs time linear in its length (issue 11: a 32 MB line took
 * 6.4 s, each 64 KB chunk searching the whole buffer again): 16 MB fed in
 * 4 KB chunks must take well under the 3 s allowed (about 10 ms here). */
static void test_linebuf_long_line_linear(void **state)
{
    (void)state;
    ab_linebuf lb;
    linebuf_init(&lb);
    ab_err e;
    char chunk[4096];
    memset(chunk, 'x', sizeof chunk);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < (16u << 20) / sizeof chunk; i++)
        assert_int_equal(linebuf_feed(&lb, chunk, sizeof chunk, &e), AB_OK);
    assert_int_equal(linebuf_feed(&lb, "\n", 1, &e), AB_OK);
    char *got = linebuf_next(&lb);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_non_null(got);
    assert_int_equal(strlen(got), 16u << 20);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(s < 3.0);
    linebuf_free(&lb);
}

/* Every generated message is exactly one line, whatever its text holds. */
static void assert_one_line(const char *line)
{
    size_t n = strlen(line);
    assert_true(n >= 2);
    assert_int_equal(line[n - 1], '\n');
    assert_null(memchr(line, '\n', n - 1));
}

static void test_messages_round_trip(void **state)
{
    (void)state;
    ab_err e;
    ab_wmsg m;
    char *l = wmsg_ready_line(4242, -1);
    assert_one_line(l);
    l[strlen(l) - 1] = '\0';
    assert_int_equal(wmsg_parse(l, &m, &e), AB_OK);
    assert_int_equal(m.kind, WM_READY);
    assert_int_equal(m.pid, 4242);
    assert_int_equal(m.compiles_left, -1);
    free(l);

    l = wmsg_compiles_left_line(17);
    assert_one_line(l);
    l[strlen(l) - 1] = '\0';
    assert_int_equal(wmsg_parse(l, &m, &e), AB_OK);
    assert_int_equal(m.kind, WM_COMPILES_LEFT);
    assert_int_equal(m.compiles_left, 17);
    free(l);

    l = wmsg_error_line("backend 'x'\nfailed: \"quoted\"");
    assert_one_line(l);
    l[strlen(l) - 1] = '\0';
    assert_int_equal(wmsg_parse(l, &m, &e), AB_OK);
    assert_int_equal(m.kind, WM_ERROR);
    assert_string_equal(m.error, "backend 'x'\nfailed: \"quoted\"");
    free(l);
}

static void test_record_round_trip(void **state)
{
    (void)state;
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = 64;
    c.v[AX_COUT] = 32;
    ab_record r;
    record_init(&r, &c);
    r.status = AB_ST_FAILED;
    record_set_text(&r.reason, "line one\nline two");
    double ns[3] = {1000, 1200, 1100};
    record_set_eval_samples(&r, ns, 3);
    r.worker = 7;
    r.attempt = 2;
    char *l = wmsg_record_line(&r);
    assert_non_null(l);
    assert_one_line(l);
    l[strlen(l) - 1] = '\0';
    ab_wmsg m;
    ab_err e;
    assert_int_equal(wmsg_parse(l, &m, &e), AB_OK);
    assert_int_equal(m.kind, WM_RECORD);
    assert_non_null(m.record_json);
    ab_record back;
    assert_int_equal(record_from_json(m.record_json, &back, &e), AB_OK);
    assert_string_equal(back.key, r.key);
    assert_int_equal(back.status, AB_ST_FAILED);
    assert_string_equal(back.reason, "line one\nline two");
    assert_int_equal(back.n_eval_samples, 3);
    assert_true(fabs(back.eval_samples[1] - 1200) < 1e-9);
    assert_int_equal(back.worker, 7);
    assert_int_equal(back.attempt, 2);
    record_free(&back);
    record_free(&r);
    wmsg_free(&m);
    free(l);
}

static void test_bad_messages_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "not json",
        "[1,2]",
        "{}",
        "\"case\"",
        "{\"case\": 5, \"index\": 0, \"attempt\": 1}",
        "{\"case\": \"k\", \"index\": 0}",
        "{\"case\": \"k\", \"index\": -1, \"attempt\": 1}",
        "{\"case\": \"k\", \"index\": 0, \"attempt\": 0}",
        "{\"case\": \"k\", \"index\": 0, \"attempt\": 1.5}",
        "{\"case\": \"k\", \"index\": 1e300, \"attempt\": 1}",
        "{\"case\": \"k\", \"index\": 0, \"attempt\": 1, \"extra\": 1}",
        "{\"case\": \"k\", \"index\": 0, \"attempt\": 1} trailing",
        "{\"compiles_left\": -2}",
        "{\"compiles_left\": \"3\"}",
        "{\"ready\": {\"pid\": 1}}",
        "{\"record\": [1]}",
        "{\"error\": 3}",
        "{\"hello\": 1}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ab_wmsg m;
        ab_err e;
        ab_err_clear(&e);
        int rc = wmsg_parse(bad[i], &m, &e);
        if (rc != AB_EUSAGE)
            fail_msg("accepted bad message #%zu: %s", i, bad[i]);
        assert_true(strlen(e.msg) > 0);
        assert_null(m.record_json);
    }
    /* A key too long for a case is refused, not truncated. */
    char big[AB_KEY_MAX + 64];
    memset(big, 'k', sizeof big);
    big[sizeof big - 1] = '\0';
    char *l = wmsg_case_line(big, 0, 1);
    l[strlen(l) - 1] = '\0';
    ab_wmsg m;
    ab_err e;
    assert_int_equal(wmsg_parse(l, &m, &e), AB_EUSAGE);
    free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linebuf_split_and_join), cmocka_unit_test(test_linebuf_byte_by_byte),
        cmocka_unit_test(test_linebuf_too_long),       cmocka_unit_test(test_linebuf_long_line_linear),
        cmocka_unit_test(test_messages_round_trip),    cmocka_unit_test(test_record_round_trip),
        cmocka_unit_test(test_bad_messages_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
