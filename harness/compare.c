/* compare.c: joins two runs on the case key and classes each case (see
 * compare.h for the rules); per-axis geometric means; sorting. */
#include "harness/compare.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/axis.h"
#include "harness/bigmem.h"
#include "harness/mannwhitney.h"

const ab_cmp_metric_def ab_cmp_metrics[CMP_M_COUNT] = {
    [CMP_M_EVAL] = {"eval", "ns", 0, "steady-state eval time, median"},
    [CMP_M_COMPILE] = {"compile", "ms", 0, "compile time"},
    [CMP_M_LOAD] = {"load", "ms", 0, "load time"},
    [CMP_M_FIRST_EVAL] = {"first-eval", "ms", 0, "first eval after load"},
    [CMP_M_UNLOAD] = {"unload", "ms", 0, "unload time"},
    [CMP_M_RELOAD] = {"reload", "ms", 0, "load after unload"},
    [CMP_M_GFLOPS] = {"gflops", "GFLOPS", 1, "throughput from the eval median (higher is better)"},
    [CMP_M_HW] = {"hw", "ns", 0, "ANE hwExecutionTime, median"},
};

int cmp_metric_find(const char *name)
{
    for (int i = 0; i < CMP_M_COUNT; i++)
        if (!strcmp(name, ab_cmp_metrics[i].name))
            return i;
    return -1;
}

const char *cmp_class_name(ab_cmp_class c)
{
    static const char *const names[CMP_CLASS_COUNT] = {"faster", "slower", "same", "unclear"};
    return (unsigned)c < CMP_CLASS_COUNT ? names[c] : "?";
}

const char *cmp_test_name(ab_cmp_test t)
{
    return t == CMP_TEST_MWU ? "mwu" : t == CMP_TEST_CI ? "ci" : "none";
}

void cmp_opts_default(ab_cmp_opts *o)
{
    o->metric = CMP_M_EVAL;
    o->threshold_pct = 5.0;
    o->alpha = 0.05;
}

static double positive_or_nan(double v)
{
    return isfinite(v) && v > 0.0 ? v : NAN;
}

double cmp_metric_value(const ab_record *r, ab_cmp_metric m, double *ci_low, double *ci_high,
                        const double **samples, size_t *nsamples)
{
    *ci_low = *ci_high = NAN;
    *samples = NULL;
    *nsamples = 0;
    const ab_summary *s = NULL;
    double v = NAN;
    switch (m) {
    case CMP_M_EVAL:
        s = &r->eval;
        v = positive_or_nan(s->median);
        *samples = r->eval_samples;
        *nsamples = r->n_eval_samples;
        break;
    case CMP_M_HW:
        if (!r->has_hw)
            return NAN;
        s = &r->hw;
        v = positive_or_nan(s->median);
        *samples = r->hw_samples;
        *nsamples = r->n_hw_samples;
        break;
    case CMP_M_GFLOPS:
        v = positive_or_nan(r->gflops_wall);
        /* Same information as the eval times: test those, and map the CI. */
        *samples = r->eval_samples;
        *nsamples = r->n_eval_samples;
        if (r->flops > 0 && isfinite(r->eval.ci_low) && isfinite(r->eval.ci_high) && r->eval.ci_low > 0 &&
            r->eval.ci_low <= r->eval.ci_high) {
            *ci_low = r->flops / r->eval.ci_high;
            *ci_high = r->flops / r->eval.ci_low;
            /* gflops_wall is flops/ns = GFLOPS; so are these. */
        }
        break;
    case CMP_M_COMPILE:
    case CMP_M_LOAD:
    case CMP_M_FIRST_EVAL:
    case CMP_M_UNLOAD:
    case CMP_M_RELOAD: {
        /* Measured --phase-repeats times: tested like eval (samples in ns,
         * the CI in the metric's ms); a single measurement: no test. */
        int ph = AB_PH_COMPILE + (int)(m - CMP_M_COMPILE);
        const double ms[AB_NPHASES] = {r->compile_ms, r->load_ms, r->first_eval_ms, r->unload_ms,
                                       r->reload_ms};
        const ab_summary *ps = r->ph ? &r->ph->st[ph] : NULL;
        v = positive_or_nan(ms[ph]);
        if (ps && ps->n >= 2 && r->ph->n_samples[ph] == ps->n) {
            *samples = r->ph->samples[ph];
            *nsamples = r->ph->n_samples[ph];
            if (isfinite(ps->ci_low) && isfinite(ps->ci_high) && ps->ci_low <= ps->ci_high) {
                *ci_low = ps->ci_low / 1e6;
                *ci_high = ps->ci_high / 1e6;
            }
        }
        break;
    }
    default:
        return NAN;
    }
    if (s && s->n > 0 && isfinite(s->ci_low) && isfinite(s->ci_high) && s->ci_low <= s->ci_high) {
        *ci_low = s->ci_low;
        *ci_high = s->ci_high;
    }
    if (isnan(v)) {
        *samples = NULL;
        *nsamples = 0;
    }
    return v;
}

int cmp_metric_rounds(const ab_record *r, ab_cmp_metric m, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (r->n_rounds < 2)
        return 1;
    int i = m == CMP_M_EVAL || m == CMP_M_GFLOPS ? AB_RS_EVAL
            : m == CMP_M_HW                      ? AB_RS_HW
                                                 : AB_RS_PHASE0 + (int)(m - CMP_M_COMPILE);
    double l = r->round_lo[i], h = r->round_hi[i];
    if (!(l > 0) || !(h > 0))
        return r->n_rounds;
    if (m == CMP_M_GFLOPS) { /* flops / time: the slowest round is the lowest */
        *lo = r->flops / h;
        *hi = r->flops / l;
    } else if (m >= CMP_M_COMPILE && m <= CMP_M_RELOAD) {
        *lo = l / 1e6;
        *hi = h / 1e6;
    } else {
        *lo = l;
        *hi = h;
    }
    return r->n_rounds;
}

/* The rounds of both sides (--repeat): a change is called only when every
 * round of one side is beyond every round of the other (a side of one
 * round: its value). Fills the row's rounds fields; 1 when they overlap. */
static int rounds_overlap(ab_cmp_row *row, ab_cmp_metric m)
{
    double bl, bh, ol, oh;
    row->rounds_base = cmp_metric_rounds(row->base, m, &bl, &bh);
    row->rounds_other = cmp_metric_rounds(row->other, m, &ol, &oh);
    row->spread_base_pct = row->rounds_base > 1 ? (bh - bl) / row->vbase * 100.0 : NAN;
    row->spread_other_pct = row->rounds_other > 1 ? (oh - ol) / row->vother * 100.0 : NAN;
    if (row->rounds_base < 2 && row->rounds_other < 2)
        return 0;
    if (isnan(bl))
        bl = bh = row->vbase;
    if (isnan(ol))
        ol = oh = row->vother;
    return !(oh < bl || ol > bh);
}

/* Decides significance for one row; fills test, p, significant. */
static void judge(ab_cmp_row *row, ab_cmp_metric m, double alpha)
{
    double bl, bh, ol, oh;
    const double *bs, *os;
    size_t nb, no;
    cmp_metric_value(row->base, m, &bl, &bh, &bs, &nb);
    cmp_metric_value(row->other, m, &ol, &oh, &os, &no);
    row->p = NAN;
    ab_mwu u;
    if (bs && os && nb > 0 && no > 0 && mwu_test(bs, nb, os, no, MWU_AUTO, &u, NULL) == AB_OK) {
        row->test = CMP_TEST_MWU;
        row->p = u.p;
        row->significant = u.p < alpha;
        return;
    }
    int bci = !isnan(bl), oci = !isnan(ol);
    if (bci && oci) {
        row->test = CMP_TEST_CI;
        row->significant = oh < bl || ol > bh;
    } else if (bci || oci) {
        row->test = CMP_TEST_CI;
        row->significant =
            bci ? (row->vother < bl || row->vother > bh) : (row->vbase < ol || row->vbase > oh);
    } else {
        row->test = CMP_TEST_NONE;
        row->significant = 1;
    }
}

static void classify(ab_cmp_row *row, const ab_cmp_opts *o)
{
    row->ratio = row->vother / row->vbase;
    row->change_pct = (row->ratio - 1.0) * 100.0;
    judge(row, o->metric, o->alpha);
    row->rounds_overlap = rounds_overlap(row, o->metric);
    if (fabs(row->change_pct) <= o->threshold_pct) {
        row->cls = CMP_SAME;
    } else if (!row->significant || row->rounds_overlap) {
        row->cls = CMP_UNCLEAR;
    } else {
        int better = ab_cmp_metrics[o->metric].higher_is_better ? row->ratio > 1.0 : row->ratio < 1.0;
        row->cls = better ? CMP_FASTER : CMP_SLOWER;
    }
}

/* ---- join ---- */

/* The last record of each key of a list, by a hash index of the keys
 * (open addressing; slot = record index + 1, 0 empty): the join is one
 * pass over each side, not two sorts by key text (each comparison a cache
 * miss on two keys). */
typedef struct keyset {
    const ab_record *recs;
    size_t n, mask;
    size_t *slot;
    uint64_t *hash; /* of each record's key */
    char *wins;     /* 1: the last record of its key */
} keyset;

/* Index + 1 of the winning record of key (hash h), 0 when ks has none. */
static size_t keyset_find(const keyset *ks, uint64_t h, const char *key)
{
    size_t at = (size_t)h & ks->mask;
    for (size_t s; (s = ks->slot[at]) != 0; at = (at + 1) & ks->mask)
        if (ks->hash[s - 1] == h && strcmp(ks->recs[s - 1].key, key) == 0)
            return s;
    return 0;
}

static void keyset_free(keyset *ks)
{
    free(ks->slot);
    free(ks->hash);
    free(ks->wins);
}

/* Indexes recs[0..n) (hashes: their keys' ab_key_hash, NULL: computed
 * here); *dups counts the records a later one of the same key replaces. -1
 * when out of memory. */
static int keyset_build(keyset *ks, const ab_record *recs, const uint64_t *hashes, size_t n, size_t *dups)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    memset(ks, 0, sizeof *ks);
    ks->recs = recs;
    ks->n = n;
    ks->mask = cap - 1;
    ks->slot = calloc(cap, sizeof *ks->slot);
    ks->hash = malloc((n ? n : 1) * sizeof *ks->hash);
    ks->wins = calloc(n ? n : 1, 1);
    if (!ks->slot || !ks->hash || !ks->wins)
        return -1;
    *dups = 0;
    for (size_t i = n; i-- > 0;) { /* from the last: the first seen of a key wins */
        uint64_t h = ks->hash[i] = hashes ? hashes[i] : ab_key_hash(recs[i].key);
        size_t at = (size_t)h & ks->mask;
        for (size_t s; (s = ks->slot[at]) != 0; at = (at + 1) & ks->mask)
            if (ks->hash[s - 1] == h && strcmp(recs[s - 1].key, recs[i].key) == 0)
                break;
        if (ks->slot[at]) {
            (*dups)++;
            continue;
        }
        ks->slot[at] = i + 1;
        ks->wins[i] = 1;
    }
    return 0;
}

static void add_pair(ab_cmp_pair *list, size_t *n, const ab_record *b, const ab_record *o, const char *why)
{
    list[*n].base = b;
    list[*n].other = o;
    list[*n].why = why;
    (*n)++;
}

static void join_one(ab_cmp *c, const ab_record *b, const ab_record *o)
{
    if (b->status != o->status) {
        add_pair(c->differs, &c->ndiffers, b, o, "status differs");
        return;
    }
    if (b->status != AB_ST_OK) {
        add_pair(c->uncompared, &c->nuncompared, b, o, "not ok on either side");
        return;
    }
    double l, h;
    const double *s;
    size_t ns;
    double vb = cmp_metric_value(b, c->opts.metric, &l, &h, &s, &ns);
    double vo = cmp_metric_value(o, c->opts.metric, &l, &h, &s, &ns);
    if (isnan(vb) || isnan(vo)) {
        add_pair(c->uncompared, &c->nuncompared, b, o,
                 isnan(vb) && isnan(vo) ? "no value on either side"
                 : isnan(vb)            ? "no value on the base side"
                                        : "no value on the other side");
        return;
    }
    ab_cmp_row *row = &c->rows[c->nrows++];
    memset(row, 0, sizeof *row);
    row->base = b;
    row->other = o;
    row->vbase = vb;
    row->vother = vo;
    classify(row, &c->opts);
    row->kc_ok = case_from_key(b->key, &row->kc, NULL) == AB_OK;
    row->contended = b->contended == 1 || o->contended == 1;
    c->ncontended += row->contended ? 1 : 0;
    c->nrounds_overlap += row->rounds_overlap && row->significant && row->cls == CMP_UNCLEAR;
    row->whatif = c->opts.metric == CMP_M_HW && (record_hw_whatif(b) || record_hw_whatif(o));
    c->nwhatif += row->whatif ? 1 : 0;
    if (row->rounds_base > c->rounds_base)
        c->rounds_base = row->rounds_base;
    if (row->rounds_other > c->rounds_other)
        c->rounds_other = row->rounds_other;
    c->counts[row->cls]++;
}

/* One part of the join: the base records [from, to), into part's lists
 * (which point into the result's: see join_all). */
typedef struct join_part {
    ab_cmp c;
    const ab_record *base, *other;
    const keyset *kb, *ko;
    size_t from, to;
} join_part;

static void *join_range(void *arg)
{
    join_part *p = arg;
    for (size_t i = p->from; i < p->to; i++) {
        if (!p->kb->wins[i])
            continue;
        size_t j = keyset_find(p->ko, p->kb->hash[i], p->base[i].key);
        if (j)
            join_one(&p->c, &p->base[i], &p->other[j - 1]);
        else
            p->c.base_only[p->c.nbase_only++] = &p->base[i];
    }
    return NULL;
}

/* Appends part q's lists and counts to out's (q's lists lie further on in
 * out's arrays: they are moved down). */
static void join_merge(ab_cmp *out, const ab_cmp *q)
{
    memmove(out->rows + out->nrows, q->rows, q->nrows * sizeof *q->rows);
    memmove(out->differs + out->ndiffers, q->differs, q->ndiffers * sizeof *q->differs);
    memmove(out->uncompared + out->nuncompared, q->uncompared, q->nuncompared * sizeof *q->uncompared);
    memmove(out->base_only + out->nbase_only, q->base_only, q->nbase_only * sizeof *q->base_only);
    out->nrows += q->nrows;
    out->ndiffers += q->ndiffers;
    out->nuncompared += q->nuncompared;
    out->nbase_only += q->nbase_only;
    for (int k = 0; k < CMP_CLASS_COUNT; k++)
        out->counts[k] += q->counts[k];
    out->ncontended += q->ncontended;
    out->nrounds_overlap += q->nrounds_overlap;
    out->nwhatif += q->nwhatif;
    out->rounds_base = q->rounds_base > out->rounds_base ? q->rounds_base : out->rounds_base;
    out->rounds_other = q->rounds_other > out->rounds_other ? q->rounds_other : out->rounds_other;
}

enum { JOIN_SPLIT_MIN = 20000 }; /* fewer base records: one thread */

/* Joins every base record that wins its key with other's record of that
 * key, in base order. With many records and a second processor, the
 * second half of base is joined on a thread of its own (each record's
 * test and classing is independent: 100,000 of them were a quarter of a
 * comparison's serial time) into the second half of out's arrays, which
 * hold one entry per winning base record (wins_first: those of the first
 * half); the lists are then put together in base order, as one thread
 * makes them. */
static void join_all(ab_cmp *out, const ab_record *base, size_t nbase, const ab_record *other,
                     const keyset *kb, const keyset *ko, int split)
{
    join_part part[2];
    size_t mid = split ? nbase / 2 : nbase, wins_first = 0;
    for (size_t i = 0; split && i < mid; i++)
        wins_first += kb->wins[i] != 0;
    for (int k = 0; k < 2; k++) {
        memset(&part[k], 0, sizeof part[k]);
        part[k].c.opts = out->opts;
        size_t at = k ? wins_first : 0;
        part[k].c.rows = out->rows + at;
        part[k].c.differs = out->differs + at;
        part[k].c.uncompared = out->uncompared + at;
        part[k].c.base_only = out->base_only + at;
        part[k].base = base;
        part[k].other = other;
        part[k].kb = kb;
        part[k].ko = ko;
        part[k].from = k ? mid : 0;
        part[k].to = k ? nbase : mid;
    }
    pthread_t t;
    int started = split && pthread_create(&t, NULL, join_range, &part[1]) == 0;
    join_range(&part[0]);
    if (started)
        pthread_join(t, NULL);
    else if (split)
        join_range(&part[1]);
    join_merge(out, &part[0].c);
    join_merge(out, &part[1].c);
}

/* ---- per-axis geometric means ---- */

typedef struct axval {
    long v;
    double lr; /* log ratio */
} axval;

static int cmp_axval(const void *a, const void *b)
{
    long x = ((const axval *)a)->v, y = ((const axval *)b)->v;
    return (x > y) - (x < y);
}

static int build_groups(ab_cmp *c)
{
    double sum = 0.0;
    axval *av = malloc((c->nrows ? c->nrows : 1) * sizeof *av);
    double *lr = malloc((c->nrows ? c->nrows : 1) * sizeof *lr); /* each row's log ratio, taken once */
    if (!av || !lr) {
        free(av);
        free(lr);
        return AB_EFAIL;
    }
    for (size_t i = 0; i < c->nrows; i++)
        sum += lr[i] = log(c->rows[i].ratio);
    c->geomean = c->nrows ? exp(sum / (double)c->nrows) : NAN;

    size_t cap = 0;
    for (int a = 0; a < AX_COUNT; a++) {
        size_t n = 0;
        int varies = 0;
        for (size_t i = 0; i < c->nrows; i++)
            if (c->rows[i].kc_ok) {
                av[n].v = c->rows[i].kc.v[a];
                av[n].lr = lr[i];
                varies |= av[n].v != av[0].v;
                n++;
            }
        if (!varies)
            continue; /* the axis does not vary (most do not: no sort of 100,000 equal values) */
        qsort(av, n, sizeof *av, cmp_axval);
        for (size_t i = 0; i < n;) {
            size_t j = i;
            double s = 0.0;
            for (; j < n && av[j].v == av[i].v; j++)
                s += av[j].lr;
            if (c->ngroups == cap) {
                cap = cap ? 2 * cap : 16;
                ab_cmp_group *g = realloc(c->groups, cap * sizeof *g);
                if (!g) {
                    free(av);
                    free(lr);
                    return AB_EFAIL;
                }
                c->groups = g;
            }
            ab_cmp_group *g = &c->groups[c->ngroups++];
            g->axis = a;
            g->value = av[i].v;
            axis_format_value(&ab_axes[a], av[i].v, g->label, sizeof g->label);
            g->n = j - i;
            g->geomean = exp(s / (double)(j - i));
            i = j;
        }
    }
    free(av);
    free(lr);
    return AB_OK;
}

/* ---- sorting ---- */

/* Axis-value order of two parsed keys (unparsed keys last, then by text). */
static int key_order(const ab_case *a, int aok, const ab_case *b, int bok, const char *ka, const char *kb)
{
    if (aok && bok) {
        for (int k = 0; k < AX_COUNT; k++)
            if (a->v[k] != b->v[k])
                return (a->v[k] > b->v[k]) - (a->v[k] < b->v[k]);
    } else if (aok != bok) {
        return aok ? -1 : 1;
    }
    return strcmp(ka, kb);
}

typedef struct keyed_case {
    ab_case c;
    int ok;
    const char *key;
    size_t i;
} keyed_case;

static int cmp_keyed_case(const void *a, const void *b)
{
    const keyed_case *x = a, *y = b;
    return key_order(&x->c, x->ok, &y->c, y->ok, x->key, y->key);
}

/* Puts n items of size sz (each holding a record pointer found by recof)
 * in key order; keys are parsed once. Returns -1 on memory exhaustion. */
static int sort_by_key(void *items, size_t n, size_t sz, const ab_record *(*recof)(const void *))
{
    if (n < 2)
        return 0;
    keyed_case *k = malloc(n * sizeof *k);
    char *copy = malloc(n * sz);
    if (!k || !copy) {
        free(k);
        free(copy);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const ab_record *r = recof((char *)items + i * sz);
        k[i].ok = case_from_key(r->key, &k[i].c, NULL) == AB_OK;
        k[i].key = r->key;
        k[i].i = i;
    }
    qsort(k, n, sizeof *k, cmp_keyed_case);
    memcpy(copy, items, n * sz);
    for (size_t i = 0; i < n; i++)
        memcpy((char *)items + i * sz, copy + k[i].i * sz, sz);
    free(k);
    free(copy);
    return 0;
}

static const ab_record *rec_of_pair(const void *p)
{
    return ((const ab_cmp_pair *)p)->base;
}

static const ab_record *rec_of_ptr(const void *p)
{
    return *(const ab_record *const *)p;
}

static int cmp_row_key(const void *a, const void *b)
{
    const ab_cmp_row *x = a, *y = b;
    return key_order(&x->kc, x->kc_ok, &y->kc, y->kc_ok, x->base->key, y->base->key);
}

/* Biggest regression first: for times the largest increase, for GFLOPS
 * the largest decrease; ties keep key order. */
static int cmp_row_change_up(const void *a, const void *b)
{
    const ab_cmp_row *x = a, *y = b;
    if (x->change_pct != y->change_pct)
        return x->change_pct < y->change_pct ? 1 : -1;
    return cmp_row_key(a, b);
}

static int cmp_row_change_down(const void *a, const void *b)
{
    const ab_cmp_row *x = a, *y = b;
    if (x->change_pct != y->change_pct)
        return x->change_pct > y->change_pct ? 1 : -1;
    return cmp_row_key(a, b);
}

void compare_sort(ab_cmp *c, ab_cmp_sort how)
{
    if (how == CMP_SORT_CHANGE) {
        qsort(c->rows, c->nrows, sizeof *c->rows,
              ab_cmp_metrics[c->opts.metric].higher_is_better ? cmp_row_change_down : cmp_row_change_up);
    } else {
        qsort(c->rows, c->nrows, sizeof *c->rows, cmp_row_key);
    }
}

int compare_records(const ab_record *base, size_t nbase, const ab_record *other, size_t nother,
                    const ab_cmp_opts *o, ab_cmp *out, ab_err *e)
{
    return compare_records_hashed(base, NULL, nbase, other, NULL, nother, o, out, e);
}

int compare_records_hashed(const ab_record *base, const uint64_t *hbase, size_t nbase, const ab_record *other,
                           const uint64_t *hother, size_t nother, const ab_cmp_opts *o, ab_cmp *out,
                           ab_err *e)
{
    memset(out, 0, sizeof *out);
    out->geomean = NAN;
    if ((unsigned)o->metric >= CMP_M_COUNT)
        return ab_errf(e, AB_EUSAGE, "unknown metric %d", (int)o->metric);
    if (!(o->threshold_pct >= 0.0) || !isfinite(o->threshold_pct))
        return ab_errf(e, AB_EUSAGE, "threshold must be a percentage >= 0");
    if (!(o->alpha > 0.0 && o->alpha < 1.0))
        return ab_errf(e, AB_EUSAGE, "alpha must be between 0 and 1");
    out->opts = *o;

    keyset kb, ko;
    memset(&ko, 0, sizeof ko);
    int built = keyset_build(&kb, base, hbase, nbase, &out->dup_base) == 0 &&
                keyset_build(&ko, other, hother, nother, &out->dup_other) == 0;
    size_t nb = nbase - out->dup_base, no = nother - out->dup_other;
    /* split: the join in two halves (join_all), whose lists need room for
     * every winning base record (pages not written are not memory) */
    int split = nbase >= JOIN_SPLIT_MIN && sysconf(_SC_NPROCESSORS_ONLN) > 1;
    size_t most = split ? nb : nb < no ? nb : no;
    out->rows = ab_big_alloc((most ? most : 1) * sizeof *out->rows, &out->rows_mapped);
    out->differs = malloc((most ? most : 1) * sizeof *out->differs);
    out->uncompared = malloc((most ? most : 1) * sizeof *out->uncompared);
    out->base_only = malloc((nb ? nb : 1) * sizeof *out->base_only);
    out->other_only = malloc((no ? no : 1) * sizeof *out->other_only);
    if (!built || !out->rows || !out->differs || !out->uncompared || !out->base_only || !out->other_only) {
        keyset_free(&kb);
        keyset_free(&ko);
        compare_free(out);
        return ab_errf(
            e, AB_EUSAGE,
            "out of memory joining %zu and %zu cases (more than this machine, or its ulimit -v, allows)",
            nbase, nother);
    }
    /* every list below is put in key order afterwards */
    join_all(out, base, nbase, other, &kb, &ko, split);
    for (size_t j = 0; j < nother; j++)
        if (ko.wins[j] && !keyset_find(&kb, ko.hash[j], other[j].key))
            out->other_only[out->nother_only++] = &other[j];
    keyset_free(&kb);
    keyset_free(&ko);
    /* in key order before the geometric means are summed: their last digits
     * do not depend on the order of the files */
    compare_sort(out, CMP_SORT_KEY);
    if (build_groups(out) != AB_OK ||
        sort_by_key(out->differs, out->ndiffers, sizeof *out->differs, rec_of_pair) ||
        sort_by_key(out->uncompared, out->nuncompared, sizeof *out->uncompared, rec_of_pair) ||
        sort_by_key(out->base_only, out->nbase_only, sizeof *out->base_only, rec_of_ptr) ||
        sort_by_key(out->other_only, out->nother_only, sizeof *out->other_only, rec_of_ptr)) {
        compare_free(out);
        return ab_errf(e, AB_EUSAGE,
                       "out of memory grouping %zu cases (more than this machine, or its ulimit -v, allows)",
                       out->nrows);
    }
    return AB_OK;
}

void compare_free(ab_cmp *c)
{
    ab_big_free(c->rows, c->rows_mapped);
    free(c->differs);
    free(c->uncompared);
    free(c->base_only);
    free(c->other_only);
    free(c->groups);
    memset(c, 0, sizeof *c);
    c->geomean = NAN;
}

size_t compare_joined(const ab_cmp *c)
{
    return c->nrows + c->ndiffers + c->nuncompared;
}
