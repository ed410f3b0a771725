/* report.c: the report of one run or of several (see report.h): the
 * document's sections, the shared table helpers, and the markdown budget
 * (tables cut to fewer rows until the text fits). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/plotdata.h"
#include "harness/report_int.h"
#include "harness/rounds.h"

#define MD_FIRST_CUT 200    /* rows per table tried first when all rows do not fit */
#define DETAILS_MIN_ROWS 12 /* longer tables fold into <details> */

/* ---- shared helpers ---- */

void rp_num(double v, char *buf, size_t n)
{
    if (!isfinite(v))
        buf[0] = '\0';
    else if (fabs(v) >= 1000)
        snprintf(buf, n, "%.0f", v);
    else if (fabs(v) >= 100)
        snprintf(buf, n, "%.1f", v);
    else if (fabs(v) >= 1)
        snprintf(buf, n, "%.2f", v);
    else
        snprintf(buf, n, "%.3g", v);
}

void rp_case_label(const ab_record *r, const int *vary, int with_family, char *buf, size_t n)
{
    char fam[32];
    size_t len = 0;
    buf[0] = '\0';
    if (with_family) {
        record_family(r, fam, sizeof fam);
        len = (size_t)snprintf(buf, n, "%s ", fam);
        if (len >= n)
            return;
    }
    case_brief(&r->params, vary, buf + len, n - len);
}

/* Whether k rows of ncol columns make the markdown text longer than
 * x->give_up (then x->over is set): a row is at least "| " + cell + " |"
 * a column and a newline. Such a pass is thrown away, so it is not written
 * (writing 100,000 rows to cut them was a second of a report). */
static int rp_give_up(rp_ctx *x, size_t k, size_t ncol)
{
    if (!x->give_up || x->d.fmt != DOC_MD || k <= x->give_up / (3 * ncol + 2))
        return 0;
    x->over = 1;
    return 1;
}

void rp_table(rp_ctx *x, const doc_table *t, const char *summary, const char *what_ranks)
{
    rp_table_fill(x, (doc_table *)t, summary, what_ranks, NULL, NULL);
}

void rp_table_fill(rp_ctx *x, doc_table *t, const char *summary, const char *what_ranks,
                   void (*fill)(doc_table *t, size_t row, void *ctx), void *ctx)
{
    size_t *idx = NULL;
    size_t k = dt_pick(t, x->top, &idx);
    if (!idx)
        return;
    if (rp_give_up(x, k, t->ncol)) {
        free(idx);
        return;
    }
    for (size_t i = 0; fill && i < k; i++)
        fill(t, idx[i], ctx);
    int fold = x->d.fmt != DOC_TXT && k > DETAILS_MIN_ROWS;
    if (fold)
        doc_details(&x->d, summary);
    doc_table_write(&x->d, t, idx, k);
    if (k < t->nrows) {
        x->left_rows += t->nrows - k;
        x->left_tables++;
        doc_p(&x->d);
        doc_text(&x->d, "%zu of %zu rows shown (those with the %s); ", k, t->nrows, what_ranks);
        doc_code(&x->d, "--top N");
        doc_text(&x->d, " shows N, ");
        doc_code(&x->d, "--all");
        doc_text(&x->d, " every row.");
        doc_p_end(&x->d);
    }
    if (fold)
        doc_details_end(&x->d);
    free(idx);
}

static void fmt_ms(double ms, char *buf, size_t n)
{
    if (!isfinite(ms))
        snprintf(buf, n, "n/a");
    else if (ms < 1)
        snprintf(buf, n, "%.1f us", ms * 1000);
    else
        snprintf(buf, n, "%.2f ms", ms);
}

static void fmt_ns(double ns, char *buf, size_t n)
{
    if (!isfinite(ns))
        snprintf(buf, n, "n/a");
    else if (ns < 1000)
        snprintf(buf, n, "%.0f ns", ns);
    else if (ns < 1e6)
        snprintf(buf, n, "%.1f us", ns / 1e3);
    else
        snprintf(buf, n, "%.2f ms", ns / 1e6);
}

static void fmt_mem(double bytes, char *buf, size_t n)
{
    if (!isfinite(bytes) || bytes <= 0)
        buf[0] = '\0';
    else
        snprintf(buf, n, "%.0f GiB", bytes / (1024.0 * 1024 * 1024));
}

/* ---- environment and headline, as (figure, value[, case]) rows ---- */

/* Row texts of the environment of a run; name NULL ends. */
typedef struct envrow {
    const char *name;
    char value[256];
} envrow;

static size_t env_rows(const ab_runenv *env, const ab_headline *h, envrow *rows)
{
    size_t k = 0;
    char mem[32];
    fmt_mem(env->mem_bytes, mem, sizeof mem);
    rows[k].name = "chip";
    if (env->chip[0])
        snprintf(rows[k].value, sizeof rows[k].value, "%s", env->chip);
    else if (env->sim_chip[0])
        snprintf(rows[k].value, sizeof rows[k].value, "%s, SIMULATED (host: %s)", env->sim_chip,
                 env->cpu_model[0] ? env->cpu_model : "unknown");
    else
        snprintf(rows[k].value, sizeof rows[k].value, "%s", env->cpu_model[0] ? env->cpu_model : "unknown");
    k++;
    rows[k].name = "ANE family / subtype / cores";
    snprintf(rows[k].value, sizeof rows[k].value, "%s / %s / %s", env->ane_family[0] ? env->ane_family : "-",
             env->ane_subtype[0] ? env->ane_subtype : "-", "");
    if (env->ane_cores >= 0)
        snprintf(rows[k].value + strlen(rows[k].value), sizeof rows[k].value - strlen(rows[k].value), "%ld",
                 env->ane_cores);
    else
        snprintf(rows[k].value + strlen(rows[k].value), sizeof rows[k].value - strlen(rows[k].value), "-");
    k++;
    rows[k].name = "OS (build)";
    snprintf(rows[k].value, sizeof rows[k].value, "%s (%s)", env->os[0] ? env->os : "unknown",
             env->os_build[0] ? env->os_build : "unknown");
    k++;
    rows[k].name = "CPU cores, memory";
    if (env->cores >= 0)
        snprintf(rows[k].value, sizeof rows[k].value, "%ld, %s", env->cores, mem[0] ? mem : "unknown");
    else
        snprintf(rows[k].value, sizeof rows[k].value, "unknown");
    k++;
    rows[k].name = "backend";
    snprintf(rows[k].value, sizeof rows[k].value, "%s", env->backend[0] ? env->backend : "unknown");
    k++;
    rows[k].name = "simulated";
    if (env->simulated && env->sim_scale > 0)
        snprintf(rows[k].value, sizeof rows[k].value, "YES (time scale %g)", env->sim_scale);
    else
        snprintf(rows[k].value, sizeof rows[k].value, "%s", env->simulated ? "YES" : "no");
    k++;
    rows[k].name = "tool";
    snprintf(rows[k].value, sizeof rows[k].value, "anebench %s (git %s%s)",
             env->tool_version[0] ? env->tool_version : "?", env->tool_git[0] ? env->tool_git : "?",
             env->tool_dirty == 1   ? ", dirty tree"
             : env->tool_dirty == 0 ? ""
                                    : "");
    k++;
    rows[k].name = "preset";
    snprintf(rows[k].value, sizeof rows[k].value, "%s",
             env->preset[0] ? env->preset : "(sweep file or axes)");
    k++;
    rows[k].name = "started";
    snprintf(rows[k].value, sizeof rows[k].value, "%s", env->started[0] ? env->started : "unknown");
    k++;
    rows[k].name = "cases";
    size_t len = (size_t)snprintf(rows[k].value, sizeof rows[k].value, "%zu:", h->n);
    int first = 1;
    for (int s = 0; s < AB_ST_COUNT; s++)
        if (h->status[s] && len < sizeof rows[k].value) {
            len += (size_t)snprintf(rows[k].value + len, sizeof rows[k].value - len, "%s %zu %s",
                                    first ? "" : ",", h->status[s], status_name((ab_status)s));
            first = 0;
        }
    k++;
    return k;
}

#define HL_MAX (AB_HL_FAMILIES + 12)

typedef struct hlrow {
    char name[64];
    char value[160];
    char from[200]; /* the case it came from */
} hlrow;

static size_t headline_rows(const ab_runenv *env, const ab_headline *h, hlrow *rows)
{
    size_t k = 0;
    char a[64], b[64];
    memset(rows, 0, HL_MAX * sizeof *rows);
    for (size_t i = 0; i < h->npeak; i++, k++) {
        const char *unit = h->peak[i].is_int ? "TOPS" : "GFLOPS";
        double val = h->peak[i].is_int ? h->peak[i].gflops / 1000 : h->peak[i].gflops;
        snprintf(rows[k].name, sizeof rows[k].name, "peak %s (%s)", unit, h->peak[i].family);
        rp_num(val, a, sizeof a);
        if (i == 0 && isfinite(h->pct_of_peak) && !env->sim_scale)
            snprintf(rows[k].value, sizeof rows[k].value, "%s (%.1f%% of the %s's %.0f)", a, h->pct_of_peak,
                     env->simulated ? "profile" : "device", env->peak_gflops);
        else if (i == 0 && isfinite(h->pct_of_peak))
            snprintf(rows[k].value, sizeof rows[k].value,
                     "%s (time scale %g: not comparable with the %.0f peak)", a, env->sim_scale,
                     env->peak_gflops);
        else
            snprintf(rows[k].value, sizeof rows[k].value, "%s%s", a,
                     h->peak[i].is_int ? "" : " (peak unknown)");
        rp_case_label(h->peak[i].rec, NULL, 1, rows[k].from, sizeof rows[k].from);
    }
    if (h->peak_hw_rec) {
        snprintf(rows[k].name, sizeof rows[k].name, "peak GFLOPS, hardware time%s",
                 record_hw_whatif(h->peak_hw_rec) ? " (WHAT-IF: modelled, no real run)" : "");
        rp_num(h->peak_hw, rows[k].value, sizeof rows[k].value);
        rp_case_label(h->peak_hw_rec, NULL, 1, rows[k].from, sizeof rows[k].from);
        k++;
    }
    snprintf(rows[k].name, sizeof rows[k].name, "dispatch floor (smallest eval median)");
    fmt_ns(h->floor_ns, rows[k].value, sizeof rows[k].value);
    if (h->floor_rec)
        rp_case_label(h->floor_rec, NULL, 1, rows[k].from, sizeof rows[k].from);
    k++;
    static const char *const ph[] = {"compile", "load", "first eval", "reload"};
    const double phv[] = {h->compile_ms, h->load_ms, h->first_eval_ms, h->reload_ms};
    for (int i = 0; i < 4; i++, k++) {
        snprintf(rows[k].name, sizeof rows[k].name, "%s, median", ph[i]);
        fmt_ms(phv[i], rows[k].value, sizeof rows[k].value);
        snprintf(rows[k].from, sizeof rows[k].from, "over the %zu ok cases", h->status[AB_ST_OK]);
    }
    snprintf(rows[k].name, sizeof rows[k].name, "first load (the first case run)");
    fmt_ms(h->first_load_ms, rows[k].value, sizeof rows[k].value);
    if (h->first_load_rec)
        rp_case_label(h->first_load_rec, NULL, 1, rows[k].from, sizeof rows[k].from);
    k++;
    if (h->n_hw) {
        snprintf(rows[k].name, sizeof rows[k].name, "hardware / wall time, median%s",
                 env->simulated ? " (WHAT-IF: modelled hardware time)" : "");
        fmt_ns(h->wall_minus_hw_ns, b, sizeof b);
        snprintf(rows[k].value, sizeof rows[k].value, "%.3f (wall - hw: %s)", h->hw_over_wall, b);
        snprintf(rows[k].from, sizeof rows[k].from, "over the %zu cases with hardware time", h->n_hw);
        k++;
    }
    if (h->n_load_known) {
        snprintf(rows[k].name, sizeof rows[k].name, "measured under contention");
        snprintf(rows[k].value, sizeof rows[k].value, "%zu of %zu case%s", h->n_contended, h->n_load_known,
                 h->n_load_known == 1 ? "" : "s");
        snprintf(rows[k].from, sizeof rows[k].from, "over the cases whose records say%s",
                 h->n_contended ? " (host load; marked '!' in the tables): their times may be the host's, "
                                  "not the engine's"
                                : "");
        k++;
    }
    if (h->n_hot) {
        snprintf(rows[k].name, sizeof rows[k].name, "thermal state not nominal");
        snprintf(rows[k].value, sizeof rows[k].value, "%zu case%s", h->n_hot, h->n_hot == 1 ? "" : "s");
        snprintf(rows[k].from, sizeof rows[k].from, "their times may be throttled");
        k++;
    }
    return k;
}

static void simulated_banner(rp_ctx *x, const ab_runenv *env, const char *label)
{
    doc_p(&x->d);
    doc_strong(&x->d, "SIMULATED");
    doc_text(&x->d, ": %s%s's figures come from %s, a model of %s, not from a device.",
             label ? label : "this run", label ? "" : "", env->backend,
             env->sim_chip[0] ? env->sim_chip : "the ANE");
    if (env->sim_scale > 0)
        doc_text(&x->d,
                 " Its simulator ran at time scale %g: every time is %g times the model's, every GFLOPS "
                 "figure 1/%g times it.",
                 env->sim_scale, env->sim_scale, env->sim_scale);
    doc_p_end(&x->d);
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Rounds (--repeat; the reader merged each key's, rounds.h) and contention:
 * how far the figures can be trusted, said before them. Nothing when the
 * run has neither. */
static void measurement_note(rp_ctx *x, const ab_run *run, const char *label)
{
    size_t ncont = 0, nsp = 0, nok = 0;
    double *sp = malloc((run->n ? run->n : 1) * sizeof *sp), worst = -1;
    const char *worst_key = "";
    for (size_t i = 0; i < run->n; i++) {
        const ab_record *r = &run->recs[i];
        nok += r->status == AB_ST_OK;
        ncont += r->status == AB_ST_OK && r->contended == 1;
        double s = r->status == AB_ST_OK ? rounds_spread_pct(r, AB_RS_EVAL) : NAN;
        if (sp && isfinite(s)) {
            sp[nsp++] = s;
            if (s > worst) {
                worst = s;
                worst_key = r->key;
            }
        }
    }
    size_t nwhatif = 0;
    for (size_t i = 0; i < run->n; i++)
        nwhatif += run->recs[i].status == AB_ST_OK && record_hw_whatif(&run->recs[i]);
    if (nwhatif) {
        doc_p(&x->d);
        doc_strong(&x->d, "WHAT-IF");
        doc_text(&x->d,
                 ": the hardware times (hwExecutionTime) of %zu case%s of %s are the simulator's modelled "
                 "values (%s), which no real run produced; they show what the figures would be if the "
                 "counters worked as modelled.",
                 nwhatif, nwhatif == 1 ? "" : "s", label ? label : "this run",
                 run->recs[0].backend[0] ? run->recs[0].backend : "ane-sim");
        doc_p_end(&x->d);
    }
    int rounds = rounds_most(run);
    if (rounds > 1) {
        doc_p(&x->d);
        doc_strong(&x->d, "Rounds");
        doc_text(&x->d,
                 ": %s ran its sweep %d times (--repeat), interleaved; each case's figures are the median of "
                 "its rounds' medians, its interval the hull of the rounds' intervals.",
                 label ? label : "this run", rounds);
        if (nsp) {
            qsort(sp, nsp, sizeof *sp, dbl_cmp);
            doc_text(&x->d,
                     " Spread between rounds (highest - lowest round median of eval, %% of the figure): "
                     "median %.1f%%, largest %.1f%% (%s).",
                     nsp % 2 ? sp[nsp / 2] : (sp[nsp / 2 - 1] + sp[nsp / 2]) / 2, worst, worst_key);
        }
        doc_p_end(&x->d);
    }
    if (ncont) {
        doc_p(&x->d);
        doc_strong(&x->d, "Contention");
        doc_text(&x->d,
                 ": %zu of %zu ok cases of %s were measured while the host was busy (record \"contended\"): "
                 "their times may be the host's, not the engine's.",
                 ncont, nok, label ? label : "this run");
        doc_p_end(&x->d);
    }
    free(sp);
}

/* ---- failures ---- */

typedef struct fgroup {
    ab_status st;
    char stage[32];
    const char *error;
    size_t n;
    const ab_record *example;
    int run; /* which run (several runs) */
} fgroup;

/* "compile: ANECompilerService ..." -> stage "compile", error the rest. */
static void split_reason(const char *reason, char *stage, size_t n, const char **error)
{
    size_t w = strcspn(reason, ": ");
    stage[0] = '\0';
    *error = reason;
    if (w > 0 && w < n && reason[w] == ':' && reason[w + 1] == ' ') {
        snprintf(stage, n, "%.*s", (int)w, reason);
        *error = reason + w + 2;
    }
}

static int fg_cmp(const void *a, const void *b)
{
    const fgroup *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    if (x->run != y->run)
        return x->run - y->run;
    if (x->st != y->st)
        return (int)x->st - (int)y->st;
    int c = strcmp(x->stage, y->stage);
    return c ? c : strcmp(x->error, y->error);
}

/* Adds the non-ok records of v (skipped ones when skipped) to *gs. */
static void collect_failures(const ab_recview *v, int run, int skipped, fgroup **gs, size_t *ng)
{
    for (size_t i = 0; i < v->n; i++) {
        const ab_record *r = v->recs[i];
        if (r->status == AB_ST_OK || (r->status == AB_ST_SKIPPED) != skipped)
            continue;
        char stage[32];
        const char *error;
        split_reason(r->reason[0] ? r->reason : "(no reason given)", stage, sizeof stage, &error);
        size_t k = 0;
        while (k < *ng && !((*gs)[k].run == run && (*gs)[k].st == r->status &&
                            !strcmp((*gs)[k].stage, stage) && !strcmp((*gs)[k].error, error)))
            k++;
        if (k == *ng) {
            fgroup *g = realloc(*gs, (*ng + 1) * sizeof **gs);
            if (!g)
                return;
            *gs = g;
            (*ng)++;
            g[k] = (fgroup){.st = r->status, .error = error, .example = r, .run = run};
            ab_strlcpy(g[k].stage, stage, sizeof g[k].stage);
        }
        (*gs)[k].n++;
    }
}

/* Failures (or skips) of views[0..nv) as one table; labels name the runs
 * when there are several. */
static void failures(rp_ctx *x, const ab_recview *views, size_t nv, const char *labels, int skipped)
{
    fgroup *gs = NULL;
    size_t ng = 0;
    for (size_t i = 0; i < nv; i++)
        collect_failures(&views[i], (int)i, skipped, &gs, &ng);
    if (!ng) {
        free(gs);
        return;
    }
    qsort(gs, ng, sizeof *gs, fg_cmp);
    size_t total = 0;
    for (size_t i = 0; i < ng; i++)
        total += gs[i].n;
    doc_heading(&x->d, 2, skipped ? "Skipped cases, by reason" : "Failures, by status, stage and error");
    doc_table t;
    size_t off = nv > 1;
    if (dt_init(&t, (skipped ? 3 : 5) + off) != 0) {
        free(gs);
        return;
    }
    if (off)
        dt_head(&t, 0, "run", 'l');
    if (!skipped) {
        dt_head(&t, off, "status", 'l');
        dt_head(&t, off + 1, "stage", 'l');
    }
    size_t c = skipped ? off : off + 2;
    dt_head(&t, c, skipped ? "reason" : "error", 'l');
    dt_head(&t, c + 1, "cases", 'r');
    dt_head(&t, c + 2, "for example", 'l');
    char label[200];
    for (size_t i = 0; i < ng; i++) {
        size_t row = dt_row(&t);
        if (row == (size_t)-1)
            break;
        if (off)
            dt_set(&t, row, 0, "%s", labels + (size_t)gs[i].run * PLOT_LABEL_MAX);
        if (!skipped) {
            dt_set(&t, row, off, "%s", status_name(gs[i].st));
            dt_set(&t, row, off + 1, "%s", gs[i].stage[0] ? gs[i].stage : "-");
        }
        dt_set(&t, row, c, "%.200s%s", gs[i].error, strlen(gs[i].error) > 200 ? "..." : "");
        dt_set(&t, row, c + 1, "%zu", gs[i].n);
        rp_case_label(gs[i].example, NULL, 1, label, sizeof label);
        dt_set(&t, row, c + 2, "%s", label);
        t.rank[row] = (double)gs[i].n;
    }
    doc_p(&x->d);
    doc_text(&x->d, "%zu case%s in %zu group%s.", total, total == 1 ? "" : "s", ng, ng == 1 ? "" : "s");
    doc_p_end(&x->d);
    rp_table(x, &t, skipped ? "skip reasons" : "failure groups", "most cases");
    dt_free(&t);
    free(gs);
}

/* ---- one run ---- */

static void report_one(rp_ctx *x, const ab_run *run, const char *name)
{
    ab_recview v;
    if (recview_init(&v, run) != 0)
        return;
    ab_runenv env;
    ab_headline h;
    runenv_read(run, &env);
    headline_compute(&v, &env, &h);

    char title[300];
    snprintf(title, sizeof title, "anebench report: %s", env.run_id[0] ? env.run_id : name);
    doc_heading(&x->d, 1, title);
    if (env.simulated)
        simulated_banner(x, &env, NULL);
    if (run->truncated_tail) {
        doc_p(&x->d);
        doc_text(&x->d, "The journal's last line was incomplete (a run cut off) and is left out.");
        doc_p_end(&x->d);
    }
    measurement_note(x, run, NULL);

    doc_heading(&x->d, 2, "Environment");
    envrow er[16];
    size_t ne = env_rows(&env, &h, er);
    doc_table t;
    if (dt_init(&t, 2) == 0) {
        dt_head(&t, 0, "", 'l');
        dt_head(&t, 1, "", 'l');
        for (size_t i = 0; i < ne; i++) {
            size_t row = dt_row(&t);
            dt_set(&t, row, 0, "%s", er[i].name);
            dt_set(&t, row, 1, "%s", er[i].value);
        }
        size_t *idx = NULL, k = dt_pick(&t, 0, &idx);
        doc_table_write(&x->d, &t, idx, k);
        free(idx);
        dt_free(&t);
    }

    doc_heading(&x->d, 2, "Headline figures");
    hlrow hr[HL_MAX];
    size_t nh = headline_rows(&env, &h, hr);
    if (dt_init(&t, 3) == 0) {
        dt_head(&t, 0, "figure", 'l');
        dt_head(&t, 1, "value", 'r');
        dt_head(&t, 2, "from", 'l');
        for (size_t i = 0; i < nh; i++) {
            size_t row = dt_row(&t);
            dt_set(&t, row, 0, "%s", hr[i].name);
            dt_set(&t, row, 1, "%s", hr[i].value);
            dt_set(&t, row, 2, "%s", hr[i].from);
        }
        size_t *idx = NULL, k = dt_pick(&t, 0, &idx);
        doc_table_write(&x->d, &t, idx, k);
        free(idx);
        dt_free(&t);
    }
    if (!h.status[AB_ST_OK]) {
        doc_p(&x->d);
        doc_text(&x->d, "No case has status ok: there is no throughput to report.");
        doc_p_end(&x->d);
    }

    rp_sweeps(x, &v);
    failures(x, &v, 1, NULL, 0);
    failures(x, &v, 1, NULL, 1);
    recview_free(&v);
}

/* ---- several runs ---- */

/* A run's records by key: a hash index (open addressing) of record
 * pointers and their keys' hashes, which the reader took (run->key_hash)
 * where it can: a lookup touches a record only when the hashes match (a
 * sort and binary searches by key text were a quarter of a report of two
 * 100k-case runs). */
typedef struct keyidx {
    const ab_record **slot;
    uint64_t *hash;
    size_t mask;
} keyidx;

static uint64_t rec_hash(const ab_run *run, const ab_record *r)
{
    size_t i = (size_t)(r - run->recs);
    return run->key_hash && r >= run->recs && i < run->n ? run->key_hash[i] : ab_key_hash(r->key);
}

static const ab_record *keyidx_find(const keyidx *ix, uint64_t h, const char *key)
{
    for (size_t at = (size_t)h & ix->mask; ix->slot[at]; at = (at + 1) & ix->mask)
        if (ix->hash[at] == h && strcmp(ix->slot[at]->key, key) == 0)
            return ix->slot[at];
    return NULL;
}

/* 0, or -1 when out of memory. A later record of a key replaces an earlier. */
static int keyidx_build(keyidx *ix, const ab_recview *v)
{
    size_t cap = 16;
    while (cap < 2 * v->n)
        cap *= 2;
    ix->mask = cap - 1;
    ix->slot = calloc(cap, sizeof *ix->slot);
    ix->hash = malloc(cap * sizeof *ix->hash);
    if (!ix->slot || !ix->hash)
        return -1;
    for (size_t i = 0; i < v->n; i++) {
        const ab_record *r = v->recs[i];
        uint64_t h = rec_hash(v->run, r);
        size_t at = (size_t)h & ix->mask;
        while (ix->slot[at] && !(ix->hash[at] == h && strcmp(ix->slot[at]->key, r->key) == 0))
            at = (at + 1) & ix->mask;
        ix->slot[at] = r;
        ix->hash[at] = h;
    }
    return 0;
}

static void side_by_side(rp_ctx *x, const char *heading, size_t nrun, const char *labels, size_t nrows,
                         const char *const *names, const char *cells /* nrows*nrun*256 */)
{
    doc_heading(&x->d, 2, heading);
    doc_table t;
    if (dt_init(&t, 1 + nrun) != 0)
        return;
    dt_head(&t, 0, "", 'l');
    for (size_t r = 0; r < nrun; r++)
        dt_head(&t, 1 + r, labels + r * PLOT_LABEL_MAX, 'l');
    for (size_t i = 0; i < nrows; i++) {
        size_t row = dt_row(&t);
        dt_set(&t, row, 0, "%s", names[i]);
        for (size_t r = 0; r < nrun; r++)
            dt_set(&t, row, 1 + r, "%s", cells + (i * nrun + r) * 256);
    }
    size_t *idx = NULL, k = dt_pick(&t, 0, &idx);
    doc_table_write(&x->d, &t, idx, k);
    free(idx);
    dt_free(&t);
}

/* The cases table of several runs: a row per key, ranked by the largest
 * max / min of the runs' figures. Only the rows shown get their cells
 * (case_row with t): formatting 100,000 rows to show 200 was most of a
 * report's time after the reading. */
typedef struct cases_ctx {
    const ab_run *runs;
    size_t nrun;
    const keyidx *ix;
    const ab_record **rec; /* per row: the record its key was first met in */
    const char *unit;      /* "GFLOPS", or "TOPS" when the last figure looked up was an integer family's */
} cases_ctx;

/* Row row of the record rec (its key's hash hk): its rank (the runs' max / min, NAN none) and,
 * with t, its cells. */
static double case_row(cases_ctx *cx, const ab_record *rec, uint64_t hk, doc_table *t, size_t row)
{
    size_t nrun = cx->nrun;
    char label[200], num[64];
    if (t) {
        rp_case_label(rec, NULL, 1, label, sizeof label);
        dt_set(t, row, 0, "%s", label);
    }
    double lo = NAN, hi = NAN;
    for (size_t q = 0; q < nrun; q++) {
        const ab_record *o = keyidx_find(&cx->ix[q], hk, rec->key);
        double tp = o ? record_throughput(o, &cx->unit) : NAN;
        if (!o) {
            if (t)
                dt_set(t, row, 1 + q, "-");
        } else if (o->status != AB_ST_OK || !isfinite(tp)) {
            if (t)
                dt_set(t, row, 1 + q, "%s%s", status_name(o->status),
                       o->contended == 1 ? AB_CONTENDED_MARK : "");
        } else {
            if (t) {
                rp_num(tp, num, sizeof num);
                dt_set(t, row, 1 + q, "%s%s", num, o->contended == 1 ? AB_CONTENDED_MARK : "");
            }
            lo = isnan(lo) || tp < lo ? tp : lo;
            hi = isnan(hi) || tp > hi ? tp : hi;
        }
    }
    if (isfinite(lo) && lo > 0 && hi > lo) {
        if (t)
            dt_set(t, row, nrun + 1, "%.2f", hi / lo);
        return hi / lo;
    }
    if (isfinite(lo)) {
        if (t)
            dt_set(t, row, nrun + 1, "1.00");
        return 1;
    }
    return NAN;
}

static void case_fill(doc_table *t, size_t row, void *ctx)
{
    cases_ctx *cx = ctx;
    const char *unit = cx->unit; /* (the unit said is the one of the whole table) */
    const ab_record *rec = cx->rec[row];
    uint64_t hk = ab_key_hash(rec->key);
    for (size_t q = 0; q < cx->nrun; q++) /* the run rec is of: the hash the reader took */
        if (rec >= cx->runs[q].recs && rec < cx->runs[q].recs + cx->runs[q].n) {
            hk = rec_hash(&cx->runs[q], rec);
            break;
        }
    case_row(cx, rec, hk, t, row);
    cx->unit = unit;
}

static void report_many(rp_ctx *x, const ab_run *runs, size_t nrun)
{
    ab_recview *v = calloc(nrun, sizeof *v);
    ab_runenv *env = calloc(nrun, sizeof *env);
    ab_headline *h = calloc(nrun, sizeof *h);
    keyidx *ix = calloc(nrun, sizeof *ix);
    char *labels = calloc(nrun, PLOT_LABEL_MAX);
    size_t total = 0;
    int ok = v && env && h && ix && labels;
    for (size_t r = 0; ok && r < nrun; r++) {
        ok = recview_init(&v[r], &runs[r]) == 0;
        if (!ok)
            break;
        runenv_read(&runs[r], &env[r]);
        headline_compute(&v[r], &env[r], &h[r]);
        ok = keyidx_build(&ix[r], &v[r]) == 0;
        total += v[r].n;
    }
    if (ok)
        plot_run_labels(runs, nrun, labels, PLOT_LABEL_MAX);

    if (ok) {
        doc_heading(&x->d, 1, "anebench report: several runs");
        for (size_t r = 0; r < nrun; r++)
            if (env[r].simulated)
                simulated_banner(x, &env[r], labels + r * PLOT_LABEL_MAX);
        for (size_t r = 0; r < nrun; r++)
            measurement_note(x, &runs[r], labels + r * PLOT_LABEL_MAX);

        /* environment and headline, one column per run */
        envrow er[16];
        hlrow hr[HL_MAX];
        const char *names[HL_MAX + 16];
        char *cells = calloc((HL_MAX + 16) * nrun, 256);
        size_t ne = 0, nh = 0;
        for (size_t r = 0; cells && r < nrun; r++) {
            ne = env_rows(&env[r], &h[r], er);
            for (size_t i = 0; i < ne; i++) {
                names[i] = er[i].name;
                ab_strlcpy(cells + (i * nrun + r) * 256, er[i].value, 256);
            }
        }
        if (cells)
            side_by_side(x, "Environment", nrun, labels, ne, names, cells);
        /* headline rows differ in number between runs (families, hw): take
         * the figure names of the run with the most, match by name */
        char(*hnames)[64] = calloc(HL_MAX + 16, sizeof *hnames);
        size_t nnames = 0;
        if (!hnames) {
            free(cells);
            cells = NULL;
        }
        if (cells)
            memset(cells, 0, (HL_MAX + 16) * nrun * 256);
        for (size_t r = 0; cells && r < nrun; r++) {
            nh = headline_rows(&env[r], &h[r], hr);
            for (size_t i = 0; i < nh; i++) {
                size_t k = 0;
                while (k < nnames && strcmp(hnames[k], hr[i].name))
                    k++;
                if (k == nnames && nnames < HL_MAX + 16)
                    ab_strlcpy(hnames[nnames++], hr[i].name, 64);
                if (k < nnames) {
                    char *c = cells + (k * nrun + r) * 256;
                    if (hr[i].from[0] && strncmp(hr[i].from, "over the", 8))
                        snprintf(c, 256, "%s (%s)", hr[i].value, hr[i].from);
                    else
                        snprintf(c, 256, "%s", hr[i].value);
                }
            }
        }
        for (size_t i = 0; i < nnames; i++)
            names[i] = hnames[i];
        if (cells)
            side_by_side(x, "Headline figures", nrun, labels, nnames, names, cells);
        free(cells);
        free(hnames);

        /* the cases joined on their key: every case of the first run is a
         * row, all shown when top is 0 (not even made when they are too many) */
        doc_table t;
        if (!(x->top == 0 && rp_give_up(x, v[0].n, nrun + 2)) && dt_init(&t, nrun + 2) == 0) {
            dt_head(&t, 0, "case", 'l');
            for (size_t r = 0; r < nrun; r++)
                dt_head(&t, 1 + r, labels + r * PLOT_LABEL_MAX, 'r');
            dt_head(&t, nrun + 1, "max / min", 'r');
            cases_ctx cx = {runs, nrun, ix, NULL, "GFLOPS"};
            size_t rcap = 0;
            for (size_t r = 0; r < nrun; r++)
                for (size_t i = 0; i < v[r].n; i++) {
                    const ab_record *rec = v[r].recs[i];
                    uint64_t hk = rec_hash(&runs[r], rec);
                    int seen = 0;
                    for (size_t q = 0; q < r && !seen; q++)
                        seen = keyidx_find(&ix[q], hk, rec->key) != NULL;
                    if (seen)
                        continue;
                    size_t row = dt_row(&t);
                    if (row == (size_t)-1)
                        break;
                    if (row == rcap) {
                        rcap = rcap ? 2 * rcap : 1024;
                        const ab_record **nr = realloc(cx.rec, rcap * sizeof *nr);
                        if (!nr) {
                            t.nrows--;
                            break;
                        }
                        cx.rec = nr;
                    }
                    cx.rec[row] = rec;
                    t.rank[row] = case_row(&cx, rec, hk, NULL, row);
                }
            const char *unit = cx.unit;
            doc_heading(&x->d, 2, "Cases, one column per run");
            doc_p(&x->d);
            doc_text(
                &x->d,
                "%s (wall clock, from the median eval) of the %zu cases of the %zu runs, joined on the case "
                "key; a status where a case has no figure, - where a run does not have it.",
                unit, t.nrows, nrun);
            size_t busy = 0;
            for (size_t r = 0; r < nrun; r++)
                busy += h[r].n_contended;
            if (busy)
                doc_text(&x->d,
                         " ! marks a case measured under contention (host load): its figure may be the "
                         "host's, not the engine's.");
            doc_p_end(&x->d);
            char summary[96];
            snprintf(summary, sizeof summary, "%zu cases", t.nrows);
            rp_table_fill(x, &t, summary, "largest max / min between the runs", case_fill, &cx);
            free(cx.rec);
            dt_free(&t);
        }
        failures(x, v, nrun, labels, 0);
        failures(x, v, nrun, labels, 1);
    }
    (void)total;
    for (size_t r = 0; r < nrun; r++) {
        if (v)
            recview_free(&v[r]);
        if (ix) {
            free(ix[r].slot);
            free(ix[r].hash);
        }
    }
    free(v);
    free(env);
    free(h);
    free(ix);
    free(labels);
}

/* ---- the document and its budget ---- */

static void charts_section(rp_ctx *x)
{
    const ab_report_opts *o = x->o;
    if (x->d.fmt != DOC_HTML)
        return;
    doc_heading(&x->d, 2, "Charts");
    if (!o->ncharts) {
        doc_p(&x->d);
        doc_text(&x->d, "%s", o->charts_note ? o->charts_note : "No chart has data.");
        doc_p_end(&x->d);
        return;
    }
    for (size_t i = 0; i < o->ncharts; i++) {
        doc_raw(&x->d, "<figure>", 8);
        doc_raw(&x->d, o->charts[i].svg, o->charts[i].len);
        doc_raw(&x->d, "<figcaption>", 12);
        doc_text(&x->d, "%s", o->charts[i].title);
        doc_raw(&x->d, "</figcaption></figure>\n", 23);
    }
}

/* One rendering with top rows a table; with give_up, NULL and *over set
 * when it would be longer than that (rp_ctx). */
static char *render_pass(const ab_run *runs, size_t nruns, const ab_report_opts *o, size_t top,
                         size_t give_up, size_t *len, size_t *left_rows, int *over)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return NULL;
    rp_ctx x = {.top = top, .o = o, .give_up = give_up};
    doc_begin(&x.d, f, o->fmt, nruns == 1 ? "anebench report" : "anebench report: several runs");
    if (nruns == 1)
        report_one(&x, &runs[0], o->names ? o->names[0] : runs[0].origin);
    else
        report_many(&x, runs, nruns);
    charts_section(&x);
    if (x.left_rows) {
        doc_p(&x.d);
        doc_text(&x.d, "Left out: %zu row%s of %zu table%s", x.left_rows, x.left_rows == 1 ? "" : "s",
                 x.left_tables, x.left_tables == 1 ? "" : "s");
        if (o->fmt == DOC_MD && top != o->top)
            doc_text(&x.d, ", to fit in one GitHub comment (%d characters)", AB_GITHUB_COMMENT_MAX);
        else
            doc_text(&x.d, " (--top %zu)", top);
        doc_text(&x.d, ". All of them: ");
        doc_code(&x.d, "anebench report RUN... --all -o report.md");
        doc_text(&x.d, " (or ");
        doc_code(&x.d, "--format html");
        doc_text(&x.d, ").");
        doc_p_end(&x.d);
    }
    doc_end(&x.d);
    *over = x.over;
    if (fclose(f) != 0 || x.over) {
        free(buf);
        return NULL;
    }
    *len = n;
    *left_rows = x.left_rows;
    return buf;
}

/* The last resort when even one row per table is too long (thousands of
 * failure groups, dozens of runs): the text is cut at a line end, an open
 * <details> closed, and the cut said. */
static void hard_cut(char *text, size_t *len, size_t budget)
{
    static const char note[] = "\n</details>\n\n**The report is cut here** to fit in one GitHub comment: "
                               "`anebench report RUN... --all -o report.md` writes all of it.\n";
    size_t keep = budget > sizeof note ? budget - sizeof note : 0;
    while (keep > 0 && text[keep - 1] != '\n')
        keep--;
    size_t open = 0;
    for (const char *p = text; (p = strstr(p, "<details>")) && (size_t)(p - text) < keep; p++)
        open++;
    for (const char *p = text; (p = strstr(p, "</details>")) && (size_t)(p - text) < keep; p++)
        open--;
    const char *add = open ? note : note + strlen("\n</details>\n");
    memcpy(text + keep, add, strlen(add) + 1);
    *len = keep + strlen(add);
}

char *report_render(const ab_run *runs, size_t nruns, const ab_report_opts *o, size_t *len, ab_err *e)
{
    size_t budget = o->budget ? o->budget : AB_GITHUB_COMMENT_MAX;
    size_t top = o->all ? 0 : o->top;
    int fit = o->fmt == DOC_MD && !o->all;
    for (;;) {
        size_t left = 0;
        int over = 0;
        char *text = render_pass(runs, nruns, o, top, fit && top != 1 ? budget : 0, len, &left, &over);
        if (!text && !over) {
            ab_errf(e, AB_EFAIL, "out of memory writing the report");
            return NULL;
        }
        if (text && (!fit || *len <= budget))
            return text;
        if (top == 1) { /* (never over) */
            hard_cut(text, len, budget);
            return text;
        }
        /* too long for a comment: fewer rows per table, until it fits */
        free(text);
        if (top == 0)
            top = MD_FIRST_CUT;
        else
            top = top * 3 / 4 < top - 1 ? top * 3 / 4 : top - 1;
        if (top < 1)
            top = 1;
    }
}
