/* list_estimate.c: `anebench list --estimate` (see list_estimate.h). */
#include "bench/list_estimate.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ane_sim.h"
#include "harness/clock.h"
#include "harness/estimate.h"
#include "harness/reader.h"

/* The backend name a run.json records ("" when it cannot be read). */
static void run_backend(const char *dir, char *out, size_t n)
{
    char path[2048];
    out[0] = '\0';
    snprintf(path, sizeof path, "%s/run.json", dir);
    ab_err e;
    char *text = ab_read_file(path, NULL, &e);
    cJSON *m = text ? cJSON_Parse(text) : NULL;
    free(text);
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "backend"), "name");
    if (cJSON_IsString(b))
        ab_strlcpy(out, b->valuestring, n);
    cJSON_Delete(m);
}

/* The newest run directory under parent of backend spec (any backend when
 * spec is NULL): run ids start with their UTC start time, so the greatest
 * name is the newest. 0 and *best set when one is found. */
static int newest_run(const char *parent, const char *spec, char *best, size_t n)
{
    DIR *d = opendir(parent);
    if (!d)
        return -1;
    char name[256] = "", path[2048], be[256];
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, name) <= 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", parent, de->d_name);
        run_backend(path, be, sizeof be);
        if (be[0] && (!spec || !strcmp(be, spec)))
            ab_strlcpy(name, de->d_name, sizeof name);
    }
    closedir(d);
    if (!name[0])
        return -1;
    snprintf(best, n, "%s/%s", parent, name);
    return 0;
}

/* The ane-sim profile's model (at its time scale) for the estimate. */
typedef struct sim_ctx {
    char profile[32];
    double scale;
} sim_ctx;

static int sim_times(const sim_ctx *x, const ab_case *c, ane_sim_times *t)
{
    double weight_mib = 2.0 * (double)c->v[AX_CIN] * (double)c->v[AX_COUT] * (double)c->v[AX_DEPTH] / 1048576.0;
    double io = case_bytes(c) - 2.0 * (double)c->v[AX_CIN] * (double)c->v[AX_COUT] * (double)c->v[AX_DEPTH];
    return ane_sim_model(x->profile, case_flops(c), io, weight_mib, c->v[AX_MODE] == AB_MODE_RT, t);
}

static double sim_eval_s(const void *ctx, const ab_case *c)
{
    ane_sim_times t;
    const sim_ctx *x = ctx;
    return sim_times(x, c, &t) == 0 && !t.realtime_refused ? t.eval_ms * x->scale / 1e3 : 0;
}

static double sim_over_s(const void *ctx, const ab_case *c)
{
    ane_sim_times t;
    const sim_ctx *x = ctx;
    if (sim_times(x, c, &t) != 0 || t.realtime_refused)
        return 0;
    return (t.compile_ms + t.load_ms + t.unload_ms + t.reload_ms + t.unload_ms + t.first_eval_ms - t.eval_ms) *
           x->scale / 1e3;
}

/* Fits m to the records of run dir; settings as that run had them. */
static int fit_run(ab_est *m, const char *dir, size_t *nfit, ab_err *e)
{
    ab_run run;
    memset(&run, 0, sizeof run);
    int rc = run_load(&run, dir, e);
    if (rc != AB_OK)
        return rc;
    ab_settings rs;
    settings_default(&rs);
    ab_err ignore;
    settings_apply_json(&rs, cJSON_GetObjectItemCaseSensitive(run.info.doc, "settings"), dir, &ignore);
    for (size_t i = 0; i < run.n; i++)
        est_add(m, &run.recs[i], &rs);
    *nfit = m->n;
    run_free(&run);
    return AB_OK;
}

int list_estimate(const run_opts *o, ab_backend *b, const ab_case *cases, const size_t *order, size_t n,
                  const ab_settings *s, ab_err *e)
{
    ab_est m;
    est_init(&m);
    char dir[2048] = "", source[2300] = "";
    size_t nfit = 0;
    sim_ctx sx;
    memset(&sx, 0, sizeof sx);
    const char *spec = b ? b->spec : NULL;
    if (o->estimate_from) {
        if (fit_run(&m, o->estimate_from, &nfit, e) != AB_OK)
            return AB_EUSAGE;
        ab_strlcpy(dir, o->estimate_from, sizeof dir);
    } else if (newest_run(o->out_parent ? o->out_parent : "results", spec, dir, sizeof dir) == 0) {
        ab_err ignore;
        if (fit_run(&m, dir, &nfit, &ignore) != AB_OK)
            m.ready = 0;
    }
    if (m.ready) {
        snprintf(source, sizeof source, "fitted to %zu ok case%s of the journal of %s", nfit, nfit == 1 ? "" : "s",
                 dir);
    } else if (spec && !strncmp(spec, "ane-sim", 7)) {
        cJSON *d = cJSON_CreateObject();
        b->ops->describe(b, d);
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(d, "profile");
        const cJSON *sc = cJSON_GetObjectItemCaseSensitive(d, "sim_scale");
        ab_strlcpy(sx.profile, cJSON_IsString(p) ? p->valuestring : "m5", sizeof sx.profile);
        sx.scale = cJSON_IsNumber(sc) ? sc->valuedouble : 1.0;
        cJSON_Delete(d);
        m.model_eval_s = sim_eval_s;
        m.model_over_s = sim_over_s;
        m.model_ctx = &sx;
        m.evals_before = 1.0; /* the first eval; warm-up is taken from the samples' start */
        m.ready = 1;
        snprintf(source, sizeof source,
                 "from the %s profile's timing model (simulated phases and evals only: preparing, checking "
                 "and starting workers add to it)",
                 sx.profile);
    } else {
        printf("estimate: none: no previous run%s%s under %s to fit and no model of %s (run a few cases "
               "first, or give --estimate=RUN)\n",
               spec ? " of " : "", spec ? spec : "", o->out_parent ? o->out_parent : "results",
               spec ? spec : "an unnamed backend");
        return AB_OK;
    }
    double total = 0;
    size_t nrun = 0;
    char why[256];
    for (size_t k = 0; k < n; k++) {
        const ab_case *c = &cases[order[k]];
        if (case_invalid_reason(c) || (b && b->ops->supports && !b->ops->supports(b, c, why, sizeof why)))
            continue;
        total += est_case_s(&m, c, s);
        nrun++;
    }
    char t[32], cd[32];
    ab_fmt_duration(total, 1, t, sizeof t);
    printf("estimate: %s for %zu case%s to run, %s\n", t, nrun, nrun == 1 ? "" : "s", source);
    if (s->cooldown > 0 && nrun > 1) {
        ab_fmt_duration(s->cooldown * (double)(nrun - 1), 1, cd, sizeof cd);
        printf("estimate: plus up to %s of cooldown, if the machine reports heat (--cooldown %g)\n", cd,
               s->cooldown);
    }
    return AB_OK;
}
