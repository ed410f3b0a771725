/* test_fault.c: the fault:SPEC engine (backends/fault.c) in-process, for the
 * kinds that do not end the process: the grammar (bad specs refused with the
 * bad token named), conditions on several axes and on the phase, errors in
 * the chosen phase only, corrupted output that verification rejects, and the
 * compile budget counted down and enforced. Crashes and hangs are tested
 * through workers in tests/e2e/test_faults.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "harness/runner.h"

static ab_settings quick(void)
{
    ab_settings s;
    settings_default(&s);
    s.warmup = 0;
    s.min_samples = 3;
    s.max_samples = 5;
    s.min_time = 0;
    s.max_time = 0.002;
    s.phase_repeats = 1; /* one compile a case: test_budget counts them */
    return s;
}

static ab_case small(long cin, long io)
{
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = cin;
    c.v[AX_SPATIAL] = 8;
    c.v[AX_IO] = io;
    return c;
}

static void run(const char *spec, ab_case c, ab_record *r)
{
    ab_backend b;
    ab_err e;
    if (backend_open(&b, spec, &e) != AB_OK)
        fail_msg("%s: %s", spec, e.msg);
    ab_settings s = quick();
    assert_int_equal(run_case(&b, &c, &s, r), AB_OK);
    backend_close(&b);
}

static void test_bad_specs(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *token;
    } bad[] = {
        {"fault", "needs a SPEC"},
        {"fault:", "needs a SPEC"},
        {"fault:boom", "'boom'"},
        {"fault:segv@", "empty condition"},
        {"fault:segv,,abort", "empty rule"},
        {"fault:segv@cin", "'cin'"},
        {"fault:segv@depth=x", "'depth=x'"},
        {"fault:segv@colour=2", "'colour'"},
        {"fault:error@phase=later", "'later'"},
        {"fault:budget", "budget"},
        {"fault:budget@-1", "'-1'"},
        {"fault:budget@2x", "'2x'"},
        {"fault:segv@cin=1..4", "one value"},
        /* Conditions that could never all hold were silently cut to the last. */
        {"fault:error@cin=8+cin=16", "'cin' given twice in 'error@cin=8+cin=16'"},
        {"fault:error@phase=load+cin=8+phase=eval", "phase given twice"},
        {"fault:budget@3,budget@5", "budget given twice"},
        {"fault:error@cin=8++io=fp16", "empty condition"},
        {"fault:segv@cin=1,segv@cin=2,segv@cin=3,segv@cin=4,segv@cin=5,segv@cin=6,segv@cin=7,segv@cin=8,"
         "segv@cin=9,segv@cin=10,segv@cin=11,segv@cin=12,segv@cin=13,segv@cin=14,segv@cin=15,segv@cin=16,"
         "segv@cin=17,segv@cin=18,segv@cin=19,segv@cin=20,segv@cin=21,segv@cin=22,segv@cin=23,segv@cin=24,"
         "segv@cin=25,segv@cin=26,segv@cin=27,segv@cin=28,segv@cin=29,segv@cin=30,segv@cin=31,segv@cin=32,"
         "segv@cin=33",
         "more than 32 rules"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ab_backend b;
        ab_err e;
        ab_err_clear(&e);
        if (backend_open(&b, bad[i].spec, &e) != AB_EUSAGE)
            fail_msg("accepted %s", bad[i].spec);
        if (!strstr(e.msg, bad[i].token))
            fail_msg("%s: message '%s' lacks '%s'", bad[i].spec, e.msg, bad[i].token);
        assert_null(strchr(e.msg, '\n'));
    }
}

static void test_error_in_chosen_phase_and_case(void **state)
{
    (void)state;
    const char *spec = "fault:error@cin=16+io=fp32+phase=load";
    ab_record r;
    run(spec, small(16, AB_IO_FP32), &r);
    assert_int_equal(r.status, AB_ST_FAILED);
    assert_non_null(
        strstr(r.reason, "load: fault: injected error in load (error@cin=16+io=fp32+phase=load)"));
    assert_false(isnan(r.compile_ms)); /* compile ran (and was timed) before the load failed */
    record_free(&r);
    run(spec, small(16, AB_IO_FP16), &r); /* io differs: no fault (cpu may skip fp16, never fail it) */
    assert_true(r.status == AB_ST_OK || r.status == AB_ST_SKIPPED);
    record_free(&r);
    run(spec, small(8, AB_IO_FP32), &r); /* cin differs */
    assert_int_equal(r.status, AB_ST_OK);
    record_free(&r);
    run("fault:error@phase=unload", small(8, AB_IO_FP32), &r); /* no axis condition: every case */
    assert_int_equal(r.status, AB_ST_FAILED);
    assert_non_null(strstr(r.reason, "unload"));
    record_free(&r);
}

static void test_wrong_output_is_caught(void **state)
{
    (void)state;
    ab_record r;
    run("fault:wrong@cin=8", small(8, AB_IO_FP32), &r);
    assert_int_equal(r.status, AB_ST_WRONG_OUTPUT);
    assert_int_equal(r.verify_pass, 0);
    assert_true(r.max_abs_err >= 0.99 && r.max_abs_err > r.tolerance);
    assert_true(r.eval.n >= 3); /* it was measured; its numbers are just not trusted */
    record_free(&r);
}

static void test_budget(void **state)
{
    (void)state;
    ab_backend b;
    ab_err e;
    assert_int_equal(backend_open(&b, "fault:budget@2", &e), AB_OK);
    assert_non_null(b.ops->compile_budget_left);
    assert_int_equal(b.ops->compile_budget_left(&b), 2);
    ab_settings s = quick();
    ab_record r;
    for (int i = 0; i < 3; i++) {
        ab_case c = small(8 + 8 * i, AB_IO_FP32);
        assert_int_equal(run_case(&b, &c, &s, &r), AB_OK);
        if (i < 2) {
            assert_int_equal(r.status, AB_ST_OK);
            assert_int_equal(b.ops->compile_budget_left(&b), 1 - i);
        } else {
            assert_int_equal(r.status, AB_ST_FAILED);
            assert_non_null(strstr(r.reason, "compile budget exhausted (2 compiles per process)"));
            assert_int_equal(b.ops->compile_budget_left(&b), 0);
        }
        record_free(&r);
    }
    backend_close(&b);
    /* Without budget@N the engine defers to cpu's (unlimited). */
    assert_int_equal(backend_open(&b, "fault:wrong@cin=3", &e), AB_OK);
    assert_int_equal(b.ops->compile_budget_left(&b), -1);
    backend_close(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_specs),
        cmocka_unit_test(test_error_in_chosen_phase_and_case),
        cmocka_unit_test(test_wrong_output_is_caught),
        cmocka_unit_test(test_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
