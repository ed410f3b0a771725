/* test_scheduler.c: harness/scheduler.c in-process (null backend) with a
 * fake thermal sensor: --wait-nominal waits for "nominal" (and no longer than
 * wait_nominal_max), does not wait where the platform says nothing, stamps
 * the state each case started in; an interrupted run writes no record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "harness/reader.h"
#include "harness/scheduler.h"

static int calls;
/* Cooldown settings of the next run_two (wait_nominal is off when set) and
 * the scheduler's counters after it. */
static double g_cooldown;
static int g_fixed;
static ab_sched g_last;

static void thermal_unknown(char *s, size_t n)
{
    calls++;
    if (n)
        s[0] = '\0';
}

static void thermal_serious(char *s, size_t n)
{
    calls++;
    ab_strlcpy(s, "serious", n);
}

static void thermal_cools_down(char *s, size_t n)
{
    ab_strlcpy(s, calls++ == 0 ? "fair" : "nominal", n);
}

/* Warm for the first two looks (the first case's stamp, the cooldown's first look). */
static void thermal_warm_twice(char *s, size_t n)
{
    ab_strlcpy(s, calls++ < 2 ? "fair" : "nominal", n);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct outcome {
    int rc;
    double secs;
    ab_run run;
    char said[2048]; /* what the run printed about its waits */
} outcome;

/* Runs two tiny null cases in-process with the given sensor and settings. */
static void run_two(void (*sensor)(char *, size_t), double wait_max, int interrupted_at_start, outcome *out)
{
    char parent[] = "/tmp/ab_sched_test.XXXXXX";
    assert_non_null(mkdtemp(parent));
    ab_settings s;
    settings_default(&s);
    s.isolate = 0;
    s.warmup = 0;
    s.min_samples = 3;
    s.max_samples = 10;
    s.min_time = 0;
    s.max_time = 0.002;
    s.wait_nominal = g_cooldown > 0 ? 0 : 1;
    s.wait_nominal_max = wait_max;
    s.cooldown = g_cooldown;
    s.cooldown_fixed = g_fixed;
    ab_err e;
    ab_backend b;
    assert_int_equal(backend_open(&b, "null", &e), AB_OK);
    ab_rundir d;
    if (rundir_create(&d, parent, "run", "null", &e) != AB_OK)
        fail_msg("%s", e.msg);
    ab_case cases[2];
    for (int i = 0; i < 2; i++) {
        case_default(&cases[i]);
        cases[i].v[AX_CIN] = cases[i].v[AX_COUT] = 8 * (i + 1);
        cases[i].index = (size_t)i;
    }
    volatile sig_atomic_t flag = interrupted_at_start;
    FILE *said = tmpfile();
    assert_non_null(said);
    ab_progress prog;
    progress_init(&prog, said, 2, 0);
    ab_sched sc = {.backend_spec = "null",
                   .backend = &b,
                   .s = &s,
                   .dir = &d,
                   .progress = &prog,
                   .interrupted = &flag,
                   .thermal = sensor};
    calls = 0;
    double t0 = now_s();
    out->rc = scheduler_run(&sc, cases, 2, &e);
    out->secs = now_s() - t0;
    g_last = sc;
    progress_finish(&prog);
    rewind(said);
    size_t got = fread(out->said, 1, sizeof out->said - 1, said);
    out->said[got] = '\0';
    fclose(said);
    rundir_close(&d);
    backend_close(&b);
    char path[300];
    snprintf(path, sizeof path, "%s/run/cases.jsonl", parent);
    memset(&out->run, 0, sizeof out->run);
    if (run_load_jsonl(&out->run, path, &e) != AB_OK)
        fail_msg("%s", e.msg);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", parent);
    assert_int_equal(system(cmd), 0);
}

/* Cooldown as the machine asks: none on a nominal machine, none (counted)
 * on one that reports nothing, until nominal again (not the whole cooldown)
 * on a warm one, the whole cooldown with --cooldown-fixed. */
static void test_cooldown_as_the_machine_asks(void **state)
{
    (void)state;
    outcome o;
    g_cooldown = 2.0;
    g_fixed = 0;
    run_two(thermal_unknown, 5, 0, &o);
    assert_true(o.secs < 1.0);
    assert_int_equal(g_last.cool_unknown, 1);
    assert_int_equal(g_last.cool_taken, 0);
    run_free(&o.run);

    run_two(thermal_warm_twice, 5, 0, &o); /* fair, then nominal at the next look */
    assert_true(o.secs < 1.5);             /* not the 2 s cooldown */
    assert_int_equal(g_last.cool_taken, 1);
    assert_true(g_last.cool_machine_s > 0.1 && g_last.cool_machine_s < 1.0);
    run_free(&o.run);

    run_two(thermal_serious, 5, 0, &o); /* stays warm: the cooldown, at most */
    assert_true(g_last.cool_machine_s >= 1.9 && g_last.cool_machine_s < 2.8);
    run_free(&o.run);

    g_cooldown = 0.3;
    g_fixed = 1;
    run_two(thermal_unknown, 5, 0, &o);
    assert_int_equal(g_last.cool_taken, 1);
    assert_true(g_last.cool_s >= 0.29 && g_last.cool_machine_s == 0);
    run_free(&o.run);
    g_cooldown = 0;
    g_fixed = 0;
}

static void test_no_wait_when_unknown(void **state)
{
    (void)state;
    outcome o;
    run_two(thermal_unknown, 5, 0, &o);
    assert_int_equal(o.rc, AB_OK);
    assert_true(o.secs < 1.0);
    assert_null(strstr(o.said, "thermal"));
    assert_int_equal(o.run.n, 2);
    assert_string_equal(o.run.recs[0].thermal_state, "");
    run_free(&o.run);
}

static void test_wait_is_capped(void **state)
{
    (void)state;
    outcome o;
    run_two(thermal_serious, 0.3, 0, &o);
    assert_int_equal(o.rc, AB_OK);
    assert_true(o.secs >= 0.6); /* two cases, 0.3 s each */
    assert_true(o.secs < 3.0);
    assert_int_equal(o.run.n, 2);
    assert_string_equal(o.run.recs[0].thermal_state, "serious");
    assert_string_equal(o.run.recs[1].thermal_state, "serious");
    /* It says it waits, and that it gave up, for each case. */
    assert_non_null(
        strstr(o.said, "thermal state serious: waiting up to 0.3 s for nominal (--wait-nominal)"));
    const char *gave_up = strstr(o.said, "thermal state still serious after 0.3");
    assert_non_null(gave_up);
    assert_non_null(strstr(gave_up + 1, "thermal state still serious after 0.3"));
    run_free(&o.run);
}

static void test_waits_for_nominal(void **state)
{
    (void)state;
    outcome o;
    run_two(thermal_cools_down, 30, 0, &o);
    assert_int_equal(o.rc, AB_OK);
    assert_true(o.secs >= 0.9 && o.secs < 5.0); /* one 1 s look after "fair" */
    assert_int_equal(o.run.n, 2);
    assert_string_equal(o.run.recs[0].thermal_state, "nominal");
    assert_int_equal(o.run.recs[0].worker, 0);
    assert_non_null(strstr(o.said, "thermal state fair: waiting up to 30 s for nominal"));
    assert_non_null(strstr(o.said, "thermal state nominal after 1"));
    run_free(&o.run);
}

static void test_interrupted_writes_nothing(void **state)
{
    (void)state;
    outcome o;
    run_two(thermal_unknown, 5, 1, &o);
    assert_int_equal(o.rc, AB_EINTR);
    assert_int_equal(o.run.n, 0);
    run_free(&o.run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_wait_when_unknown),
        cmocka_unit_test(test_cooldown_as_the_machine_asks),
        cmocka_unit_test(test_wait_is_capped),
        cmocka_unit_test(test_waits_for_nominal),
        cmocka_unit_test(test_interrupted_writes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
