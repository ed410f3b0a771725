/* ctest: run-serial (measures real time) */
/* test_runner.c: the phase runner, the stop rule, the clock and the cpu and
 * null engines, through run_case() with real and scripted backends. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/backend.h"
#include "harness/clock.h"
#include "harness/record.h"
#include "harness/runner.h"
#include "harness/settings.h"
#include "harness/stop.h"

static ab_settings fast_settings(void)
{
    ab_settings s;
    settings_default(&s);
    s.warmup = 2;
    s.min_samples = 20;
    s.max_samples = 200;
    s.min_time = 0;
    s.max_time = 0.2;
    s.phase_repeats = 1;
    return s;
}

static ab_case small_case(long cin, long spatial)
{
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = cin;
    c.v[AX_SPATIAL] = spatial;
    return c;
}

/* ---- scripted backend: counts calls, fails or corrupts on request ---- */
typedef struct script {
    int fail_phase;   /* 0 none, 1 compile, 2 load, 3 eval (at call fail_at) */
    int fail_at;
    int corrupt;      /* flip the output */
    int evals, loads, unloads, releases;
    int io_setups, stats_evals, stats_reads; /* io setups; evals and reads with counters on */
    bool stats_on;
    uint64_t eval_ns; /* busy time per eval */
    int slow_evals;   /* evals 2..slow_evals+1 (after the first) take 4x eval_ns */
    int prepares;     /* prepare calls; the first weight of each of the first 4 layers at each */
    float first_w[8][4];
    const ab_settings *settings[8]; /* b->settings at each prepare */
} script;

static script sc;

static int s_open(ab_backend *b, const char *arg, ab_err *e)
{
    (void)b, (void)arg, (void)e;
    return AB_OK;
}
static void s_close(ab_backend *b)
{
    (void)b;
}
static int s_prepare(ab_backend *b, const ab_kernel *k, void **inst, ab_err *e)
{
    (void)e;
    *inst = (void *)k;
    if (sc.prepares < 8) {
        size_t per = k->cout * k->cin * k->kh * k->kw;
        for (size_t l = 0; l < k->depth && l < 4; l++)
            sc.first_w[sc.prepares][l] = k->weights[l * per];
        sc.settings[sc.prepares] = b->settings;
    }
    sc.prepares++;
    return AB_OK;
}
static int s_compile(ab_backend *b, void *inst, ab_err *e)
{
    (void)b, (void)inst;
    if (sc.fail_phase != 1)
        return AB_OK;
    ab_errf(e, AB_EFAIL, "scripted compile error 0x50004");
    ab_strlcpy(e->domain, "com.example.scripted", sizeof e->domain);
    e->domain_code = 0x50004;
    return AB_EFAIL;
}
static int s_io_setup(ab_backend *b, void *inst, ab_io_facts *f, ab_err *e)
{
    (void)b, (void)inst, (void)e;
    sc.io_setups++;
    memset(f, 0, sizeof *f);
    f->in_row = f->in_plane = 256;
    f->out_row = f->out_plane = 128;
    strcpy(f->layout, "model");
    strcpy(f->path_note, "scripted path");
    return sc.fail_phase == 4 ? ab_errf(e, AB_EFAIL, "scripted io error") : AB_OK;
}
static int s_set_stats(ab_backend *b, void *inst, bool on, ab_err *e)
{
    (void)b, (void)inst, (void)e;
    sc.stats_on = on;
    return AB_OK;
}
static void s_read_stats(ab_backend *b, void *inst, ab_eval_out *out)
{
    (void)b, (void)inst;
    sc.stats_reads++;
    out->has_hw = sc.stats_on;
    out->hw_ns = sc.stats_on ? 1000 : 0;
}
static int s_load(ab_backend *b, void *inst, ab_err *e)
{
    (void)b, (void)inst;
    sc.loads++;
    return sc.fail_phase == 2 ? ab_errf(e, AB_EFAIL, "scripted load error") : AB_OK;
}
static int s_eval(ab_backend *b, void *inst, ab_eval_out *out, ab_err *e)
{
    (void)b, (void)inst;
    if (sc.fail_phase == 3 && ++sc.evals == sc.fail_at)
        return ab_errf(e, AB_EFAIL, "scripted eval error");
    if (sc.fail_phase != 3)
        sc.evals++;
    if (sc.eval_ns)
        ab_wait_until_ns(ab_now_ns() + sc.eval_ns * (sc.evals >= 2 && sc.evals <= sc.slow_evals + 1 ? 4 : 1));
    sc.stats_evals += sc.stats_on;
    out->path = "scripted";
    return AB_OK;
}
static int s_unload(ab_backend *b, void *inst, ab_err *e)
{
    (void)b, (void)inst, (void)e;
    sc.unloads++;
    return AB_OK;
}
static int s_output(ab_backend *b, void *inst, float *out, ab_err *e)
{
    (void)b, (void)e;
    const ab_kernel *k = inst;
    kernel_ref_all(k, out);
    if (sc.corrupt)
        out[0] += 1000.0f;
    return AB_OK;
}
static void s_release(ab_backend *b, void *inst)
{
    (void)b, (void)inst;
    sc.releases++;
}

static const ab_backend_ops scripted_ops = {
    .name = "scripted", .open = s_open, .close = s_close, .prepare = s_prepare, .compile = s_compile,
    .load = s_load, .eval = s_eval, .unload = s_unload, .output = s_output, .release = s_release,
    .io_setup = s_io_setup, .set_stats = s_set_stats, .read_stats = s_read_stats,
};

static ab_backend scripted(void)
{
    ab_backend b;
    memset(&b, 0, sizeof b);
    b.ops = &scripted_ops;
    strcpy(b.spec, "scripted");
    memset(&sc, 0, sizeof sc);
    return b;
}

static void test_clock_monotonic_and_calibrated(void **st)
{
    (void)st;
    uint64_t prev = ab_now_ns();
    for (int i = 0; i < 100000; i++) {
        uint64_t t = ab_now_ns();
        assert_true(t >= prev);
        prev = t;
    }
    ab_clock_info ci;
    clock_calibrate(&ci);
    assert_non_null(ci.source);
    assert_true(ci.resolution_ns > 0 && ci.resolution_ns < 1e6);
    assert_true(ci.overhead_ns > 0 && ci.overhead_ns < 1e5);
    uint64_t t0 = ab_now_ns();
    ab_wait_until_ns(t0 + 2000000);
    assert_true(ab_now_ns() - t0 >= 2000000);
}

static void test_stop_rule_reasons(void **st)
{
    (void)st;
    ab_settings s;
    settings_default(&s);
    s.min_samples = 10;
    s.max_samples = 50;
    s.min_time = 0;
    s.max_time = 100;
    s.noise = 1.0;
    ab_stopper stp;
    double x[100];
    /* Identical samples: the CI has zero width, so "noise" once min is met. */
    for (int i = 0; i < 100; i++)
        x[i] = 1000;
    stop_init(&stp, &s);
    size_t n;
    const char *why = NULL;
    for (n = 1; n <= 100 && !why; n++)
        why = stop_check(&stp, x, n, 0.0);
    assert_string_equal(why, "noise");
    assert_int_equal(n - 1, 10);
    stop_free(&stp);
    /* Very noisy samples never meet 1%: stops at max samples. */
    for (int i = 0; i < 100; i++)
        x[i] = (i % 2) ? 1000 : 3000 + 10 * i;
    stop_init(&stp, &s);
    why = NULL;
    for (n = 1; n <= 100 && !why; n++)
        why = stop_check(&stp, x, n, 0.0);
    assert_string_equal(why, "max-samples");
    assert_int_equal(n - 1, 50);
    stop_free(&stp);
    /* Time limit wins over everything else. */
    stop_init(&stp, &s);
    assert_string_equal(stop_check(&stp, x, 3, 100.0), "max-time");
    /* Min time not reached: keep going even with a tight CI. */
    s.min_time = 5;
    stop_init(&stp, &s);
    assert_null(stop_check(&stp, x, 20, 1.0));
    stop_free(&stp);
}

/* Warm-up ends when the samples settle: leading samples slower than the
 * settled ones (beyond 5% or 3 MAD) are dropped, at most --warmup of them
 * and at most half; a steady start drops nothing. */
static void test_settle(void **st)
{
    (void)st;
    ab_settings s = fast_settings();
    s.warmup = 20;
    ab_stopper stp;
    double x[40];
    for (int i = 0; i < 40; i++)
        x[i] = 100.0 + (i % 3); /* steady: 100..102 */
    stop_init(&stp, &s);
    assert_int_equal(stop_settle(&stp, x, 40), 0);
    x[0] = 300, x[1] = 180, x[2] = 120, x[3] = 104.5; /* decaying warm-up; 104.5 is within 5% */
    assert_int_equal(stop_settle(&stp, x, 40), 3);
    x[4] = 500;                                       /* a slow sample after a settled one stays */
    assert_int_equal(stop_settle(&stp, x, 40), 3);
    s.warmup = 2; /* at most --warmup */
    assert_int_equal(stop_settle(&stp, x, 40), 2);
    s.warmup = 0; /* none at all */
    assert_int_equal(stop_settle(&stp, x, 40), 0);
    s.warmup = 20;
    for (int i = 0; i < 12; i++)
        x[i] = 1000; /* at most half of the samples */
    assert_int_equal(stop_settle(&stp, x, 20), 10);
    /* The rule counts only the samples after the warm-up: 20 needed. */
    s.min_samples = 20;
    stp.next_check = 0;
    assert_null(stop_check(&stp, x, 24, 0.01));
    assert_int_equal(stp.lead, 12);
    stop_free(&stp);
}

/* Through run_case: an engine whose first evals are 4x slower loses exactly
 * those to warm-up; a steady one loses none (a loaded host may stretch one
 * leading sample: up to 3 tries). */
static void test_warmup_settles(void **st)
{
    (void)st;
    ab_backend b = scripted();
    ab_settings s = fast_settings();
    s.warmup = 20;
    s.min_samples = 40;
    ab_case c = small_case(8, 8);
    ab_record r;
    int ok = 0;
    for (int t = 0; t < 3 && !ok; t++) {
        memset(&sc, 0, sizeof sc);
        sc.eval_ns = 200000;
        sc.slow_evals = 5;
        assert_int_equal(run_case(&b, &c, &s, &r), AB_OK);
        /* + the stats batch after the steady state */
        size_t batch = r.eval.n < 20 ? r.eval.n : 20;
        ok = r.status == AB_ST_OK && r.warmup == 5 && sc.evals == 1 + 5 + (int)r.eval.n + (int)batch;
        if (!ok)
            print_message("try %d: warmup %d of 5 slow evals\n", t, r.warmup);
        record_free(&r);
    }
    assert_true(ok);
    ok = 0;
    for (int t = 0; t < 3 && !ok; t++) {
        memset(&sc, 0, sizeof sc);
        sc.eval_ns = 200000;
        assert_int_equal(run_case(&b, &c, &s, &r), AB_OK);
        ok = r.status == AB_ST_OK && r.warmup == 0;
        record_free(&r);
    }
    assert_true(ok);
}

/* --phase-repeats N: compile, load, first eval, unload and reload N times,
 * each repeat on a program of its own (prepared and released apart), the
 * steady state sampled once; each phase's statistics over the N, the *_ms
 * fields their medians. */
static void test_phase_repeats(void **st)
{
    (void)st;
    ab_backend b = scripted();
    ab_settings s = fast_settings();
    s.phase_repeats = 4;
    ab_case c = small_case(16, 16);
    ab_record r;
    memset(&sc, 0, sizeof sc);
    assert_int_equal(run_case(&b, &c, &s, &r), AB_OK);
    assert_int_equal(r.status, AB_ST_OK);
    assert_int_equal(r.phase_repeats, 4);
    assert_int_equal(sc.loads, 8);    /* load + reload, 4 times */
    assert_int_equal(sc.unloads, 8);
    assert_int_equal(sc.releases, 4); /* the case's program and 3 of their own */
    assert_int_equal(sc.evals, 1 + r.warmup + (int)r.eval.n + (int)r.stats_wall.n + 3); /* + stats batch */
    assert_non_null(r.ph);
    for (int ph = 0; ph < AB_NPHASES; ph++) {
        assert_int_equal(r.ph->st[ph].n, 4);
        assert_int_equal(r.ph->n_samples[ph], 4);
    }
    assert_true(fabs(r.compile_ms - r.ph->st[AB_PH_COMPILE].median / 1e6) < 1e-9);
    assert_true(fabs(r.first_eval_ms - r.ph->st[AB_PH_FIRST_EVAL].median / 1e6) < 1e-9);
    record_free(&r);
    /* A load that fails (here the first) fails the case. */
    memset(&sc, 0, sizeof sc);
    sc.fail_phase = 2;
    s.phase_repeats = 2;
    assert_int_equal(run_case(&b, &c, &s, &r), AB_OK);
    assert_int_equal(r.status, AB_ST_FAILED);
    record_free(&r);
}

/* Each repeat's program differs from the case's in every layer (with a
 * weight file per layer, the framework hashes one file's data into the
 * identifier: ANE-NOTES), the case's weights are put back after each, and
 * the engine sees the run's settings while the case runs, not after. */
static void test_repeats_change_every_layer(void **st)
{
    (void)st;
    ab_backend b = scripted();
    ab_settings s = fast_settings();
    s.phase_repeats = 3;
    s.weights_layout = 1;
    ab_case c = small_case(16, 16);
    c.v[AX_DEPTH] = 3;
    ab_record r;
    assert_int_equal(run_case(&b, &c, &s, &r), AB_OK);
    assert_int_equal(r.status, AB_ST_OK);
    assert_int_equal(sc.prepares, 3);
    for (int p = 0; p < 3; p++)
        assert_ptr_equal(sc.settings[p], &s);
    assert_null(b.settings);
    for (int rep = 2; rep <= 3; rep++)
        for (int l = 0; l < 3; l++) {
            float d = sc.first_w[rep - 1][l] - sc.first_w[0][l];
            if (fabsf(d - (float)rep * 0.015625f) > 1e-6f)
                fail_msg("repeat %d layer %d: first weight moved by %g, not %g", rep, l, (double)d,
                         rep * 0.015625);
        }
    record_free(&r);
}

static void test_phases_and_samples(void **st)
{
    (void)st;
    ab_backend b = scripted();
    ab_settings s = fast_settings();
    ab_case c = small_case(32, 64);
    ab_record r;
    assert_int_equal(run_case(&b, &c, &s, &r), AB_OK);
    assert_int_equal(r.status, AB_ST_OK);
    assert_true(r.compile_ms >= 0 && r.load_ms >= 0 && r.first_eval_ms >= 0);
    assert_true(r.unload_ms >= 0 && r.reload_ms >= 0);
    assert_true(r.eval.n >= (size_t)s.min_samples && r.eval.n <= (size_t)s.max_samples);
    assert_int_equal(r.n_eval_samples, r.eval.n);
    /* first eval + warm-up (dropped from the samples' start) + samples
     * (counters off) + the stats batch (counters on, at most 20, each read
     * after its eval) */
    size_t batch = r.eval.n < 20 ? r.eval.n : 20;
    assert_int_equal(sc.evals, 1 + r.warmup + (int)r.eval.n + (int)batch);
    assert_int_equal(sc.stats_evals, (int)batch);
    assert_int_equal(sc.stats_reads, (int)batch);
    assert_false(sc.stats_on); /* switched off again */
    assert_int_equal(r.stats_wall.n, batch);
    assert_int_equal(r.hw.n, batch);
    assert_int_equal(sc.io_setups, 1);
    assert_int_equal(r.in_row_stride, 256);
    assert_int_equal(r.out_plane_stride, 128);
    assert_string_equal(r.layout, "model");
    assert_string_equal(r.path_note, "scripted path");
    assert_int_equal(sc.loads, 2);   /* load + reload */
    assert_int_equal(sc.unloads, 2);
    assert_int_equal(sc.releases, 1);
    assert_true(r.has_hw);
    assert_true(fabs(r.hw.median - 1000) < 1e-9);
    assert_string_equal(r.eval_path, "scripted");
    assert_int_equal(r.verify_pass, 1);
    assert_true(r.stop_reason[0] != '\0');
    assert_true(fabs(r.flops - 2.0 * 32 * 32 * 64) < 1e-6);
    assert_true(r.gflops_wall > 0);
    record_free(&r);
}

static void test_eval_time_is_measured(void **st)
{
    (void)st;
    ab_backend b = scripted();
    sc.eval_ns = 200000; /* 200 us of busy time per eval */
    ab_settings s = fast_settings();
    s.max_samples = 30;
    ab_case c = small_case(8, 32);
    ab_record r;
    run_case(&b, &c, &s, &r);
    assert_int_equal(r.status, AB_ST_OK);
    assert_true(r.eval.min >= 200000);
    assert_true(r.eval.median < 200000 * 3); /* generous: a loaded machine */
    record_free(&r);
}

static void test_failures_become_statuses(void **st)
{
    (void)st;
    ab_settings s = fast_settings();
    ab_case c = small_case(16, 32);
    ab_record r;

    ab_backend b = scripted();
    sc.fail_phase = 1;
    run_case(&b, &c, &s, &r);
    assert_int_equal(r.status, AB_ST_FAILED);
    assert_non_null(strstr(r.reason, "compile: scripted compile error 0x50004"));
    assert_string_equal(r.fail_stage, "compile");
    assert_string_equal(r.err_domain, "com.example.scripted");
    assert_true(r.err_code == (double)0x50004);
    assert_true(isnan(r.load_ms));
    assert_int_equal(sc.releases, 1);
    record_free(&r);

    /* io setup fails: the stage is named, the load is undone, no eval runs. */
    b = scripted();
    sc.fail_phase = 4;
    run_case(&b, &c, &s, &r);
    assert_int_equal(r.status, AB_ST_FAILED);
    assert_string_equal(r.fail_stage, "io setup");
    assert_string_equal(r.err_domain, "");
    assert_int_equal(sc.evals, 0);
    assert_int_equal(sc.unloads, 1);
    record_free(&r);

    b = scripted();
    sc.fail_phase = 3;
    sc.fail_at = 10;
    run_case(&b, &c, &s, &r);
    assert_int_equal(r.status, AB_ST_FAILED);
    assert_non_null(strstr(r.reason, "eval: scripted eval error"));
    record_free(&r);

    b = scripted();
    sc.corrupt = 1;
    run_case(&b, &c, &s, &r);
    assert_int_equal(r.status, AB_ST_WRONG_OUTPUT);
    assert_int_equal(r.verify_pass, 0);
    assert_true(r.max_abs_err > r.tolerance);
    assert_true(r.eval.n > 0); /* timings kept */
    record_free(&r);
}

static void test_cpu_backend_real(void **st)
{
    (void)st;
    ab_backend b;
    ab_err e;
    assert_int_equal(backend_open(&b, "cpu", &e), AB_OK);
    ab_settings s = fast_settings();
    ab_case c = small_case(64, 128);
    ab_record r;
    run_case(&b, &c, &s, &r);
    assert_int_equal(r.status, AB_ST_OK);
    assert_int_equal(r.verify_pass, 1);
    assert_true(r.max_abs_err <= r.tolerance);
    assert_string_equal(r.eval_path, "sgemm");
    assert_false(r.simulated);
    assert_false(r.has_hw);
    assert_true(r.hw_reason[0] != '\0');
    record_free(&r);

    /* A chain of 4 layers still verifies. */
    c.v[AX_DEPTH] = 4;
    run_case(&b, &c, &s, &r);
    assert_int_equal(r.status, AB_ST_OK);
    assert_int_equal(r.verify_pass, 1);
    record_free(&r);

    /* What the CPU cannot do is skipped with the reason, never run. */
    const struct {
        int axis;
        long v;
        const char *word;
    } skips[] = {{AX_PROCEDURE, 3, "procedure"}, {AX_MODE, AB_MODE_RT, "mode=rt"},
                 {AX_MODE, AB_MODE_DIRECT, "mode=direct"},
                 {AX_QOS, 9, "QoS"}, {AX_IO, AB_IO_FP16, "fp16"}};
    for (size_t i = 0; i < sizeof skips / sizeof skips[0]; i++) {
        ab_case k = small_case(64, 64);
        k.v[skips[i].axis] = skips[i].v;
        run_case(&b, &k, &s, &r);
        assert_int_equal(r.status, AB_ST_SKIPPED);
        assert_non_null(strstr(r.reason, skips[i].word));
        assert_true(isnan(r.compile_ms));
        assert_int_equal(r.eval.n, 0);
        record_free(&r);
    }
    backend_close(&b);
}

static void test_null_backend_floor(void **st)
{
    (void)st;
    ab_backend b;
    ab_err e;
    assert_int_equal(backend_open(&b, "null", &e), AB_OK);
    ab_settings s = fast_settings();
    s.max_samples = 5000;
    ab_case c = small_case(256, 64);
    ab_record r;
    run_case(&b, &c, &s, &r);
    assert_int_equal(r.status, AB_ST_OK);
    assert_int_equal(r.verify_pass, -1);
    /* Not a speed target (that is bench/perf): just that it measures
     * something tiny and positive. */
    assert_true(r.eval.median > 0 && r.eval.median < 1e6);
    record_free(&r);
    backend_close(&b);
}

static void test_registry_errors(void **st)
{
    (void)st;
    ab_backend b;
    ab_err e;
    assert_int_equal(backend_open(&b, "gpu", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "'gpu'"));
    assert_int_equal(backend_open(&b, "cpu:fast", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "fast"));
    assert_int_equal(backend_open(&b, "auto", &e), AB_OK);
#ifndef __APPLE__
    assert_string_equal(b.spec, "cpu");
#endif
    backend_close(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock_monotonic_and_calibrated),
        cmocka_unit_test(test_stop_rule_reasons),
        cmocka_unit_test(test_phases_and_samples),
        cmocka_unit_test(test_settle),
        cmocka_unit_test(test_phase_repeats),
        cmocka_unit_test(test_repeats_change_every_layer),
        cmocka_unit_test(test_warmup_settles),
        cmocka_unit_test(test_eval_time_is_measured),
        cmocka_unit_test(test_failures_become_statuses),
        cmocka_unit_test(test_cpu_backend_real),
        cmocka_unit_test(test_null_backend_floor),
        cmocka_unit_test(test_registry_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
