/* runsummary.c: a run's environment, its records and its headline
 * figures (see runsummary.h). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/runsummary.h"

static const cJSON *doc_item(const ab_run *run, const char *obj, const char *field)
{
    const cJSON *m = run->has_info ? run->info.doc : NULL;
    const cJSON *o = m && obj ? cJSON_GetObjectItemCaseSensitive(m, obj) : m;
    return o ? cJSON_GetObjectItemCaseSensitive(o, field) : NULL;
}

/* A text member, or a number written as text (ane_subtype may be either). */
static void doc_text(const ab_run *run, const char *obj, const char *field, char *buf, size_t n)
{
    const cJSON *v = doc_item(run, obj, field);
    buf[0] = '\0';
    if (cJSON_IsString(v) && v->valuestring)
        ab_strlcpy(buf, v->valuestring, n);
    else if (cJSON_IsNumber(v))
        snprintf(buf, n, "%.17g", v->valuedouble);
}

static double doc_num(const ab_run *run, const char *obj, const char *field)
{
    const cJSON *v = doc_item(run, obj, field);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

void runenv_read(const ab_run *run, ab_runenv *env)
{
    const ab_runinfo *ri = &run->info;
    memset(env, 0, sizeof *env);
    ab_strlcpy(env->run_id, ri->run_id, sizeof env->run_id);
    ab_strlcpy(env->started, ri->started, sizeof env->started);
    ab_strlcpy(env->chip, ri->chip, sizeof env->chip);
    ab_strlcpy(env->cpu_model, ri->cpu_model, sizeof env->cpu_model);
    ab_strlcpy(env->ane_family, ri->ane_family, sizeof env->ane_family);
    ab_strlcpy(env->ane_subtype, ri->ane_subtype, sizeof env->ane_subtype);
    ab_strlcpy(env->os, ri->os, sizeof env->os);
    ab_strlcpy(env->os_build, ri->os_build, sizeof env->os_build);
    ab_strlcpy(env->backend, ri->backend, sizeof env->backend);
    ab_strlcpy(env->profile, ri->profile, sizeof env->profile);
    ab_strlcpy(env->tool_version, ri->tool_version, sizeof env->tool_version);
    ab_strlcpy(env->tool_git, ri->tool_git, sizeof env->tool_git);
    doc_text(run, "selection", "preset", env->preset, sizeof env->preset);
    double v = doc_num(run, "host", "ane_cores");
    env->ane_cores = isfinite(v) ? (long)v : -1;
    env->cores = isfinite(ri->cores) ? (long)ri->cores : -1;
    env->mem_bytes = ri->mem_bytes;
    const cJSON *dirty = doc_item(run, "tool", "dirty");
    env->tool_dirty = cJSON_IsBool(dirty) ? cJSON_IsTrue(dirty) : -1;

    env->simulated = ri->simulated == 1;
    for (size_t i = 0; i < run->n && !env->simulated; i++)
        env->simulated = run->recs[i].simulated;
    if (env->simulated) {
        ab_strlcpy(env->sim_chip, ri->backend_chip, sizeof env->sim_chip);
        if (!env->ane_family[0])
            ab_strlcpy(env->ane_family, ri->backend_family, sizeof env->ane_family);
        if (!env->ane_subtype[0])
            ab_strlcpy(env->ane_subtype, ri->backend_subtype, sizeof env->ane_subtype);
        v = doc_num(run, "backend", "ane_cores");
        if (env->ane_cores < 0 && isfinite(v))
            env->ane_cores = (long)v;
    }
    env->sim_scale = isfinite(ri->sim_scale) && ri->sim_scale > 0 && ri->sim_scale != 1.0 ? ri->sim_scale : 0;
    env->peak_gflops = isfinite(ri->peak_gflops) && ri->peak_gflops > 0 ? ri->peak_gflops : NAN;
    if (!env->backend[0] && run->n)
        ab_strlcpy(env->backend, run->recs[0].backend, sizeof env->backend);
    if (!env->started[0] && run->n)
        ab_strlcpy(env->started, run->recs[0].started, sizeof env->started);
}

/* ---- the records ---- */

int recview_init(ab_recview *v, const ab_run *run)
{
    /* the reader already kept the last record of each key (reader.h) */
    v->run = run;
    v->n = 0;
    v->recs = malloc((run->n ? run->n : 1) * sizeof *v->recs);
    if (!v->recs)
        return -1;
    for (size_t i = 0; i < run->n; i++)
        v->recs[v->n++] = &run->recs[i];
    return 0;
}

void recview_free(ab_recview *v)
{
    free(v->recs);
    v->recs = NULL;
    v->n = 0;
}

/* ---- headline figures ---- */

void record_family(const ab_record *r, char *buf, size_t n)
{
    size_t len = strcspn(r->key, " "); /* (no snprintf: 100,000s of calls in a report) */
    if (!n)
        return;
    len = len < n ? len : n - 1;
    memcpy(buf, r->key, len);
    buf[len] = '\0';
}

int family_is_int(const char *family)
{
    return strstr(family, "int8") != NULL || strstr(family, "w8a8") != NULL;
}

double record_throughput(const ab_record *r, const char **unit)
{
    char fam[32];
    record_family(r, fam, sizeof fam);
    int is_int = family_is_int(fam);
    if (unit)
        *unit = is_int ? "TOPS" : "GFLOPS";
    if (!isfinite(r->gflops_wall))
        return NAN;
    return is_int ? r->gflops_wall / 1000.0 : r->gflops_wall;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of the finite values among v[0..n) (reordered); NAN when none. */
static double median_of(double *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            v[k++] = v[i];
    if (!k)
        return NAN;
    qsort(v, k, sizeof *v, cmp_double);
    return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

static int usable(const ab_record *r)
{
    return r->status == AB_ST_OK && r->eval.n > 0 && isfinite(r->eval.median) && r->eval.median > 0;
}

static void add_peak(ab_headline *h, const ab_record *r)
{
    char fam[32];
    record_family(r, fam, sizeof fam);
    size_t i = 0;
    while (i < h->npeak && strcmp(h->peak[i].family, fam))
        i++;
    if (i == h->npeak) {
        if (h->npeak == AB_HL_FAMILIES)
            return;
        h->npeak++;
        ab_strlcpy(h->peak[i].family, fam, sizeof h->peak[i].family);
        h->peak[i].is_int = family_is_int(fam);
        h->peak[i].gflops = NAN;
        h->peak[i].rec = NULL;
    }
    if (isfinite(r->gflops_wall) && (!h->peak[i].rec || r->gflops_wall > h->peak[i].gflops)) {
        h->peak[i].gflops = r->gflops_wall;
        h->peak[i].rec = r;
    }
}

void headline_compute(const ab_recview *v, const ab_runenv *env, ab_headline *h)
{
    memset(h, 0, sizeof *h);
    h->pct_of_peak = h->peak_hw = h->floor_ns = NAN;
    h->first_load_ms = h->hw_over_wall = h->wall_minus_hw_ns = NAN;
    size_t n = v->n;
    double *col[6];
    for (int c = 0; c < 6; c++)
        col[c] = malloc((n ? n : 1) * sizeof(double));
    size_t k = 0, khw = 0;
    /* the first load of the run: the earliest start (seconds), then journal order */
    for (size_t i = 0; i < n; i++) {
        const ab_record *r = v->recs[i];
        if (isfinite(r->load_ms) &&
            (!h->first_load_rec || strcmp(r->started, h->first_load_rec->started) < 0)) {
            h->first_load_ms = r->load_ms;
            h->first_load_rec = r;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const ab_record *r = v->recs[i];
        h->n++;
        if ((int)r->status >= 0 && r->status < AB_ST_COUNT)
            h->status[r->status]++;
        if (r->thermal_state[0] && strcmp(r->thermal_state, "nominal"))
            h->n_hot++;
        h->n_contended += r->contended == 1;
        h->n_load_known += r->contended >= 0;
        if (!usable(r))
            continue;
        add_peak(h, r);
        if (!h->floor_rec || r->eval.median < h->floor_ns) {
            h->floor_ns = r->eval.median;
            h->floor_rec = r;
        }
        if (isfinite(r->gflops_hw) && (!h->peak_hw_rec || r->gflops_hw > h->peak_hw)) {
            h->peak_hw = r->gflops_hw;
            h->peak_hw_rec = r;
        }
        if (col[0]) {
            col[0][k] = r->compile_ms;
            col[1][k] = r->load_ms;
            col[2][k] = r->first_eval_ms;
            col[3][k] = r->reload_ms;
        }
        k++;
        if (r->has_hw && r->hw.n > 0 && r->hw.median > 0 && col[4]) {
            col[4][khw] = r->hw.median / r->eval.median;
            col[5][khw] = r->eval.median - r->hw.median;
            khw++;
        }
    }
    int ok = col[0] && col[1] && col[2] && col[3] && col[4] && col[5];
    if (ok) {
        h->compile_ms = median_of(col[0], k);
        h->load_ms = median_of(col[1], k);
        h->first_eval_ms = median_of(col[2], k);
        h->reload_ms = median_of(col[3], k);
        h->n_hw = khw;
        h->hw_over_wall = median_of(col[4], khw);
        h->wall_minus_hw_ns = median_of(col[5], khw);
    } else {
        h->compile_ms = h->load_ms = h->first_eval_ms = h->reload_ms = NAN;
    }
    for (int c = 0; c < 6; c++)
        free(col[c]);
    if (h->npeak && !h->peak[0].is_int && isfinite(env->peak_gflops) && isfinite(h->peak[0].gflops))
        h->pct_of_peak = 100.0 * h->peak[0].gflops / env->peak_gflops;
}
