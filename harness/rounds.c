/* rounds.c: the rounds of a sweep (--repeat): the interleaved case list,
 * and one record per key made of its rounds' records (see rounds.h). */
#include "harness/rounds.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rounds_expand(ab_case **cases, size_t *n, int rounds, ab_err *e)
{
    if (rounds <= 1 || *n == 0) {
        for (size_t i = 0; i < *n; i++)
            (*cases)[i].round = 1;
        return AB_OK;
    }
    if (*n > SIZE_MAX / sizeof **cases / (size_t)rounds)
        return ab_errf(e, AB_EFAIL, "out of memory");
    ab_case *all = malloc(*n * (size_t)rounds * sizeof *all);
    if (!all)
        return ab_errf(e, AB_EFAIL, "out of memory");
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < *n; i++) {
            all[(size_t)r * *n + i] = (*cases)[i];
            all[(size_t)r * *n + i].round = r + 1;
        }
    free(*cases);
    *cases = all;
    *n *= (size_t)rounds;
    return AB_OK;
}

/* ---- one summary of several rounds --------------------------------------- */

/* Where a summary, its samples and their count sit: in a record, or (ph)
 * in its phase block (record.h ab_phases). */
typedef struct sum_at {
    size_t sum, samples, count; /* offsets; samples 0: a summary without samples */
    int ph;                     /* 1: offsets in the record's ab_phases */
} sum_at;

#define SUM_AT(s, p, c)                                                                                      \
    {                                                                                                        \
        offsetof(ab_record, s), offsetof(ab_record, p), offsetof(ab_record, c), 0                            \
    }
#define PH_AT(i)                                                                                             \
    {                                                                                                        \
        offsetof(ab_phases, st[i]), offsetof(ab_phases, samples[i]), offsetof(ab_phases, n_samples[i]), 1    \
    }
static const sum_at summaries[AB_NRSUM] = {
    [AB_RS_EVAL] = SUM_AT(eval, eval_samples, n_eval_samples),
    [AB_RS_HW] = SUM_AT(hw, hw_samples, n_hw_samples),
    [AB_RS_PHASE0 + AB_PH_COMPILE] = PH_AT(AB_PH_COMPILE),
    [AB_RS_PHASE0 + AB_PH_LOAD] = PH_AT(AB_PH_LOAD),
    [AB_RS_PHASE0 + AB_PH_FIRST_EVAL] = PH_AT(AB_PH_FIRST_EVAL),
    [AB_RS_PHASE0 + AB_PH_UNLOAD] = PH_AT(AB_PH_UNLOAD),
    [AB_RS_PHASE0 + AB_PH_RELOAD] = PH_AT(AB_PH_RELOAD),
};

/* A record without a phase block reads as one of nothing measured. */
static const ab_summary no_summary = {0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};

static const ab_summary *csum_of(const ab_record *r, const sum_at *a)
{
    if (a->ph && !r->ph)
        return &no_summary;
    return (const ab_summary *)(const void *)((const char *)(a->ph ? (const void *)r->ph : (const void *)r) +
                                              a->sum);
}
/* The next three only where the block exists (merge_summary makes it). */
static char *base_of(ab_record *r, const sum_at *a)
{
    return a->ph ? (char *)r->ph : (char *)r;
}
static ab_summary *sum_of(ab_record *r, const sum_at *a)
{
    return (ab_summary *)(void *)(base_of(r, a) + a->sum);
}
static double **samples_of(ab_record *r, const sum_at *a)
{
    return (double **)(void *)(base_of(r, a) + a->samples);
}
static size_t *count_of(ab_record *r, const sum_at *a)
{
    return (size_t *)(void *)(base_of(r, a) + a->count);
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(double *v, size_t n)
{
    qsort(v, n, sizeof *v, dbl_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double lower(double a, double b)
{
    return isnan(a) || b < a ? b : a;
}
static double higher(double a, double b)
{
    return isnan(a) || b > a ? b : a;
}

/* Merges summary a of recs[0..k) into out (which holds the last round's
 * own, samples included); lo / hi get the range of the rounds' medians. */
static int merge_summary(ab_record *out, ab_record *const *recs, size_t k, const sum_at *a, double *lo,
                         double *hi)
{
    double *med = malloc(k * sizeof *med);
    if (!med)
        return AB_EFAIL;
    ab_summary m;
    summary_nan(&m);
    size_t nmed = 0, total = 0, with_samples = 0;
    int keeps_samples = a->samples != 0;
    double wsum = 0, ilo = NAN, ihi = NAN;
    for (size_t i = 0; i < k; i++) {
        const ab_summary *s = csum_of(recs[i], a);
        if (s->n == 0 || isnan(s->median))
            continue;
        med[nmed++] = s->median;
        total += s->n;
        wsum += s->mean * (double)s->n;
        m.min = lower(m.min, s->min);
        m.max = higher(m.max, s->max);
        ilo = lower(lower(ilo, s->median), s->ci_low);
        ihi = higher(higher(ihi, s->median), s->ci_high);
        *lo = lower(*lo, s->median);
        *hi = higher(*hi, s->median);
        with_samples += keeps_samples && *count_of(recs[i], a) > 0;
    }
    if (nmed == 0) {
        free(med);
        return AB_OK; /* no round has it: the last round's (empty) stays */
    }
    if (a->ph && !record_phases(out)) {
        free(med);
        return AB_EFAIL;
    }
    double *pool = NULL;
    if (keeps_samples && with_samples == nmed) { /* every round kept its samples: together */
        size_t np = 0;
        for (size_t i = 0; i < k; i++)
            np += csum_of(recs[i], a)->n ? *count_of(recs[i], a) : 0;
        pool = malloc((np ? np : 1) * sizeof *pool);
        if (!pool) {
            free(med);
            return AB_EFAIL;
        }
        np = 0;
        for (size_t i = 0; i < k; i++) {
            size_t c = csum_of(recs[i], a)->n ? *count_of(recs[i], a) : 0;
            if (c)
                memcpy(pool + np, *samples_of(recs[i], a), c * sizeof *pool);
            np += c;
        }
        stats_summarize(pool, np, &m);
        free(*samples_of(out, a));
        *samples_of(out, a) = pool;
        *count_of(out, a) = np;
    } else {
        if (keeps_samples) { /* some round kept none: none together */
            free(*samples_of(out, a));
            *samples_of(out, a) = NULL;
            *count_of(out, a) = 0;
        }
        m.mean = wsum / (double)total;
    }
    m.n = total;
    m.median = median_of(med, nmed);
    m.ci_low = ilo;
    m.ci_high = ihi;
    *sum_of(out, a) = m;
    free(med);
    return AB_OK;
}

/* ---- one record of a key's rounds ----------------------------------------- */

/* The stats batch keeps no samples: merged from its summaries. */
static const sum_at stats_wall_at = {offsetof(ab_record, stats_wall), 0, 0, 0};

/* out = the merge of recs[0..k) (round order): a copy of the last round
 * (or of the last round not ok) with the merged figures, taking over that
 * record's texts and arrays; every record of recs is freed or taken. */
static int merge_key(ab_record *out, ab_record **recs, size_t k)
{
    ab_record *base = recs[k - 1];
    for (size_t i = 0; i < k; i++)
        if (recs[i]->status != AB_ST_OK)
            base = recs[i];
    ab_record m = *base; /* shares base's texts and arrays until base is cleared */
    int rc = AB_OK;
    m.n_rounds = (int)k;
    for (int i = 0; i < AB_NRSUM; i++)
        m.round_lo[i] = m.round_hi[i] = NAN;
    if (base->status != AB_ST_OK) {
        char why[AB_REASON_MAX];
        snprintf(why, sizeof why, "round %d of %zu: %s", base->round, k, base->reason);
        m.reason = NULL; /* base's text is freed with base */
        rc = record_set_text(&m.reason, why);
        record_set_text(&base->reason, NULL);
    } else {
        /* Each merge reads every round's summary and samples before it
         * replaces m's (= base's) samples of that summary. */
        for (int i = 0; i < AB_NRSUM && rc == AB_OK; i++)
            if (i != AB_RS_HW || m.has_hw)
                rc = merge_summary(&m, recs, k, &summaries[i], &m.round_lo[i], &m.round_hi[i]);
        double lo = NAN, hi = NAN;
        if (rc == AB_OK)
            rc = merge_summary(&m, recs, k, &stats_wall_at, &lo, &hi);
        double *ms[AB_NPHASES] = {&m.compile_ms, &m.load_ms, &m.first_eval_ms, &m.unload_ms, &m.reload_ms};
        for (int p = 0; m.ph && p < AB_NPHASES; p++)
            if (m.ph->st[p].n)
                *ms[p] = m.ph->st[p].median / 1e6;
        m.gflops_wall = m.eval.n && m.eval.median > 0 && !isnan(m.flops) ? m.flops / m.eval.median : NAN;
        m.gflops_hw = m.has_hw && m.hw.n && m.hw.median > 0 && !isnan(m.flops) ? m.flops / m.hw.median : NAN;
        m.wall_s = 0;
        m.verify_pass = 1;
        for (size_t i = 0; i < k; i++) {
            const ab_record *r = recs[i];
            m.wall_s += isnan(r->wall_s) ? 0 : r->wall_s;
            if (r->verify_pass == 0 || (r->verify_pass == -1 && m.verify_pass == 1))
                m.verify_pass = r->verify_pass;
            m.max_abs_err = higher(m.max_abs_err, r->max_abs_err);
            if (r->contended == 1 && m.contended != 1) {
                m.contended = 1;
                if (record_set_text(&m.contention, r->contention) != AB_OK)
                    rc = AB_EFAIL;
            } else if (r->contended == -1 && m.contended == 0) {
                m.contended = -1;
            }
        }
    }
    /* base's texts and arrays are m's now: forget them, free the rest. */
    for (size_t f = 0; f < ab_record_nfields; f++)
        if (ab_record_fields[f].type == RF_TEXT)
            *(const char **)(void *)((char *)base + ab_record_fields[f].off) = NULL;
    base->eval_samples = base->hw_samples = NULL;
    base->ph = NULL; /* m's, with the samples in it */
    for (size_t i = 0; i < k; i++)
        if (recs[i] != base)
            record_free(recs[i]);
    *out = m;
    return rc;
}

/* Record indexes sorted by key, then position (rounds in journal order). */
typedef struct by_key {
    const ab_record *recs;
    size_t at;
} by_key;

static int by_key_cmp(const void *a, const void *b)
{
    const by_key *x = a, *y = b;
    int c = strcmp(x->recs[x->at].key, y->recs[y->at].key);
    if (c)
        return c;
    int rx = x->recs[x->at].round, ry = y->recs[y->at].round;
    if (rx != ry)
        return (rx > ry) - (rx < ry);
    return (x->at > y->at) - (x->at < y->at);
}

int rounds_merge(ab_run *run, ab_err *e)
{
    size_t n = run->n;
    if (n < 2 || run->rounds_read == 1)
        return AB_OK; /* every record read is of one round: one per key already (reader.h) */
    by_key *o = malloc(n * sizeof *o);
    ab_record **group = malloc(n * sizeof *group);
    char *gone = calloc(n, 1);
    if (!o || !group || !gone) {
        free(o);
        free(group);
        free(gone);
        return ab_errf(e, AB_EFAIL, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        o[i] = (by_key){run->recs, i};
    qsort(o, n, sizeof *o, by_key_cmp);
    int rc = AB_OK;
    for (size_t s = 0; s < n;) {
        size_t t = s + 1;
        while (t < n && !strcmp(run->recs[o[t].at].key, run->recs[o[s].at].key))
            t++;
        if (t - s > 1) {
            size_t at = o[s].at; /* the merged record goes where the key first was */
            for (size_t j = s; j < t; j++) {
                group[j - s] = &run->recs[o[j].at];
                at = o[j].at < at ? o[j].at : at;
            }
            ab_record merged;
            int mrc = merge_key(&merged, group, t - s);
            if (mrc != AB_OK && rc == AB_OK)
                rc = ab_errf(e, AB_EFAIL, "out of memory");
            for (size_t j = s; j < t; j++)
                gone[o[j].at] = 1;
            run->recs[at] = merged;
            gone[at] = 0;
        }
        s = t;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!gone[i]) {
            if (run->key_hash) /* a merged record is in its key's place: the same hash */
                run->key_hash[k] = run->key_hash[i];
            run->recs[k++] = run->recs[i];
        }
    run->n = k;
    free(o);
    free(group);
    free(gone);
    return rc;
}

int rounds_most(const ab_run *run)
{
    int most = 1;
    for (size_t i = 0; i < run->n; i++)
        if (run->recs[i].n_rounds > most)
            most = run->recs[i].n_rounds;
    return most;
}

double rounds_spread_pct(const ab_record *r, int i)
{
    if (r->n_rounds < 2 || i < 0 || i >= AB_NRSUM)
        return NAN;
    double v = i == AB_RS_EVAL ? r->eval.median
               : i == AB_RS_HW ? r->hw.median
               : r->ph         ? r->ph->st[i - AB_RS_PHASE0].median
                               : NAN;
    if (!(v > 0) || isnan(r->round_lo[i]) || isnan(r->round_hi[i]))
        return NAN;
    return (r->round_hi[i] - r->round_lo[i]) / v * 100.0;
}

int run_load_merged(ab_run *run, const char *path, ab_err *e)
{
    int rc = run_load(run, path, e);
    if (rc == AB_OK && (rc = rounds_merge(run, e)) != AB_OK)
        run_free(run);
    return rc;
}

int run_load_merged_shown(ab_run *run, const char *path, ab_err *e)
{
    int rc = run_load_shown(run, path, e);
    if (rc == AB_OK && (rc = rounds_merge(run, e)) != AB_OK)
        run_free(run);
    return rc;
}

int run_load_all_merged(ab_run *runs, const char *const *paths, size_t n, int shown, ab_err *e)
{
    int rc = run_load_all(runs, paths, n, shown, e);
    for (size_t i = 0; rc == AB_OK && i < n; i++)
        rc = rounds_merge(&runs[i], e);
    if (rc != AB_OK) /* (run_load_all freed them already when it failed: freeing again is nothing) */
        for (size_t i = 0; i < n; i++)
            run_free(&runs[i]);
    return rc;
}
