/* plotcharts.c: what each one-run chart selects from the records, as tables
 * that plotdata.c writes into .dat files (the charts of several runs are in
 * plotcompare.c). Column layouts here and the `using` clauses of
 * plots/<chart>.gp go together: change both. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/plotcharts.h"
#include "harness/plotrun.h"
#include "harness/plottable.h"
#include "kernels/kernel.h"

#define NS_PER_MS 1e6

/* The parameters that are not geometric sizes (a "variant" of a kernel). */
#define VARIANT_AXES                                                                                         \
    (PD_BIT(AX_DEPTH) | PD_BIT(AX_IO) | PD_BIT(AX_QOS) | PD_BIT(AX_PROCEDURE) | PD_BIT(AX_MODE) |            \
     PD_BIT(AX_THREADS))
#define SIZE_AXES (PD_BIT(AX_CIN) | PD_BIT(AX_COUT) | PD_BIT(AX_SPATIAL))
#define ALL_AXES ((1u << AX_COUNT) - 1u)

/* Row helper: time in ms with the median's CI in ms (both the median
 * where the record has none). Returns 1 when it has a CI. */
static int eval_row(const ab_summary *s, double *ms, double *lo, double *hi)
{
    *ms = s->median / NS_PER_MS;
    *lo = s->ci_low > 0 ? s->ci_low / NS_PER_MS : *ms;
    *hi = s->ci_high > 0 ? s->ci_high / NS_PER_MS : *ms;
    return s->ci_low > 0 && s->ci_high > 0;
}

/* A series of medians none of whose records has a CI (a transcribed
 * reference such as the seed's means of 10, a backend without samples)
 * must not claim one: "(median, 95% CI)" becomes "(no CI reported)". */
static void ci_title(pd_series *s, size_t with_ci)
{
    char *p = strstr(s->title, "(median, 95% CI)");
    if (!with_ci && p)
        snprintf(p, sizeof s->title - (size_t)(p - s->title), "(no CI reported)");
}

/* The variant (non-size axes) most ok records share; ties: the first met. */
static void main_variant(const ab_run *run, long *best)
{
    size_t best_n = 0;
    for (size_t i = 0; i < run->n; i++) {
        if (!pd_rec_ok(&run->recs[i]))
            continue;
        long k[AX_COUNT], k2[AX_COUNT];
        pd_norm_key(&run->recs[i], SIZE_AXES, k);
        size_t n = 0;
        for (size_t j = 0; j < run->n; j++) {
            if (!pd_rec_ok(&run->recs[j]))
                continue;
            pd_norm_key(&run->recs[j], SIZE_AXES, k2);
            n += !memcmp(k, k2, sizeof k);
        }
        if (n > best_n) {
            best_n = n;
            memcpy(best, k, sizeof k);
        }
    }
    if (!best_n)
        memset(best, 0, AX_COUNT * sizeof *best);
}

static int in_variant(const ab_record *r, const long *variant)
{
    long k[AX_COUNT];
    pd_norm_key(r, SIZE_AXES, k);
    return !memcmp(k, variant, sizeof k);
}

/* ---- GFLOPS curves ---- */

const char pd_curve_doc[] =
    "1 series axis value (spatial, or cin)  2 x axis value (cin, or spatial)  3 cout (channels)\n"
    "4 GFLOPS (wall clock, from the median eval time)  5 GFLOPS low  6 GFLOPS high\n"
    "  (5, 6: from the 95% CI of the median)  7 median eval time (ms)  8 work per eval (MFLOP)";

/* The axes always named in a curve's title: spatial on the channels chart;
 * cin and cout (when it differs) on the spatial chart. */
unsigned pd_curve_series_axes(int xaxis)
{
    return xaxis == AX_CIN ? PD_BIT(AX_SPATIAL) : (PD_BIT(AX_CIN) | PD_BIT(AX_COUT));
}

/* Appends a record's GFLOPS curve row to series s. */
static int curve_row(pd_table *t, pd_series *s, const ab_record *r, int xaxis, int saxis)
{
    double f = pd_rec_flops(r);
    double row[8] = {
        (double)r->params.v[saxis],
        (double)r->params.v[xaxis],
        (double)r->params.v[AX_COUT],
        f / r->eval.median,
        r->eval.ci_high > 0 ? f / r->eval.ci_high : f / r->eval.median,
        r->eval.ci_low > 0 ? f / r->eval.ci_low : f / r->eval.median,
        r->eval.median / NS_PER_MS,
        f / 1e6,
    };
    return pd_series_add(t, s, row, NULL);
}

/* Series of one run's GFLOPS over xaxis, one per value of everything else,
 * titled by the series axis and whatever else differs between them. */
/* More curves than a legend can hold beside a 1280x800 chart stop being
 * readable: past this, one variant is drawn (see keep_main_variant). */
#define MAX_CURVES 12

/* Keeps the series of the variant (everything but the series axes) that
 * has the most series; ties: the first in table order. Returns how many
 * series were left out, and the variant in *kept. */
static size_t keep_main_variant(pd_table *t, unsigned series_axes, long *kept)
{
    size_t best_n = 0, w = 0;
    for (size_t i = 0; i < t->ns; i++) {
        long v[AX_COUNT], v2[AX_COUNT];
        memcpy(v, t->s[i].key, sizeof v);
        for (int a = 0; a < AX_COUNT; a++)
            if (series_axes & PD_BIT(a))
                v[a] = 0;
        size_t n = 0;
        for (size_t j = 0; j < t->ns; j++) {
            memcpy(v2, t->s[j].key, sizeof v2);
            for (int a = 0; a < AX_COUNT; a++)
                if (series_axes & PD_BIT(a))
                    v2[a] = 0;
            n += !memcmp(v, v2, sizeof v);
        }
        if (n > best_n) {
            best_n = n;
            memcpy(kept, v, sizeof v);
        }
    }
    for (size_t i = 0; i < t->ns; i++) {
        int mine = 1;
        for (int a = 0; a < AX_COUNT && mine; a++)
            mine = (series_axes & PD_BIT(a)) || t->s[i].key[a] == kept[a];
        if (!mine)
            t->s[i].rows = 0; /* dropped below */
        w += (size_t)mine;
    }
    size_t left_out = t->ns - w;
    pd_table_drop_short(t, 1, 1);
    return left_out;
}

/* Series of one run's GFLOPS over xaxis, one per value of everything else,
 * titled by the series axis and whatever else differs between them. With
 * more than MAX_CURVES, only the main variant's; note (if not NULL) says so. */
void pd_curve_table(const ab_run *run, int xaxis, pd_table *t, char *note, size_t nnote)
{
    int saxis = xaxis == AX_CIN ? AX_SPATIAL : AX_CIN;
    unsigned drop = PD_BIT(xaxis);
    for (size_t i = 0; i < run->n; i++) {
        const ab_record *r = &run->recs[i];
        if (!pd_rec_ok(r))
            continue;
        long key[AX_COUNT];
        pd_norm_key(r, drop, key);
        pd_series *s = pd_table_series(t, key, "");
        if (!s || curve_row(t, s, r, xaxis, saxis))
            return;
    }
    pd_table_sort_rows(t, 1);
    pd_table_drop_short(t, 1, 2);
    pd_table_sort_series(t, saxis);
    if (t->ns > MAX_CURVES) {
        long kept[AX_COUNT];
        unsigned series_axes = PD_BIT(saxis) | (xaxis == AX_SPATIAL ? PD_BIT(AX_COUT) : 0u);
        size_t left_out = keep_main_variant(t, series_axes, kept);
        if (note && left_out) {
            char lab[160];
            pd_key_label(kept, pd_varying_axes(run) & ~(series_axes | PD_BIT(xaxis)), lab, sizeof lab);
            snprintf(note, nnote, "cases with %s (%zu curves of other variants not drawn)", lab, left_out);
        }
    }
    pd_table_relabel(t, pd_curve_series_axes(xaxis), PD_BIT(xaxis));
}

void pd_build_curve(const ab_run *run, int xaxis, pd_table *t, ab_chart *c)
{
    pd_table_init(t, 8, 0,
                  xaxis == AX_CIN ? "cin cout gflops gflops_lo gflops_hi median_ms mflop"
                                  : "spatial cout gflops gflops_lo gflops_hi median_ms mflop",
                  pd_curve_doc);
    pd_curve_table(run, xaxis, t, c->note, sizeof c->note);
    c->peak = plot_run_peak(run);
    if (!t->ns)
        snprintf(c->why, sizeof c->why, "no series has two or more %s values among the ok cases",
                 xaxis == AX_CIN ? "channel (cin)" : "spatial");
}

/* ---- phase costs vs kernel size ---- */

static const char size_doc[] =
    "1 work per eval (MFLOP)  2 time (ms)  3 low (ms)  4 high (ms)\n"
    "  (3, 4: 95% CI of the median for eval times; equal to 2 for one-shot phases)\n"
    "5 cin  6 cout  7 spatial";

static int size_row(pd_table *t, pd_series *s, const ab_record *r, double ms, double lo, double hi)
{
    if (!(isfinite(ms) && ms > 0))
        return 0; /* log scales: a phase not measured (or free) is not drawn */
    double row[7] = {
        pd_rec_flops(r) / 1e6,          ms, lo, hi, (double)r->params.v[AX_CIN], (double)r->params.v[AX_COUT],
        (double)r->params.v[AX_SPATIAL]};
    return pd_series_add(t, s, row, NULL);
}

/* Series 0..n-1 titled names[k]; s[k] points at each (taken after all
 * exist: adding a series may move the others). Returns -1 out of memory. */
static int named_series(pd_table *t, const char *const *names, int n, pd_series **s)
{
    for (int k = 0; k < n; k++) {
        long key[AX_COUNT] = {0};
        key[0] = k;
        if (!pd_table_series(t, key, names[k]))
            return -1;
    }
    for (int k = 0; k < n; k++)
        s[k] = &t->s[k];
    return 0;
}

/* "cases with io=fp16": the variant drawn, named by the axes that vary
 * in the run ("" when nothing else was run). */
static void variant_note(const ab_run *run, const long *variant, char *buf, size_t n)
{
    char lab[200];
    pd_key_label(variant, VARIANT_AXES & pd_varying_axes(run), lab, sizeof lab);
    if (lab[0])
        snprintf(buf, n, "cases with %s", lab);
    else
        buf[0] = '\0';
}

void pd_build_phases(const ab_run *run, pd_table *t, ab_chart *c)
{
    pd_table_init(t, 7, 0, "ms ms_lo ms_hi cin cout spatial", size_doc);
    long variant[AX_COUNT];
    main_variant(run, variant);
    static const char *const names[4] = {"compile", "load", "first eval", "steady eval (median, 95% CI)"};
    pd_series *s[4];
    if (named_series(t, names, 4, s))
        return;
    size_t with_ci = 0;
    for (size_t i = 0; i < run->n; i++) {
        const ab_record *r = &run->recs[i];
        if (!pd_rec_ok(r) || !in_variant(r, variant))
            continue;
        double ms, lo, hi;
        with_ci += (size_t)eval_row(&r->eval, &ms, &lo, &hi);
        /* series pointers are stable: all four exist before the first row */
        if (size_row(t, s[0], r, r->compile_ms, r->compile_ms, r->compile_ms) ||
            size_row(t, s[1], r, r->load_ms, r->load_ms, r->load_ms) ||
            size_row(t, s[2], r, r->first_eval_ms, r->first_eval_ms, r->first_eval_ms) ||
            size_row(t, s[3], r, ms, lo, hi))
            return;
    }
    ci_title(s[3], with_ci);
    pd_table_sort_rows(t, 0);
    if (pd_table_distinct(t, 0) < 2) {
        pd_table_free(t);
        ab_strlcpy(c->why, "fewer than two kernel sizes among the ok cases", sizeof c->why);
        return;
    }
    pd_table_drop_short(t, 0, 1);
    variant_note(run, variant, c->note, sizeof c->note);
}

/* ---- one parameter swept at a fixed size (qos, procedure) ---- */

static const char param_doc[] =
    "1 parameter value (QoS 0-63, or procedure index 0-15)  2 time (ms)  3 low (ms)  4 high (ms)\n"
    "  (3, 4: 95% CI of the median for eval times; equal to 2 for one-shot phases)";

/* Whether r is an ok record of the group whose key (all axes but axis) is group. */
static int in_group(const ab_record *r, int axis, const long *group)
{
    long k[AX_COUNT];
    if (!pd_rec_ok(r))
        return 0;
    pd_norm_key(r, PD_BIT(axis), k);
    return !memcmp(k, group, sizeof k);
}

/* Key (all axes but `axis`) of the group of ok records with the most
 * distinct values of axis; returns that count. */
static size_t widest_group(const ab_run *run, int axis, long *best)
{
    size_t best_n = 0;
    for (size_t i = 0; i < run->n; i++) {
        if (!pd_rec_ok(&run->recs[i]))
            continue;
        long k[AX_COUNT];
        pd_norm_key(&run->recs[i], PD_BIT(axis), k);
        size_t n = 0;
        for (size_t j = 0; j < run->n; j++) {
            if (!in_group(&run->recs[j], axis, k))
                continue;
            size_t m = 0; /* an earlier record of the group with the same value? */
            while (m < j && !(run->recs[m].params.v[axis] == run->recs[j].params.v[axis] &&
                              in_group(&run->recs[m], axis, k)))
                m++;
            n += (m == j);
        }
        if (n > best_n) {
            best_n = n;
            memcpy(best, k, sizeof k);
        }
    }
    return best_n;
}

static int param_row(pd_table *t, pd_series *s, long x, double ms, double lo, double hi)
{
    if (!(isfinite(ms) && ms > 0))
        return 0;
    double row[4] = {(double)x, ms, lo, hi};
    return pd_series_add(t, s, row, NULL);
}

static void param_note(const long *group, int axis, char *buf, size_t n)
{
    char lab[200];
    pd_key_label(group, ALL_AXES & ~PD_BIT(axis), lab, sizeof lab);
    snprintf(buf, n, "%s", lab);
}

void pd_build_qos(const ab_run *run, pd_table *t, ab_chart *c)
{
    pd_table_init(t, 4, 0, "ms ms_lo ms_hi", param_doc);
    long group[AX_COUNT];
    if (widest_group(run, AX_QOS, group) < 2) {
        ab_strlcpy(c->why, "no case was run at two or more QoS values", sizeof c->why);
        return;
    }
    /* eval first: plots/qos.gp draws block 0 on its own axis, the phases
     * measured once (whichever were) above it */
    static const char *const names[3] = {"eval (median, 95% CI)", "compile", "load"};
    pd_series *s[3];
    if (named_series(t, names, 3, s))
        return;
    size_t with_ci = 0;
    for (size_t i = 0; i < run->n; i++) {
        const ab_record *r = &run->recs[i];
        if (!in_group(r, AX_QOS, group))
            continue;
        double ms, lo, hi;
        long q = r->params.v[AX_QOS];
        with_ci += (size_t)eval_row(&r->eval, &ms, &lo, &hi);
        if (param_row(t, s[0], q, ms, lo, hi) ||
            param_row(t, s[1], q, r->compile_ms, r->compile_ms, r->compile_ms) ||
            param_row(t, s[2], q, r->load_ms, r->load_ms, r->load_ms))
            return;
    }
    ci_title(s[0], with_ci);
    pd_table_sort_rows(t, 0);
    pd_table_drop_short(t, 0, 1);
    param_note(group, AX_QOS, c->note, sizeof c->note);
}

/* A chart drawing hardware times of a simulator says they are a what-if
 * (record_hw_whatif), in its title (beside SIMULATED). */
static void whatif_note(const ab_run *run, ab_chart *c)
{
    for (size_t i = 0; i < run->n; i++)
        if (pd_rec_ok(&run->recs[i]) && record_hw_whatif(&run->recs[i])) {
            size_t len = strlen(c->title);
            snprintf(c->title + len, sizeof c->title - len,
                     "%sWHAT-IF hardware times (modelled, no real run)", len ? " | " : "");
            return;
        }
}

void pd_build_procedure(const ab_run *run, pd_table *t, ab_chart *c)
{
    pd_table_init(t, 4, 0, "ms ms_lo ms_hi", param_doc);
    long group[AX_COUNT];
    if (widest_group(run, AX_PROCEDURE, group) < 2) {
        ab_strlcpy(c->why, "no case was run at two or more procedure indices", sizeof c->why);
        return;
    }
    static const char *const names[2] = {"eval, wall clock (median, 95% CI)",
                                         "eval, hardware time (median, 95% CI)"};
    pd_series *s[2];
    if (named_series(t, names, 2, s))
        return;
    pd_series *wall = s[0], *hw = s[1];
    size_t wall_ci = 0, hw_ci = 0;
    for (size_t i = 0; i < run->n; i++) {
        const ab_record *r = &run->recs[i];
        if (!in_group(r, AX_PROCEDURE, group))
            continue;
        double ms, lo, hi;
        long p = r->params.v[AX_PROCEDURE];
        wall_ci += (size_t)eval_row(&r->eval, &ms, &lo, &hi);
        if (param_row(t, wall, p, ms, lo, hi))
            return;
        if (r->has_hw && r->hw.n > 0) {
            hw_ci += (size_t)eval_row(&r->hw, &ms, &lo, &hi);
            if (param_row(t, hw, p, ms, lo, hi))
                return;
        }
    }
    ci_title(wall, wall_ci);
    ci_title(hw, hw_ci);
    pd_table_sort_rows(t, 0);
    pd_table_drop_short(t, 0, 1);
    param_note(group, AX_PROCEDURE, c->note, sizeof c->note);
    whatif_note(run, c);
}

/* ---- real-time vs normal path ---- */

/* The ok rt record with the same parameters as normal record n, or NULL. */
static const ab_record *rt_twin(const ab_run *run, const ab_record *n)
{
    long kn[AX_COUNT], kr[AX_COUNT];
    pd_norm_key(n, PD_BIT(AX_MODE), kn);
    for (size_t j = 0; j < run->n; j++) {
        const ab_record *rt = &run->recs[j];
        if (!pd_rec_ok(rt) || rt->params.v[AX_MODE] != AB_MODE_RT)
            continue;
        pd_norm_key(rt, PD_BIT(AX_MODE), kr);
        if (!memcmp(kn, kr, sizeof kn))
            return rt;
    }
    return NULL;
}

void pd_build_rt(const ab_run *run, pd_table *t, ab_chart *c)
{
    pd_table_init(t, 4, 1, "ms ms_lo ms_hi case",
                  "1 pair number (x position)  2 median eval time (ms)  3 low (ms)  4 high (ms)\n"
                  "  (3, 4: 95% CI of the median)  5 the case (text, for x tic labels)");
    /* First pass: which parameters differ between the pairs (they label them). */
    long first[AX_COUNT], k[AX_COUNT];
    unsigned varying = 0;
    size_t pairs = 0;
    for (size_t i = 0; i < run->n; i++) {
        const ab_record *n = &run->recs[i];
        if (!pd_rec_ok(n) || n->params.v[AX_MODE] != AB_MODE_NORMAL || !rt_twin(run, n))
            continue;
        pd_norm_key(n, PD_BIT(AX_MODE), pairs ? k : first);
        for (int a = 0; pairs && a < AX_COUNT; a++)
            if (k[a] != first[a])
                varying |= PD_BIT(a);
        pairs++;
    }
    if (!pairs) {
        ab_strlcpy(c->why, "no case was run in both normal and rt mode", sizeof c->why);
        return;
    }
    unsigned lmask = varying ? varying : (PD_BIT(AX_CIN) | PD_BIT(AX_COUT) | PD_BIT(AX_SPATIAL));
    static const char *const names[2] = {"normal path (median, 95% CI)", "real-time path (median, 95% CI)"};
    pd_series *s[2];
    if (named_series(t, names, 2, s))
        return;
    pairs = 0;
    size_t normal_ci = 0, rt_ci = 0;
    for (size_t i = 0; i < run->n; i++) {
        const ab_record *n = &run->recs[i], *rt;
        if (!pd_rec_ok(n) || n->params.v[AX_MODE] != AB_MODE_NORMAL || !(rt = rt_twin(run, n)))
            continue;
        char lab[64];
        pd_norm_key(n, PD_BIT(AX_MODE), k);
        pd_key_label(k, lmask, lab, sizeof lab);
        if (rt->eval_path[0] && strcmp(rt->eval_path, "realtime")) {
            /* say which path the rt case really took */
            size_t l = strlen(lab);
            snprintf(lab + l, sizeof lab - l, " (rt ran: %s)", rt->eval_path);
        }
        double row[4];
        row[0] = (double)pairs++;
        normal_ci += (size_t)eval_row(&n->eval, &row[1], &row[2], &row[3]);
        if (pd_series_add(t, s[0], row, lab))
            return;
        rt_ci += (size_t)eval_row(&rt->eval, &row[1], &row[2], &row[3]);
        if (pd_series_add(t, s[1], row, lab))
            return;
    }
    ci_title(s[0], normal_ci);
    ci_title(s[1], rt_ci);
    /* what the pairs share, in the note */
    pd_key_label(first, ALL_AXES & ~varying & ~PD_BIT(AX_MODE), c->note, sizeof c->note);
}

/* ---- wall clock vs hardware time ---- */

void pd_build_wall_hw(const ab_run *run, pd_table *t, ab_chart *c)
{
    pd_table_init(t, 7, 0, "ms ms_lo ms_hi cin cout spatial", size_doc);
    static const char *const names[3] = {"wall clock (median, 95% CI)",
                                         "hardware, hwExecutionTime (median, 95% CI)",
                                         "dispatch overhead (wall - hardware medians)"};
    pd_series *s[3];
    if (named_series(t, names, 3, s))
        return;
    long variant[AX_COUNT];
    int have_variant = 0;
    size_t wall_ci = 0, hw_ci = 0;
    for (size_t i = 0; i < run->n; i++) {
        const ab_record *r = &run->recs[i];
        if (!pd_rec_ok(r) || !r->has_hw || r->hw.n == 0 || !(r->hw.median > 0))
            continue;
        /* one variant: the first with hw time (sizes are what varies here) */
        if (!have_variant) {
            pd_norm_key(r, SIZE_AXES, variant);
            have_variant = 1;
        }
        if (!in_variant(r, variant))
            continue;
        double ms, lo, hi, hms, hlo, hhi;
        wall_ci += (size_t)eval_row(&r->eval, &ms, &lo, &hi);
        hw_ci += (size_t)eval_row(&r->hw, &hms, &hlo, &hhi);
        if (size_row(t, s[0], r, ms, lo, hi) || size_row(t, s[1], r, hms, hlo, hhi) ||
            size_row(t, s[2], r, ms - hms, ms - hms, ms - hms))
            return;
    }
    ci_title(s[0], wall_ci);
    ci_title(s[1], hw_ci);
    pd_table_sort_rows(t, 0);
    if (!have_variant || pd_table_distinct(t, 0) < 2) {
        pd_table_free(t);
        ab_strlcpy(c->why,
                   have_variant ? "hardware time for fewer than two kernel sizes"
                                : "no case has a hardware eval time (hwExecutionTime)",
                   sizeof c->why);
        return;
    }
    pd_table_drop_short(t, 0, 1);
    variant_note(run, variant, c->note, sizeof c->note);
    whatif_note(run, c);
}

/* ---- roofline ---- */

void pd_build_roofline(const ab_run *run, pd_table *t, ab_chart *c)
{
    pd_table_init(t, 8, 0, "gflops gflops_lo gflops_hi mflop cin cout spatial",
                  "1 arithmetic intensity (FLOPs per byte: inputs + outputs + fp16 weights)\n"
                  "2 GFLOPS (wall clock, median)  3 low  4 high (from the median's 95% CI)\n"
                  "5 work per eval (MFLOP)  6 cin  7 cout  8 spatial");
    unsigned series_axes = pd_varying_axes(run) & (PD_BIT(AX_IO) | PD_BIT(AX_DEPTH));
    for (size_t i = 0; i < run->n; i++) {
        const ab_record *r = &run->recs[i];
        double f = pd_rec_flops(r), b = pd_rec_bytes(r);
        if (!pd_rec_ok(r) || !(b > 0))
            continue;
        long key[AX_COUNT];
        pd_norm_key(r, ALL_AXES & ~series_axes, key);
        char title[160] = "all ok cases";
        if (series_axes)
            pd_key_label(key, series_axes, title, sizeof title);
        pd_series *s = pd_table_series(t, key, title);
        double row[8] = {f / b,
                         f / r->eval.median,
                         r->eval.ci_high > 0 ? f / r->eval.ci_high : f / r->eval.median,
                         r->eval.ci_low > 0 ? f / r->eval.ci_low : f / r->eval.median,
                         f / 1e6,
                         (double)r->params.v[AX_CIN],
                         (double)r->params.v[AX_COUT],
                         (double)r->params.v[AX_SPATIAL]};
        if (!s || pd_series_add(t, s, row, NULL))
            return;
    }
    pd_table_sort_rows(t, 0);
    pd_table_sort_series(t, AX_IO);
    c->peak = plot_run_peak(run);
    if (isnan(c->peak))
        ab_strlcpy(c->note, "no roof drawn: the run states no peak GFLOPS (by hand: peak=GFLOPS, bw=GB/s)",
                   sizeof c->note);
    if (pd_table_distinct(t, 0) < 2) {
        pd_table_free(t);
        ab_strlcpy(c->why, "fewer than two arithmetic intensities among the ok cases", sizeof c->why);
    }
}

/* ---- weight size (SRAM cliff) ---- */

/* The first point from which a series stays more than 20% below the best
 * GFLOPS before it (rows sorted by weight MiB): a knee the data shows, or
 * -1. Rows are [MiB, GFLOPS, ...] of width w. */
static long knee_row(const double *rows, size_t n, size_t w)
{
    for (size_t i = 1; i < n; i++) {
        double best = 0;
        for (size_t j = 0; j < i; j++)
            best = rows[j * w + 1] > best ? rows[j * w + 1] : best;
        int stays = 1;
        for (size_t j = i; j < n && stays; j++)
            stays = rows[j * w + 1] < 0.8 * best;
        if (stays && n - i >= 2)
            return (long)i;
    }
    return -1;
}

void pd_build_sram(const ab_run *run, pd_table *t, ab_chart *c)
{
    pd_table_init(t, 6, 0, "gflops gflops_lo gflops_hi depth mflop",
                  "1 weights as stored (MiB: fp16 2 bytes, int8 1 byte a weight)\n"
                  "2 GFLOPS (wall clock, median; w8a8: GOPS)  3 low  4 high (from the median's 95% CI)\n"
                  "5 depth (layers)  6 work per eval (MFLOP)");
    unsigned series_axes = PD_BIT(AX_KERNEL) | (pd_varying_axes(run) & (PD_BIT(AX_IO) | PD_BIT(AX_DATA)));
    for (size_t i = 0; i < run->n; i++) {
        const ab_record *r = &run->recs[i];
        double f = pd_rec_flops(r);
        if (!pd_rec_ok(r) || !(f > 0))
            continue;
        long key[AX_COUNT];
        pd_norm_key(r, ALL_AXES & ~series_axes, key);
        char title[160];
        snprintf(title, sizeof title, "%s", ab_kernel_names[r->params.v[AX_KERNEL]]);
        size_t l = strlen(title);
        if (series_axes & ~PD_BIT(AX_KERNEL)) {
            title[l++] = ' ';
            pd_key_label(key, series_axes & ~PD_BIT(AX_KERNEL), title + l, sizeof title - l);
        }
        pd_series *s = pd_table_series(t, key, title);
        double row[6] = {kernel_case_weight_bytes(&r->params) / 1048576.0,
                         f / r->eval.median,
                         r->eval.ci_high > 0 ? f / r->eval.ci_high : f / r->eval.median,
                         r->eval.ci_low > 0 ? f / r->eval.ci_low : f / r->eval.median,
                         (double)r->params.v[AX_DEPTH],
                         f / 1e6};
        if (!s || pd_series_add(t, s, row, NULL))
            return;
    }
    pd_table_sort_rows(t, 0);
    if (pd_table_distinct(t, 0) < 3) {
        pd_table_free(t);
        ab_strlcpy(c->why, "fewer than three weight sizes among the ok cases", sizeof c->why);
        return;
    }
    /* knees where the data shows one, in the note */
    size_t len = 0;
    c->note[0] = '\0';
    for (size_t i = 0; i < t->ns; i++) {
        const pd_series *s = &t->s[i];
        long k = knee_row(s->v, s->rows, t->ncol);
        if (k < 0)
            continue;
        int w = snprintf(c->note + len, sizeof c->note - len, "%sknee: %s past %.3g MiB", len ? "; " : "",
                         s->title, s->v[(size_t)k * t->ncol]);
        if (w > 0 && (size_t)w < sizeof c->note - len)
            len += (size_t)w;
    }
    if (!len)
        ab_strlcpy(c->note, "no knee: no series stays 20% below its best after a weight size",
                   sizeof c->note);
}
