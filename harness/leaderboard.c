/* leaderboard.c: one table per preset from many submissions (see
 * leaderboard.h). Entries are summarised once (recview), sorted into a
 * fixed order, then written as markdown (doc.c), CSV (libcsv) or JSON
 * (cJSON). */
#include <cjson/cJSON.h>
#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/doc.h"
#include "harness/export.h"
#include "harness/leaderboard.h"
#include "harness/report_int.h"
#include "harness/runsummary.h"

typedef struct lb_entry {
    ab_recview v;
    ab_runenv env;
    ab_headline h;
    char hash[40];
    char preset[64];
    size_t submissions; /* of this machine and preset (this one included) */
    int keep;           /* the newest of its machine: gets a row */
} lb_entry;

/* The columns of a row, shared by every format. */
enum {
    C_RANK,
    C_MACHINE,
    C_ANE,
    C_CORES,
    C_MEM,
    C_OS,
    C_BACKEND,
    C_TOOL,
    C_DATE,
    C_CASES,
    C_PEAK,
    C_UNIT,
    C_PEAK_CASE,
    C_PCT,
    C_FLOOR,
    C_COMPILE,
    C_LOAD,
    C_HASH,
    C_SUBS,
    C_COUNT
};

static const char *const col_name[C_COUNT] = {
    "rank",     "machine",    "ane",     "cpu_cores",     "memory_gib", "os",        "backend",
    "anebench", "date",       "cases",   "peak",          "unit",       "peak_case", "pct_of_peak",
    "floor_us", "compile_ms", "load_ms", "hardware_hash", "submissions"};
static const char *const col_head[C_COUNT] = {
    "#",          "machine",      "ANE",       "cores",    "memory (GiB)", "OS",        "backend",
    "anebench",   "date",         "ok cases",  "peak",     "unit",         "peak case", "% of peak",
    "floor (us)", "compile (ms)", "load (ms)", "hardware", "runs"};

static void preset_of(const ab_runenv *env, char *buf, size_t n)
{
    snprintf(buf, n, "%s", env->preset[0] ? env->preset : "(sweep file or axes)");
}

/* Is a newer than b (started, then run id, then peak: content only). */
static int newer(const lb_entry *a, const lb_entry *b)
{
    int c = strcmp(a->env.started, b->env.started);
    if (!c)
        c = strcmp(a->env.run_id, b->env.run_id);
    if (!c) {
        double x = a->h.npeak ? a->h.peak[0].gflops : -1, y = b->h.npeak ? b->h.peak[0].gflops : -1;
        c = (x > y) - (x < y);
    }
    return c > 0;
}

static int same_machine(const lb_entry *a, const lb_entry *b)
{
    return !strcmp(a->hash, b->hash) && !strcmp(a->env.backend, b->env.backend) &&
           !strcmp(a->preset, b->preset);
}

static double peak_of(const lb_entry *x)
{
    return x->h.npeak && isfinite(x->h.peak[0].gflops) ? x->h.peak[0].gflops : -1;
}

/* The fixed order: preset (a sweep file last), measured before simulated,
 * peak descending, then hash and backend. */
static int entry_cmp(const void *pa, const void *pb)
{
    const lb_entry *a = *(const lb_entry *const *)pa, *b = *(const lb_entry *const *)pb;
    int ca = a->env.preset[0] == '\0', cb = b->env.preset[0] == '\0';
    if (ca != cb)
        return ca - cb;
    int c = strcmp(a->preset, b->preset);
    if (c)
        return c;
    if (a->env.simulated != b->env.simulated)
        return a->env.simulated - b->env.simulated;
    double x = peak_of(a), y = peak_of(b);
    if (x != y)
        return x < y ? 1 : -1;
    c = strcmp(a->hash, b->hash);
    if (c)
        return c;
    c = strcmp(a->env.backend, b->env.backend);
    return c ? c : strcmp(a->env.run_id, b->env.run_id);
}

static void cell_text(const lb_entry *x, int rank, int col, int full, char *buf, size_t n)
{
    const ab_runenv *env = &x->env;
    const ab_headline *h = &x->h;
    buf[0] = '\0';
    switch (col) {
    case C_RANK:
        snprintf(buf, n, "%d", rank);
        break;
    case C_MACHINE:
        if (env->simulated && env->sim_chip[0])
            snprintf(buf, n, "%s, simulated on %s", env->sim_chip,
                     env->chip[0]        ? env->chip
                     : env->cpu_model[0] ? env->cpu_model
                                         : "unknown");
        else
            snprintf(buf, n, "%s", env->chip[0] ? env->chip : env->cpu_model[0] ? env->cpu_model : "unknown");
        break;
    case C_ANE:
        if (env->ane_family[0] || env->ane_subtype[0] || env->ane_cores >= 0) {
            snprintf(buf, n, "%s/%s/", env->ane_family[0] ? env->ane_family : "-",
                     env->ane_subtype[0] ? env->ane_subtype : "-");
            if (env->ane_cores >= 0)
                snprintf(buf + strlen(buf), n - strlen(buf), "%ld", env->ane_cores);
            else
                snprintf(buf + strlen(buf), n - strlen(buf), "-");
        }
        break;
    case C_CORES:
        if (env->cores >= 0)
            snprintf(buf, n, "%ld", env->cores);
        break;
    case C_MEM:
        if (isfinite(env->mem_bytes) && env->mem_bytes > 0)
            snprintf(buf, n, "%.0f", env->mem_bytes / (1024.0 * 1024 * 1024));
        break;
    case C_OS:
        snprintf(buf, n, "%s%s%s%s", env->os, env->os_build[0] ? " (" : "", env->os_build,
                 env->os_build[0] ? ")" : "");
        break;
    case C_BACKEND:
        snprintf(buf, n, "%s", env->backend);
        if (env->simulated && !full)
            snprintf(buf + strlen(buf), n - strlen(buf), " SIMULATED");
        if (env->sim_scale > 0)
            snprintf(buf + strlen(buf), n - strlen(buf), " (time scale %g)", env->sim_scale);
        break;
    case C_TOOL:
        snprintf(buf, n, "%s %s%s", env->tool_version, env->tool_git, env->tool_dirty == 1 ? " dirty" : "");
        break;
    case C_DATE:
        snprintf(buf, n, "%.10s", env->started);
        break;
    case C_CASES:
        snprintf(buf, n, "%zu/%zu", h->status[AB_ST_OK], h->n);
        break;
    case C_PEAK:
        if (h->npeak && isfinite(h->peak[0].gflops)) {
            double v = h->peak[0].is_int ? h->peak[0].gflops / 1000 : h->peak[0].gflops;
            if (full)
                snprintf(buf, n, "%.17g", v);
            else
                rp_num(v, buf, n);
        }
        break;
    case C_UNIT:
        if (h->npeak)
            snprintf(buf, n, "%s", h->peak[0].is_int ? "TOPS" : "GFLOPS");
        break;
    case C_PEAK_CASE:
        if (h->npeak && h->peak[0].rec)
            rp_case_label(h->peak[0].rec, NULL, 1, buf, n);
        break;
    case C_PCT:
        if (isfinite(h->pct_of_peak) && !env->sim_scale)
            snprintf(buf, n, full ? "%.17g" : "%.1f", h->pct_of_peak);
        break;
    case C_FLOOR:
        if (isfinite(h->floor_ns))
            snprintf(buf, n, full ? "%.17g" : "%.2f", h->floor_ns / 1000);
        break;
    case C_COMPILE:
        if (isfinite(h->compile_ms))
            snprintf(buf, n, full ? "%.17g" : "%.3g", h->compile_ms);
        break;
    case C_LOAD:
        if (isfinite(h->load_ms))
            snprintf(buf, n, full ? "%.17g" : "%.3g", h->load_ms);
        break;
    case C_HASH:
        snprintf(buf, n, "%.*s", full ? (int)sizeof x->hash : 8, full ? x->hash : x->hash + 8);
        break;
    case C_SUBS:
        snprintf(buf, n, "%zu", x->submissions);
        break;
    }
}

/* ---- formats ---- */

static void md_table(doc *d, lb_entry **e, size_t from, size_t to)
{
    doc_table t;
    if (dt_init(&t, C_COUNT - 1) != 0) /* the unit goes into the peak's header */
        return;
    char buf[512];
    const char *unit = "GFLOPS";
    for (size_t i = from; i < to; i++)
        if (e[i]->h.npeak && e[i]->h.peak[0].is_int)
            unit = "TOPS";
    for (int c = 0, k = 0; c < C_COUNT; c++) {
        if (c == C_UNIT)
            continue;
        const char *hd = col_head[c];
        char peak[32];
        if (c == C_PEAK) {
            snprintf(peak, sizeof peak, "peak %s", unit);
            hd = peak;
        }
        int right = c == C_RANK || c == C_CORES || c == C_MEM || c == C_PEAK || c == C_PCT || c == C_FLOOR ||
                    c == C_COMPILE || c == C_LOAD || c == C_SUBS;
        dt_head(&t, (size_t)k++, hd, right ? 'r' : 'l');
    }
    for (size_t i = from; i < to; i++) {
        size_t row = dt_row(&t);
        if (row == (size_t)-1)
            break;
        for (int c = 0, k = 0; c < C_COUNT; c++) {
            if (c == C_UNIT)
                continue;
            cell_text(e[i], (int)(i - from + 1), c, 0, buf, sizeof buf);
            dt_set(&t, row, (size_t)k++, "%s", buf);
        }
    }
    size_t *idx = NULL, k = dt_pick(&t, 0, &idx);
    doc_table_write(d, &t, idx, k);
    free(idx);
    dt_free(&t);
}

static void render_md(FILE *f, lb_entry **e, size_t n, size_t nin)
{
    doc d;
    doc_begin(&d, f, DOC_MD, "anebench leaderboard");
    doc_heading(&d, 1, "anebench leaderboard");
    size_t machines = 0;
    for (size_t i = 0; i < n; i++)
        machines += e[i]->keep;
    doc_p(&d);
    doc_text(&d,
             "%zu submission%s, %zu row%s: one per machine (hardware hash and backend) and preset, from its "
             "newest submission; ranked by peak throughput (wall clock, median eval). Simulated runs are in "
             "tables of their own: their figures come from a model, not a device.",
             nin, nin == 1 ? "" : "s", machines, machines == 1 ? "" : "s");
    doc_p_end(&d);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !strcmp(e[j]->preset, e[i]->preset))
            j++;
        char title[128];
        snprintf(title, sizeof title, "preset %s", e[i]->preset);
        doc_heading(&d, 2, title);
        for (int sim = 0; sim < 2; sim++) {
            size_t a = i;
            while (a < j && e[a]->env.simulated != sim)
                a++;
            size_t b = a;
            while (b < j && e[b]->env.simulated == sim)
                b++;
            if (a == b)
                continue;
            if (sim)
                doc_heading(&d, 3, "SIMULATED (not measured on a device)");
            else
                doc_heading(&d, 3, "Measured");
            md_table(&d, e, a, b);
        }
        i = j;
    }
    doc_end(&d);
}

static void csv_field(FILE *f, const char *s, int first)
{
    if (!first)
        fputc(',', f);
    if (*s)
        csv_fwrite(f, s, strlen(s));
}

static void render_csv(FILE *f, lb_entry **e, size_t n)
{
    csv_field(f, "preset", 1);
    csv_field(f, "simulated", 0);
    for (int c = 0; c < C_COUNT; c++)
        csv_field(f, col_name[c], 0);
    fputc('\n', f);
    char buf[512];
    int rank = 0;
    for (size_t i = 0; i < n; i++) {
        rank = i && !strcmp(e[i]->preset, e[i - 1]->preset) && e[i]->env.simulated == e[i - 1]->env.simulated
                   ? rank + 1
                   : 1;
        csv_field(f, e[i]->preset, 1);
        csv_field(f, e[i]->env.simulated ? "true" : "false", 0);
        for (int c = 0; c < C_COUNT; c++) {
            cell_text(e[i], rank, c, 1, buf, sizeof buf);
            csv_field(f, buf, 0);
        }
        fputc('\n', f);
    }
}

static void render_json(FILE *f, lb_entry **e, size_t n, size_t nin)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "schema_version", 1);
    cJSON_AddStringToObject(root, "kind", "anebench-leaderboard");
    cJSON_AddNumberToObject(root, "submissions", (double)nin);
    cJSON *presets = cJSON_AddArrayToObject(root, "presets");
    char buf[512];
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !strcmp(e[j]->preset, e[i]->preset))
            j++;
        cJSON *p = cJSON_CreateObject();
        cJSON_AddItemToArray(presets, p);
        cJSON_AddStringToObject(p, "preset", e[i]->preset);
        cJSON *meas = cJSON_AddArrayToObject(p, "measured");
        cJSON *sim = cJSON_AddArrayToObject(p, "simulated");
        int rank[2] = {0, 0};
        for (size_t k = i; k < j; k++) {
            int s = e[k]->env.simulated;
            cJSON *row = cJSON_CreateObject();
            cJSON_AddItemToArray(s ? sim : meas, row);
            for (int c = 0; c < C_COUNT; c++) {
                cell_text(e[k], c == C_RANK ? ++rank[s] : 0, c, 1, buf, sizeof buf);
                int numeric = c == C_RANK || c == C_CORES || c == C_MEM || c == C_PEAK || c == C_PCT ||
                              c == C_FLOOR || c == C_COMPILE || c == C_LOAD || c == C_SUBS;
                if (!buf[0])
                    cJSON_AddNullToObject(row, col_name[c]);
                else if (numeric)
                    cJSON_AddNumberToObject(row, col_name[c], strtod(buf, NULL));
                else
                    cJSON_AddStringToObject(row, col_name[c], buf);
            }
            cJSON_AddBoolToObject(row, "simulated", s);
        }
        i = j;
    }
    char *text = cJSON_Print(root);
    if (text)
        fprintf(f, "%s\n", text);
    free(text);
    cJSON_Delete(root);
}

char *leaderboard_render(const ab_run *runs, size_t nruns, lb_format fmt, size_t *len, ab_err *e)
{
    lb_entry *all = calloc(nruns ? nruns : 1, sizeof *all);
    lb_entry **rows = calloc(nruns ? nruns : 1, sizeof *rows);
    char *buf = NULL;
    size_t n = 0, nrows = 0, ready = 0;
    FILE *f = all && rows ? open_memstream(&buf, &n) : NULL;
    for (; f && ready < nruns; ready++) {
        lb_entry *x = &all[ready];
        if (recview_init(&x->v, &runs[ready]) != 0)
            break;
        runenv_read(&runs[ready], &x->env);
        headline_compute(&x->v, &x->env, &x->h);
        const cJSON *rdoc = runs[ready].has_info ? runs[ready].info.doc : NULL;
        const cJSON *ex = rdoc ? cJSON_GetObjectItemCaseSensitive(rdoc, "export") : NULL;
        const cJSON *hh = cJSON_GetObjectItemCaseSensitive(ex, "hardware_hash");
        if (cJSON_IsString(hh) && hh->valuestring)
            ab_strlcpy(x->hash, hh->valuestring, sizeof x->hash);
        else
            export_hardware_hash(&runs[ready].info, x->hash, sizeof x->hash);
        preset_of(&x->env, x->preset, sizeof x->preset);
    }
    if (f && ready == nruns) {
        /* one row per machine and preset: the newest submission */
        for (size_t i = 0; i < nruns; i++) {
            all[i].keep = 1;
            all[i].submissions = 1;
            for (size_t j = 0; j < nruns; j++)
                if (j != i && same_machine(&all[i], &all[j])) {
                    all[i].submissions++;
                    if (newer(&all[j], &all[i]) ||
                        (!newer(&all[i], &all[j]) && j < i)) /* a tie: the same run twice */
                        all[i].keep = 0;
                }
        }
        for (size_t i = 0; i < nruns; i++)
            if (all[i].keep)
                rows[nrows++] = &all[i];
        qsort(rows, nrows, sizeof *rows, entry_cmp);
        if (fmt == LB_MD)
            render_md(f, rows, nrows, nruns);
        else if (fmt == LB_CSV)
            render_csv(f, rows, nrows);
        else
            render_json(f, rows, nrows, nruns);
    }
    int bad = !f || ready < nruns;
    if (f && fclose(f) != 0)
        bad = 1;
    for (size_t i = 0; i < ready; i++)
        recview_free(&all[i].v);
    free(all);
    free(rows);
    if (bad) {
        free(buf);
        ab_errf(e, AB_EFAIL, "out of memory writing the leaderboard");
        return NULL;
    }
    *len = n;
    return buf;
}
