/* runner.c: one case through its phases, timed on the monotonic raw clock.
 *
 * Inside a timed phase there is nothing but the backend's call. The steady
 * state is measured with the engine's counters off (like for like with the
 * seed); where the backend has counters (set_stats), a second, smaller
 * batch with them on gives the hardware time and its own wall time, so the
 * cost of the counters is itself a result. */
#include "harness/runner.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/clock.h"
#include "harness/hostload.h"
#include "harness/platform.h"
#include "harness/stop.h"
#include "kernels/kernel.h"

static double ms_since(uint64_t t0, uint64_t t1)
{
    return (double)(t1 - t0) / 1e6;
}

/* Evals of the stats batch: at most this many, and no more than the
 * steady state took. */
#define STATS_BATCH_MAX 20

/* Ends the case with status st and a reason "phase: message"; the record
 * keeps the stage and the framework's error domain and code. */
static void fail(ab_record *r, ab_status st, const char *phase, const ab_err *e)
{
    r->status = st;
    record_printf(&r->reason, "%s: %s", phase, e && e->msg[0] ? e->msg : "failed");
    ab_strlcpy(r->fail_stage, phase, sizeof r->fail_stage);
    if (e && e->domain[0]) {
        record_set_text(&r->err_domain, e->domain);
        r->err_code = (double)e->domain_code;
    }
}

/* Grows a sample array to hold at least n + 1 values. */
static int ensure_cap(double **a, size_t *cap, size_t n)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 1024;
    double *p = realloc(*a, nc * sizeof *p);
    if (!p)
        return -1;
    *a = p;
    *cap = nc;
    return 0;
}

typedef struct sampling {
    double *wall;
    size_t n, cap;
    const char *path;
} sampling;

/* Steady-state samples under the stop rule, the warm-up dropped from their
 * start once they settle (stop.h). */
static int sample_evals(ab_backend *b, void *inst, const ab_settings *s, ab_record *r, sampling *sm)
{
    const ab_backend_ops *ops = b->ops;
    ab_eval_out out;
    ab_err e;
    memset(&out, 0, sizeof out);
    ab_err_clear(&e);

    ab_stopper st;
    stop_init(&st, s);
    uint64_t start = ab_now_ns();
    const char *why = NULL;
    int rc = 0;
    while (!why) {
        if (ensure_cap(&sm->wall, &sm->cap, sm->n)) {
            ab_errf(&e, AB_EFAIL, "out of memory for samples");
            fail(r, AB_ST_FAILED, "eval", &e);
            rc = -1;
            break;
        }
        uint64_t t0 = ab_now_ns();
        int erc = ops->eval(b, inst, &out, &e);
        uint64_t t1 = ab_now_ns();
        if (erc != AB_OK) {
            fail(r, AB_ST_FAILED, "eval", &e);
            rc = -1;
            break;
        }
        sm->wall[sm->n++] = (double)(t1 - t0);
        why = stop_check(&st, sm->wall, sm->n, (double)(t1 - start) / 1e9);
    }
    /* Warm-up ends where the samples settle (stop.h): the leading ones
     * still slower than the rest are dropped. */
    size_t lead = stop_settle(&st, sm->wall, sm->n);
    stop_free(&st);
    if (lead > 0) {
        memmove(sm->wall, sm->wall + lead, (sm->n - lead) * sizeof *sm->wall);
        sm->n -= lead;
    }
    r->warmup = (int)lead;
    sm->path = out.path;
    if (why)
        ab_strlcpy(r->stop_reason, why, sizeof r->stop_reason);
    return rc;
}

/* The stats batch: n evals with the counters on, each timed (the eval
 * alone) and its counters read after (untimed). Fills r->stats_wall, the hw
 * statistics, or hw_reason. A failure here fails the case at "stats eval". */
static void stats_batch(ab_backend *b, void *inst, size_t n, ab_record *r)
{
    const ab_backend_ops *ops = b->ops;
    ab_err e;
    ab_err_clear(&e);
    if (!ops->set_stats || !ops->read_stats) {
        record_set_text(&r->hw_reason, "the backend reports no hardware time");
        return;
    }
    double *wall = malloc(n * sizeof *wall), *hw = malloc(n * sizeof *hw);
    size_t nw = 0, nhw = 0;
    char reason[128] = "";
    if (!wall || !hw) {
        free(wall);
        free(hw);
        ab_errf(&e, AB_EFAIL, "out of memory for samples");
        fail(r, AB_ST_FAILED, "stats eval", &e);
        return;
    }
    if (ops->set_stats(b, inst, true, &e) != AB_OK) {
        fail(r, AB_ST_FAILED, "stats on", &e);
        n = 0;
    }
    for (size_t i = 0; i < n; i++) {
        ab_eval_out out;
        memset(&out, 0, sizeof out);
        uint64_t t0 = ab_now_ns();
        int erc = ops->eval(b, inst, &out, &e);
        uint64_t t1 = ab_now_ns();
        if (erc != AB_OK) {
            fail(r, AB_ST_FAILED, "stats eval", &e);
            break;
        }
        wall[nw++] = (double)(t1 - t0);
        ops->read_stats(b, inst, &out);
        if (out.has_hw)
            hw[nhw++] = (double)out.hw_ns;
        else if (!reason[0])
            ab_strlcpy(reason, out.hw_reason[0] ? out.hw_reason : "no hardware time", sizeof reason);
    }
    ab_err off;
    ab_err_clear(&off);
    if (ops->set_stats(b, inst, false, &off) != AB_OK && r->status == AB_ST_OK)
        fail(r, AB_ST_FAILED, "stats off", &off);
    if (nw > 0)
        stats_summarize(wall, nw, &r->stats_wall);
    if (nhw > 0 && nhw == nw)
        record_set_hw_samples(r, hw, nhw);
    else
        record_set_text(&r->hw_reason,
                        reason[0] ? reason : "no hardware time for some evals of the stats batch");
    free(wall);
    free(hw);
}

/* Reads the output back and checks it against the CPU reference. */
static void verify(ab_backend *b, void *inst, const ab_kernel *k, ab_record *r)
{
    if (!b->ops->output) {
        r->verify_pass = -1;
        return;
    }
    float *out = ab_host_alloc(k->out_rows * k->out_cols * sizeof *out);
    ab_err e;
    ab_err_clear(&e);
    if (!out || b->ops->output(b, inst, out, &e) != AB_OK) {
        free(out);
        if (!out)
            ab_errf(&e, AB_EFAIL, "out of memory");
        fail(r, AB_ST_FAILED, "output", &e);
        return;
    }
    ab_verify v;
    kernel_verify(k, out, b->fp16_compute, &v);
    free(out);
    r->verify_pass = v.pass;
    r->max_abs_err = v.max_abs_err;
    r->tolerance = v.tolerance;
    r->verify_checked = v.checked;
    if (!v.pass && r->status == AB_ST_OK) {
        r->status = AB_ST_WRONG_OUTPUT;
        record_printf(&r->reason,
                      "output differs from the CPU reference: max abs error %.6g > tolerance %.6g",
                      v.max_abs_err, v.tolerance);
    }
}

/* Says which phase starts (to whoever listens: the worker's scheduler). */
static void phase(ab_backend *b, const char *name)
{
    if (b->on_phase)
        b->on_phase(b->on_phase_arg, name);
}

/* One phase's samples, ns, over the repeats. */
typedef struct phase_times {
    double t[AB_NPHASES][AB_MAX_PHASE_REPEATS];
    size_t n[AB_NPHASES];
} phase_times;

static void note_phase(phase_times *pt, int ph, uint64_t t0, uint64_t t1)
{
    if (pt->n[ph] < AB_MAX_PHASE_REPEATS)
        pt->t[ph][pt->n[ph]++] = (double)(t1 - t0);
}

/* Repeat rep (2..) of compile, load, first eval, unload, reload, unload on a
 * program of its own: the case's weights with the first value of every
 * layer changed (kernel_vary), so the compile is cold (the system caches
 * compiled programs by content: ANE-NOTES) and so measures what the first
 * compile measured. Nothing is sampled or verified, and the engine is told
 * so (k->output_unread: a simulator computes no output for it). 0, or -1
 * with the case failed. */
static int repeat_phases(ab_backend *b, ab_kernel *k, int rep, phase_times *pt, ab_record *r)
{
    const ab_backend_ops *ops = b->ops;
    ab_err e;
    ab_err_clear(&e);
    char stage[48];
    void *inst = NULL;
    int rc;
    if (kernel_vary(k, rep)) {
        rc = ab_errf(&e, AB_EFAIL, "out of memory");
    } else {
        k->output_unread = 1;
        rc = ops->prepare(b, k, &inst, &e);
        k->output_unread = 0;
        kernel_vary(k, 1);
    }
    if (rc != AB_OK) {
        snprintf(stage, sizeof stage, "prepare (repeat %d)", rep);
        fail(r, AB_ST_FAILED, stage, &e);
        return -1;
    }
    static const char *const names[] = {"compile", "load", "first eval", "unload", "reload", "unload after reload"};
    int step = 0;
    ab_eval_out out;
    memset(&out, 0, sizeof out);
    for (; step < 6; step++) {
        phase(b, names[step]);
        uint64_t t0 = ab_now_ns();
        switch (step) {
        case 0: rc = ops->compile(b, inst, &e); break;
        case 1: case 4: rc = ops->load(b, inst, &e); break;
        case 2: rc = ops->eval(b, inst, &out, &e); break;
        default: rc = ops->unload(b, inst, &e); break;
        }
        uint64_t t1 = ab_now_ns();
        if (rc != AB_OK)
            break;
        if (step < 5)
            note_phase(pt, step, t0, t1);
        if (step == 1 && ops->io_setup) { /* untimed, as for the case's own program */
            ab_io_facts f;
            if ((rc = ops->io_setup(b, inst, &f, &e)) != AB_OK) {
                step = 2; /* reported as the first eval's: it cannot run */
                break;
            }
        }
    }
    if (rc != AB_OK) {
        if (step == 2 || step == 5)
            ops->unload(b, inst, NULL);
        snprintf(stage, sizeof stage, "%s (repeat %d)", names[step], rep);
        fail(r, AB_ST_FAILED, stage, &e);
    }
    ops->release(b, inst);
    return rc == AB_OK ? 0 : -1;
}

/* Timed phases after prepare; inst is released by the caller. */
static void run_phases(ab_backend *b, void *inst, const ab_kernel *k, const ab_settings *s, ab_record *r,
                       phase_times *pt)
{
    const ab_backend_ops *ops = b->ops;
    ab_err e;
    ab_err_clear(&e);
    uint64_t t0, t1;

    phase(b, "compile");
    t0 = ab_now_ns();
    int rc = ops->compile(b, inst, &e);
    t1 = ab_now_ns();
    if (rc != AB_OK) {
        fail(r, AB_ST_FAILED, "compile", &e);
        return;
    }
    r->compile_ms = ms_since(t0, t1);
    note_phase(pt, AB_PH_COMPILE, t0, t1);
    const char *cache = ops->compile_cache ? ops->compile_cache(b, inst) : NULL;
    ab_strlcpy(r->compile_cache, cache ? cache : "n/a", sizeof r->compile_cache);

    phase(b, "load");
    t0 = ab_now_ns();
    rc = ops->load(b, inst, &e);
    t1 = ab_now_ns();
    if (rc != AB_OK) {
        fail(r, AB_ST_FAILED, "load", &e);
        return;
    }
    r->load_ms = ms_since(t0, t1);
    note_phase(pt, AB_PH_LOAD, t0, t1);

    /* Untimed: surfaces sized from what the compile produced. */
    if (ops->io_setup) {
        ab_io_facts f;
        if (ops->io_setup(b, inst, &f, &e) != AB_OK) {
            fail(r, AB_ST_FAILED, "io setup", &e);
            ops->unload(b, inst, &e);
            return;
        }
        r->in_row_stride = f.in_row;
        r->in_plane_stride = f.in_plane;
        r->out_row_stride = f.out_row;
        r->out_plane_stride = f.out_plane;
        ab_strlcpy(r->layout, f.layout, sizeof r->layout);
        record_set_text(&r->layout_note, f.layout_note);
        record_set_text(&r->path_note, f.path_note);
    }

    ab_eval_out out;
    memset(&out, 0, sizeof out);
    phase(b, "first eval");
    t0 = ab_now_ns();
    rc = ops->eval(b, inst, &out, &e);
    t1 = ab_now_ns();
    if (rc != AB_OK) {
        fail(r, AB_ST_FAILED, "first eval", &e);
        ops->unload(b, inst, &e);
        return;
    }
    r->first_eval_ms = ms_since(t0, t1);
    note_phase(pt, AB_PH_FIRST_EVAL, t0, t1);
    ab_strlcpy(r->eval_path, out.path ? out.path : "none", sizeof r->eval_path);

    sampling sm;
    memset(&sm, 0, sizeof sm);
    r->status = AB_ST_OK;
    phase(b, "eval");
    int src = sample_evals(b, inst, s, r, &sm);
    if (src == 0 || sm.n > 0) {
        record_set_eval_samples(r, sm.wall, sm.n);
        if (sm.path)
            ab_strlcpy(r->eval_path, sm.path, sizeof r->eval_path);
    }
    free(sm.wall);
    if (src == 0 && r->status == AB_ST_OK) {
        phase(b, "stats batch");
        stats_batch(b, inst, sm.n < STATS_BATCH_MAX ? sm.n : STATS_BATCH_MAX, r);
    } else if (!r->hw_reason[0]) {
        record_set_text(&r->hw_reason, "no stats batch (the steady state did not finish)");
    }
    if (r->status == AB_ST_OK) {
        phase(b, "verify");
        verify(b, inst, k, r);
    }

    phase(b, "unload");
    t0 = ab_now_ns();
    rc = ops->unload(b, inst, &e);
    t1 = ab_now_ns();
    if (rc != AB_OK) {
        if (r->status == AB_ST_OK)
            fail(r, AB_ST_FAILED, "unload", &e);
        return;
    }
    r->unload_ms = ms_since(t0, t1);
    note_phase(pt, AB_PH_UNLOAD, t0, t1);

    /* Reload: load again after the unload (what re-using a compiled program costs). */
    phase(b, "reload");
    t0 = ab_now_ns();
    rc = ops->load(b, inst, &e);
    t1 = ab_now_ns();
    if (rc != AB_OK) {
        if (r->status == AB_ST_OK)
            fail(r, AB_ST_FAILED, "reload", &e);
        return;
    }
    r->reload_ms = ms_since(t0, t1);
    note_phase(pt, AB_PH_RELOAD, t0, t1);
    phase(b, "unload");
    if (ops->unload(b, inst, &e) != AB_OK && r->status == AB_ST_OK)
        fail(r, AB_ST_FAILED, "unload after reload", &e);
}

/* The further repeats of the phases (--phase-repeats), within the compile
 * budget the backend has left, then every phase's samples into r. */
static void repeat_and_record(ab_backend *b, ab_kernel *k, const ab_settings *s, ab_record *r, phase_times *pt)
{
    int want = s->phase_repeats < 1 ? 1 : s->phase_repeats > AB_MAX_PHASE_REPEATS ? AB_MAX_PHASE_REPEATS
                                                                                  : s->phase_repeats;
    int done = pt->n[AB_PH_RELOAD] > 0 ? 1 : 0;
    for (int rep = 2; done > 0 && r->status == AB_ST_OK && rep <= want; rep++) {
        /* Each repeat compiles once: never past the process's budget. */
        if (b->ops->compile_budget_left && b->ops->compile_budget_left(b) == 0)
            break;
        if (repeat_phases(b, k, rep, pt, r) != 0)
            break;
        done++;
    }
    r->phase_repeats = done > 0 ? done : 1;
    for (int ph = 0; ph < AB_NPHASES; ph++)
        if (pt->n[ph] > 0)
            record_set_phase_samples(r, ph, pt->t[ph], pt->n[ph]);
}

int run_case(ab_backend *b, const ab_case *c, const ab_settings *s, ab_record *r)
{
    uint64_t case_t0 = ab_now_ns();
    ab_hostload hl;
    hostload_start(&hl);
    record_init(r, c);
    record_set_text(&r->backend, b->spec);
    r->simulated = b->simulated;
    r->flops = case_flops(c);
    r->bytes = case_bytes(c);
    r->attempt = 1;
    ab_utc_iso(r->started, sizeof r->started, 0);
    ab_strlcpy(r->compile_cache, "n/a", sizeof r->compile_cache);
    b->settings = s; /* for the engines' builds (weights_layout); cleared below */

    const char *bad = case_invalid_reason(c);
    char why[256] = "";
    if (bad) {
        r->status = AB_ST_SKIPPED;
        record_set_text(&r->reason, bad);
    } else if (b->ops->supports && !b->ops->supports(b, c, why, sizeof why)) {
        r->status = AB_ST_SKIPPED;
        record_set_text(&r->reason, why[0] ? why : "not supported by this backend");
    } else {
        ab_kernel k;
        ab_err e;
        ab_err_clear(&e);
        phase_times pt;
        memset(&pt, 0, sizeof pt);
        phase(b, "prepare");
        if (kernel_make(&k, c, (uint64_t)s->seed, &e) != AB_OK) {
            fail(r, AB_ST_FAILED, "prepare", &e);
        } else {
            void *inst = NULL;
            if (b->ops->prepare(b, &k, &inst, &e) != AB_OK)
                fail(r, AB_ST_FAILED, "prepare", &e);
            else
                run_phases(b, inst, &k, s, r, &pt);
            if (inst)
                b->ops->release(b, inst);
            if (r->status == AB_ST_OK)
                repeat_and_record(b, &k, s, r, &pt);
            kernel_free(&k);
        }
    }
    b->settings = NULL;
    r->wall_s = (double)(ab_now_ns() - case_t0) / 1e9;
    r->load_avg = hl.load_avg;
    char busy[160];
    busy[0] = '\0';
    r->contended = hostload_end(&hl, &r->cpu_per_wall, &r->ctx_invol, busy, sizeof busy);
    record_set_text(&r->contention, busy);
    return AB_OK;
}
