/* ane_probe.c: the seed's probes as structured checks over the ane_api seam
 * (see ane_probe.h): the report, its builders, and the probes that only look
 * at classes; the ones that compile and evaluate live in ane_probe_runs.c,
 * their programs in ane_probe_kit.c. Every finding sentence is built from
 * what the probe measured, never written in advance; the figures hold the
 * numbers behind it and the evidence the raw lines (the QoS table in the
 * seed's format). */
#include "backends/ane_probe.h"
#include "backends/ane_probe_int.h"
#include "backends/ane_sim.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/clock.h"

const char *const ane_probe_names[] = {
    "qos-sweep",       "class-census", "weight-reload",    "weights-buffer",       "perf-stats",
    "procedure-index", "realtime",     "chaining-classes", "shared-event-classes",
};
const size_t ane_probe_count = sizeof ane_probe_names / sizeof ane_probe_names[0];

const unsigned ane_probe_qos_values[] = {0, 1, 5, 10, 21, 33, 47, 63}; /* the seed's rows */
const size_t ane_probe_qos_count = sizeof ane_probe_qos_values / sizeof ane_probe_qos_values[0];

const char *ane_qos_label(unsigned qos)
{
    switch (qos) {
    case 0:
        return "RealTime";
    case 9:
        return "Background";
    case 17:
        return "Utility";
    case 21:
        return "Default";
    case 25:
        return "UserInitiated";
    case 33:
        return "UserInteractive";
    default:
        return "unmapped (as Default)";
    }
}

cJSON *pr_new(const char *name)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", name);
    cJSON_AddStringToObject(o, "result", "error");
    cJSON_AddStringToObject(o, "finding", "");
    cJSON_AddItemToObject(o, "figures", cJSON_CreateObject());
    cJSON_AddItemToObject(o, "evidence", cJSON_CreateArray());
    return o;
}

static void set_str(cJSON *o, const char *key, const char *val)
{
    cJSON_ReplaceItemInObject(o, key, cJSON_CreateString(val));
}

void pr_conclude(cJSON *o, const char *result, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    set_str(o, "result", result);
    set_str(o, "finding", buf);
}

void pr_evidence(cJSON *o, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cJSON_AddItemToArray(cJSON_GetObjectItem(o, "evidence"), cJSON_CreateString(buf));
}

void pr_figure(cJSON *o, const char *key, double v)
{
    cJSON *f = cJSON_GetObjectItem(o, "figures");
    if (isfinite(v))
        cJSON_AddNumberToObject(f, key, v);
    else
        cJSON_AddNullToObject(f, key);
}

void pr_error(cJSON *o, const char *what, const ab_err *e)
{
    pr_conclude(o, "error", "the probe could not run: %s: %s", what, e->msg);
}

double pr_round3(double v)
{
    return round(v * 1000.0) / 1000.0;
}

double pr_round4(double v)
{
    return round(v * 10000.0) / 10000.0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double pr_median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void probe_census(pctx *c, cJSON *o)
{
    char **names = NULL;
    size_t n = 0;
    ab_err e;
    if (c->ops->class_census(c->api, &names, &n, &e) != AB_OK) {
        pr_error(o, "class census", &e);
        return;
    }
    static const char *const core[] = {
        "_ANEInMemoryModelDescriptor", "_ANEInMemoryModel", "_ANERequest",
        "_ANEIOSurfaceObject",         "_ANEClient",        "_ANEPerformanceStats"};
    size_t have = 0;
    char missing[256] = "";
    for (size_t i = 0; i < sizeof core / sizeof core[0]; i++) {
        if (c->ops->has_class(c->api, core[i]))
            have++;
        else
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " %s", core[i]);
    }
    for (size_t i = 0; i < n; i++) {
        pr_evidence(o, "%s", names[i]);
        free(names[i]);
    }
    free(names);
    pr_figure(o, "class_count", (double)n);
    pr_figure(o, "lifecycle_classes_present", (double)have);
    pr_figure(o, "lifecycle_classes_expected", (double)(sizeof core / sizeof core[0]));
    /* The simulator lists only the classes its sources name: its count is
     * the model's, not a census of a framework. */
    const char *sim = c->simulated ? " (simulated: the model lists only the classes its sources name, "
                                     "not a full census)"
                                   : "";
    if (have == sizeof core / sizeof core[0])
        pr_conclude(o, "pass", "%zu _ANE* classes found%s, including every class the lifecycle needs.", n,
                    sim);
    else
        pr_conclude(o, n ? "partial" : "fail", "%zu _ANE* classes found%s; missing:%s.", n, sim, missing);
}

static void probe_classes(pctx *c, cJSON *o, const char *what, const char *const *names, size_t n)
{
    size_t have = 0;
    char missing[256] = "";
    for (size_t i = 0; i < n; i++) {
        bool h = c->ops->has_class(c->api, names[i]);
        have += h;
        pr_evidence(o, "%s %s", names[i], h ? "present" : "absent");
        if (!h)
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " %s", names[i]);
    }
    pr_figure(o, "present", (double)have);
    pr_figure(o, "expected", (double)n);
    if (have == n)
        pr_conclude(o, "pass", "All %zu %s classes exist (presence only: the probe does not run them).", n,
                    what);
    else if (have)
        pr_conclude(o, "partial", "%zu of %zu %s classes exist; missing:%s.", have, n, what, missing);
    else
        pr_conclude(o, "unsupported", "None of the %s classes exist.", what);
}

static void probe_chaining(pctx *c, cJSON *o)
{
    static const char *const names[] = {"_ANEChainingRequest", "_ANEIOSurfaceOutputSets",
                                        "_ANEInputBuffersReady", "_ANEOutputSetEnqueue"};
    probe_classes(c, o, "chaining", names, sizeof names / sizeof names[0]);
}

static void probe_shared_events(pctx *c, cJSON *o)
{
    static const char *const names[] = {"_ANESharedEvents", "_ANESharedSignalEvent", "_ANESharedWaitEvent"};
    probe_classes(c, o, "shared-event", names, sizeof names / sizeof names[0]);
}

typedef void (*probe_fn)(pctx *, cJSON *);
static const probe_fn probe_fns[] = {
    probe_qos,       probe_census,   probe_weight_reload, probe_weights_buffer, probe_perf_stats,
    probe_procedure, probe_realtime, probe_chaining,      probe_shared_events,
};

void *ane_probe_report(const ane_api_ops *ops, ane_api *api, const char *backend, bool qos_all, ab_err *e)
{
    ane_device_info info;
    if (ops->device_info(api, &info, e) != AB_OK)
        return NULL;
    unsigned every[64];
    for (unsigned q = 0; q < 64; q++)
        every[q] = q;
    pctx c = {.ops = ops,
              .api = api,
              .target = mil_target_for_chip(info.chip),
              .seed = 0xA11E5EEDULL,
              .qos = qos_all ? every : ane_probe_qos_values,
              .nqos = qos_all ? 64 : ane_probe_qos_count,
              .simulated = info.simulated,
              .first_use_ms = NAN};
    cJSON *r = cJSON_CreateObject();
    char now[32];
    ab_utc_iso(now, sizeof now, 0);
    cJSON_AddNumberToObject(r, "schema_version", 1);
    cJSON_AddStringToObject(r, "kind", "anebench-probe");
    cJSON_AddStringToObject(r, "started", now);
    cJSON_AddStringToObject(r, "backend", backend);
    cJSON_AddBoolToObject(r, "simulated", info.simulated);
    if (info.simulated && info.time_scale > 0)
        cJSON_AddNumberToObject(r, "sim_scale", info.time_scale);
    else if (info.simulated) /* simulated behind the bridge (fakes): scale unknown here */
        cJSON_AddNullToObject(r, "sim_scale");
    cJSON *d = cJSON_AddObjectToObject(r, "device");
    cJSON_AddStringToObject(d, "chip", info.chip);
    cJSON_AddStringToObject(d, "family", info.family);
    cJSON_AddStringToObject(d, "subtype", info.subtype);
    if (info.cores > 0)
        cJSON_AddNumberToObject(d, "cores", info.cores);
    else
        cJSON_AddNullToObject(d, "cores");
    cJSON_AddStringToObject(d, "os_build", info.os_build);
    cJSON_AddStringToObject(d, "profile", info.profile);
    if (info.framework[0]) /* what answered, when not the system's framework */
        cJSON_AddStringToObject(d, "framework", info.framework);
    const char *note = info.simulated ? ane_sim_profile_note(info.profile) : NULL;
    if (note) /* what the profile assumes, so no finding reads as known */
        cJSON_AddStringToObject(d, "profile_note", note);
    cJSON *probes = cJSON_AddArrayToObject(r, "probes");
    for (size_t i = 0; i < ane_probe_count; i++) {
        cJSON *o = pr_new(ane_probe_names[i]);
        probe_fns[i](&c, o);
        cJSON_AddItemToArray(probes, o);
    }
    return r;
}
