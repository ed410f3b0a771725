/* scheduler.c: runs the cases and journals their records.
 *
 * Isolated (the default) each case runs in a worker process (worker.h) with
 * a per-case timeout; a worker is replaced after compiles_per_worker cases,
 * before its backend's compile budget runs out, and after any failure. A
 * crashed or timed-out case is retried up to settings.retries times, each
 * time in a fresh worker. In-process (--no-isolate) cases run through
 * run_case here. Every record is stamped with the thermal state and power
 * source seen as its case started and appended to the run directory (flushed)
 * before the next case starts. */
#include "harness/scheduler.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/clock.h"
#include "harness/runmeta.h"
#include "harness/runner.h"
#include "harness/worker.h"
#include "kernels/kernel.h"

static double now_s(void)
{
    return (double)ab_now_ns() / 1e9;
}

static int is_interrupted(const ab_sched *sc)
{
    return sc->interrupted && *sc->interrupted;
}

/* Sleeps s seconds in short steps; returns early (1) when interrupted. */
static int pause_s(const ab_sched *sc, double s)
{
    double until = now_s() + s;
    while (!is_interrupted(sc)) {
        double left = until - now_s();
        if (left <= 0)
            return 0;
        double step = left < 0.1 ? left : 0.1;
        struct timespec ts = {0, (long)(step * 1e9)};
        nanosleep(&ts, NULL);
    }
    return 1;
}

/* A seeded random rank of sweep position index in a round: the same seed
 * ranks every case the same way, whatever else is in the list (splitmix64
 * of all three); each round (--repeat) gets an order of its own. */
static uint64_t seeded_rank(long seed, size_t index, int round)
{
    ab_rng rng;
    uint64_t r = round > 1 ? (uint64_t)round * 0xD1B54A32D192ED03ULL : 0;
    rng_seed(&rng, ((uint64_t)seed * 0x9E3779B97F4A7C15ULL ^ (uint64_t)index) + r);
    return rng_next(&rng);
}

typedef struct ranked {
    int round;
    uint64_t rank;
    size_t index, at;
} ranked;

/* Round by round (--repeat interleaves whole rounds), ranked within one. */
static int by_rank(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->round != y->round)
        return x->round < y->round ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

int scheduler_order(const ab_case *cases, size_t n, long seed, size_t *order)
{
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    if (seed < 0 || n < 2)
        return AB_OK;
    ranked *r = malloc(n * sizeof *r);
    if (!r)
        return AB_EFAIL;
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){cases[i].round > 1 ? cases[i].round : 1,
                        seeded_rank(seed, cases[i].index, cases[i].round), cases[i].index, i};
    qsort(r, n, sizeof *r, by_rank);
    for (size_t i = 0; i < n; i++)
        order[i] = r[i].at;
    free(r);
    return AB_OK;
}

/* Waits (at most wait_nominal_max) for a nominal thermal state. A platform
 * that reports none is not waited for. */
static void read_thermal(const ab_sched *sc, char *state, size_t n)
{
    if (sc->thermal)
        sc->thermal(state, n);
    else
        host_thermal(state, n);
}

/* Says what the wait is doing, on its own line (the progress line is
 * cleared first; quiet runs say nothing). */
static void wait_note(const ab_sched *sc, const char *fmt, const char *state, double secs)
{
    if (!sc->progress || sc->progress->quiet)
        return;
    FILE *f = sc->progress->out ? sc->progress->out : stderr;
    progress_clear(sc->progress);
    fprintf(f, "anebench: ");
    fprintf(f, fmt, state, secs);
    fputc('\n', f);
    fflush(f);
}

static void wait_nominal(const ab_sched *sc)
{
    double t0 = now_s(), until = t0 + sc->s->wait_nominal_max;
    char state[32];
    int waited = 0;
    for (;;) {
        read_thermal(sc, state, sizeof state);
        if (!state[0] || !strcmp(state, "nominal")) {
            if (waited)
                wait_note(sc, "thermal state %s after %.3g s: going on", state[0] ? state : "unknown",
                          now_s() - t0);
            return;
        }
        if (now_s() >= until) {
            wait_note(sc, "thermal state still %s after %.3g s (--wait-nominal-max): going on anyway", state,
                      now_s() - t0);
            return;
        }
        if (!waited)
            wait_note(sc, "thermal state %s: waiting up to %.3g s for nominal (--wait-nominal)", state,
                      sc->s->wait_nominal_max);
        waited = 1;
        double left = until - now_s();
        if (pause_s(sc, left < 1.0 ? left : 1.0))
            return;
    }
}

/* The pause before a case (settings.cooldown > 0), as the machine asks:
 * with --cooldown-fixed the whole cooldown; else only while the machine
 * reports heat (a thermal state other than nominal: macOS's NSProcessInfo
 * thermalState, Linux's hottest zone against its trip points), at most the
 * cooldown, ending early once it reports nominal again. A machine that
 * reports nothing is not waited for (counted, and said at the end by the
 * command): a fixed pause there costs time and shows nothing. Returns the
 * seconds waited and why ("machine: thermal state fair", "fixed", ""). */
static double cooldown(ab_sched *sc, char *why, size_t n)
{
    why[0] = '\0';
    double t0 = now_s();
    if (sc->s->cooldown_fixed) {
        pause_s(sc, sc->s->cooldown);
        ab_strlcpy(why, "fixed", n);
        sc->cool_taken++;
        sc->cool_s += now_s() - t0;
        return now_s() - t0;
    }
    char state[32];
    read_thermal(sc, state, sizeof state);
    if (!state[0]) {
        sc->cool_unknown++;
        return 0;
    }
    if (!strcmp(state, "nominal")) {
        sc->cool_nominal++;
        return 0;
    }
    snprintf(why, n, "machine: thermal state %s", state);
    double until = t0 + sc->s->cooldown;
    while (!is_interrupted(sc) && now_s() < until) {
        double left = until - now_s();
        if (pause_s(sc, left < 0.25 ? left : 0.25))
            break;
        read_thermal(sc, state, sizeof state);
        if (!strcmp(state, "nominal"))
            break;
    }
    double waited = now_s() - t0;
    sc->cool_taken++;
    sc->cool_s += waited;
    sc->cool_machine_s += waited;
    return waited;
}

/* A record for a case whose worker never answered. */
static void worker_lost_record(const ab_sched *sc, const ab_case *c, ab_status st, const char *reason,
                               const char *started, double secs, int worker, int attempt, ab_record *r)
{
    record_init(r, c);
    r->status = st;
    record_set_text(&r->reason, reason);
    record_set_text(&r->backend, sc->backend_spec);
    r->simulated = sc->backend ? sc->backend->simulated : false;
    r->flops = case_flops(c);
    r->bytes = case_bytes(c);
    ab_strlcpy(r->started, started, sizeof r->started);
    ab_strlcpy(r->compile_cache, "n/a", sizeof r->compile_cache);
    r->wall_s = secs;
    r->worker = worker;
    r->attempt = attempt;
}

typedef struct pool {
    ab_worker w;
    int next_id;
} pool;

static void pool_publish(const ab_sched *sc, const pool *p)
{
    if (sc->worker_pid)
        *sc->worker_pid = (sig_atomic_t)p->w.pid;
}

/* Stops the pool's worker; one that does not end cleanly after its cases
 * is said on stderr (its records are journaled already). */
static void pool_stop(ab_sched *sc, pool *p)
{
    char why[160];
    int id = p->w.id;
    if (worker_stop(&p->w, 5.0, why, sizeof why) != 0 && !p->w.said_error) {
        if (sc->progress)
            progress_clear(sc->progress);
        fprintf(stderr, "anebench: note: worker %d %s after its cases (see its messages above)\n", id, why);
    }
    pool_publish(sc, p);
}

/* A worker ready for one more case: replaced when it has done its share of
 * compiles or its backend has no budget left. */
static int pool_get(ab_sched *sc, pool *p, ab_err *e)
{
    const ab_worker *w = &p->w;
    /* A case compiles once per phase repeat. */
    long per_case = sc->s->phase_repeats > 1 ? sc->s->phase_repeats : 1;
    if (w->pid > 0 && ((long)w->cases_run * per_case >= sc->s->compiles_per_worker ||
                       (w->compiles_left >= 0 && w->compiles_left < per_case)))
        pool_stop(sc, p);
    if (p->w.pid > 0)
        return AB_OK;
    int rc = worker_spawn(&p->w, sc->exe, sc->backend_spec, sc->s, p->next_id++, e);
    pool_publish(sc, p);
    return rc;
}

static void pool_drop(ab_sched *sc, pool *p)
{
    pool_stop(sc, p);
}

/* One attempt of case c in a worker. AB_OK with *r filled (any status),
 * AB_EINTR, or a fatal error (workers cannot run at all). */
static int attempt_isolated(ab_sched *sc, pool *p, const ab_case *c, int attempt, ab_record *r, ab_err *e)
{
    char started[32], reason[400];
    ab_utc_iso(started, sizeof started, 0);
    double t0 = now_s();
    int rc = pool_get(sc, p, e);
    if (rc != AB_OK)
        return rc;
    if (worker_send_case(&p->w, c, attempt, e) != AB_OK) {
        if (p->w.said_error) { /* e.g. its backend would not open: fatal */
            pool_drop(sc, p);
            return AB_EFAIL;
        }
        /* It died since its last case (after sending that record): a fresh one. */
        pool_drop(sc, p);
        if ((rc = pool_get(sc, p, e)) != AB_OK || (rc = worker_send_case(&p->w, c, attempt, e)) != AB_OK)
            return rc;
    }
    int id = p->w.id;
    ab_wend end = worker_wait_record(&p->w, sc->s->timeout, sc->interrupted, r, reason, sizeof reason, e);
    pool_publish(sc, p);
    switch (end) {
    case WE_RECORD:
        r->worker = id;
        r->attempt = attempt;
        if (r->status != AB_ST_OK && r->status != AB_ST_SKIPPED)
            pool_drop(sc, p); /* a worker that failed once is not trusted again */
        return AB_OK;
    case WE_CRASHED:
        worker_lost_record(sc, c, AB_ST_CRASHED, reason, started, now_s() - t0, id, attempt, r);
        return AB_OK;
    case WE_TIMEOUT:
        worker_lost_record(sc, c, AB_ST_TIMEOUT, reason, started, now_s() - t0, id, attempt, r);
        return AB_OK;
    case WE_INTERRUPTED:
        return ab_errf(e, AB_EINTR, "interrupted");
    case WE_FATAL:
    default:
        return e && e->code ? e->code : AB_EFAIL;
    }
}

/* Case c to its final record, retrying crashes and timeouts. */
static int run_one(ab_sched *sc, pool *p, const ab_case *c, ab_record *r, ab_err *e)
{
    if (!sc->s->isolate) {
        int rc = run_case(sc->backend, c, sc->s, r);
        r->worker = 0;
        return rc;
    }
    for (int attempt = 1;; attempt++) {
        int rc = attempt_isolated(sc, p, c, attempt, r, e);
        if (rc != AB_OK)
            return rc;
        int retryable = r->status == AB_ST_CRASHED || r->status == AB_ST_TIMEOUT;
        if (!retryable || attempt > sc->s->retries)
            return AB_OK;
        record_free(r);
    }
}

int scheduler_run(ab_sched *sc, ab_case *cases, size_t n, ab_err *e)
{
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return ab_errf(e, AB_EFAIL, "out of memory");
    if (scheduler_order(cases, n, sc->s->shuffle, order) != AB_OK) {
        free(order);
        return ab_errf(e, AB_EFAIL, "out of memory");
    }
    if (sc->s->isolate && !sc->exe) {
        free(order);
        return ab_errf(e, AB_EFAIL, "scheduler: no path to the anebench binary for workers");
    }

    pool p;
    memset(&p, 0, sizeof p);
    p.w.to_fd = p.w.from_fd = -1;
    p.next_id = sc->first_worker_id > 0 ? sc->first_worker_id : 1;
    int rc = AB_OK;
    int vary[AX_COUNT];
    case_varying_axes(cases, n, vary);
    if (sc->progress)
        progress_plan(sc->progress, cases, order, sc->s, sc->done_before, sc->n_done_before);
    for (size_t k = 0; k < n && rc == AB_OK; k++) {
        char cool_why[64] = "";
        double cool_s = k > 0 && sc->s->cooldown > 0 ? cooldown(sc, cool_why, sizeof cool_why) : 0;
        if (!is_interrupted(sc) && sc->s->wait_nominal)
            wait_nominal(sc);
        if (is_interrupted(sc)) {
            rc = ab_errf(e, AB_EINTR, "interrupted");
            break;
        }
        const ab_case *c = &cases[order[k]];
        char key[AB_KEY_MAX], thermal[32], power[32];
        case_key(c, key, sizeof key);
        read_thermal(sc, thermal, sizeof thermal);
        host_power(power, sizeof power);
        if (sc->progress) {
            char label[AB_KEY_MAX];
            int len = case_brief(c, vary, label, sizeof label);
            if (sc->s->repeat > 1 && len >= 0 && (size_t)len < sizeof label)
                snprintf(label + len, sizeof label - (size_t)len, " (round %d of %d)", c->round,
                         sc->s->repeat);
            progress_start(sc->progress, k, label);
        }
        double t0 = now_s();
        ab_record r;
        memset(&r, 0, sizeof r);
        rc = run_one(sc, &p, c, &r, e);
        if (rc != AB_OK) {
            record_free(&r);
            break;
        }
        r.round = c->round > 1 ? c->round : 1; /* a worker knows the case, not its round */
        ab_strlcpy(r.thermal_state, thermal, sizeof r.thermal_state);
        ab_strlcpy(r.power_source, power, sizeof r.power_source);
        r.cooldown_s = cool_s;
        record_set_text(&r.cooldown_why, cool_why);
        rc = rundir_append(sc->dir, &r, e);
        if ((unsigned)r.status < AB_ST_COUNT)
            sc->counts[r.status]++;
        if (sc->progress)
            progress_done(sc->progress, &r, now_s() - t0);
        record_free(&r);
    }
    pool_drop(sc, &p);
    free(order);
    return rc;
}
