/* ane_doctor.c: the doctor's steps (see ane_doctor.h) over the ane_api
 * seam: framework load, device, classes, model (descriptor, identifier,
 * files), compile, load, attributes, surfaces, request, eval on each path,
 * stats, real time, unload. Each step is timed on the monotonic clock and
 * records its outcome; alternatives (MIL ios16 and the per-file weights
 * layout where ios18 with one weight.bin does not compile, other strides
 * where the output is wrong, real time with and without the normal load,
 * counters off and on) are tried and recorded beside the step. Nothing
 * here prints: the report is the result. */
#include "backends/ane_doctor.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ane_program.h"
#include "harness/case.h"
#include "harness/clock.h"
#include "kernels/kernel.h"

/* The one small case: 64 channels, rows of 32 fp16 (64 bytes: where a
 * 64-byte and a 128-byte alignment differ, so the stride question gets an
 * answer), two chained layers (so that the single weight.bin has a chunk
 * at an offset other than 64, which M1 reportedly refuses: maderix/ANE
 * benchmarks/ANE_BENCHMARK_REPORT.md), the default QoS. */
enum { DOC_CH = 64, DOC_S = 32, DOC_DEPTH = 2, DOC_QOS = 21, DOC_EVALS = 10 };

typedef struct doctor {
    const ane_api_ops *ops;
    ane_api *api;
    cJSON *report, *steps;
    ane_doctor_progress cb;
    void *ctx;
    ab_kernel k;
    bool have_k;
    ane_model *m;
    ane_buf *in, *out;
    ane_io_layout lay;
    bool loaded;
    int failed, ok, skipped;
} doctor;

static void progress(doctor *d, const char *running)
{
    cJSON_ReplaceItemInObject(d->report, "running", running ? cJSON_CreateString(running) : cJSON_CreateNull());
    if (d->cb)
        d->cb(d->ctx, d->report);
}

static cJSON *step_begin(doctor *d, const char *name, const char *call)
{
    progress(d, name);
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "name", name);
    cJSON_AddStringToObject(s, "call", call);
    cJSON_AddItemToArray(d->steps, s);
    return s;
}

static cJSON *error_json(const ab_err *e)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "text", e->msg);
    if (e->domain[0]) {
        cJSON_AddStringToObject(o, "domain", e->domain);
        cJSON_AddNumberToObject(o, "code", (double)e->domain_code);
    } else {
        cJSON_AddNullToObject(o, "domain");
        cJSON_AddNullToObject(o, "code");
    }
    return o;
}

/* Ends step s: outcome "ok" (rc 0), "failed" (with e) or "skipped"
 * (skip_why), the time since t0, and a detail line. */
static void step_end(doctor *d, cJSON *s, uint64_t t0, int rc, const ab_err *e, const char *skip_why,
                     const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static void step_end(doctor *d, cJSON *s, uint64_t t0, int rc, const ab_err *e, const char *skip_why,
                     const char *fmt, ...)
{
    const char *outcome = skip_why ? "skipped" : rc ? "failed" : "ok";
    cJSON_AddStringToObject(s, "outcome", outcome);
    if (skip_why || !t0)
        cJSON_AddNullToObject(s, "ms");
    else
        cJSON_AddNumberToObject(s, "ms", (double)(ab_now_ns() - t0) / 1e6);
    char detail[600] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
    }
    cJSON_AddStringToObject(s, "detail", skip_why ? skip_why : detail);
    cJSON_AddItemToObject(s, "error", rc && !skip_why && e ? error_json(e) : cJSON_CreateNull());
    d->skipped += skip_why != NULL;
    d->failed += !skip_why && rc;
    d->ok += !skip_why && !rc;
    progress(d, NULL);
}

/* An alternative tried for step s, recorded beside it. */
static void alternative(cJSON *s, const char *name, uint64_t t0, int rc, const ab_err *e, const char *detail)
{
    cJSON *alts = cJSON_GetObjectItem(s, "alternatives");
    if (!alts)
        alts = cJSON_AddArrayToObject(s, "alternatives");
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "name", name);
    cJSON_AddStringToObject(a, "outcome", rc ? "failed" : "ok");
    cJSON_AddNumberToObject(a, "ms", (double)(ab_now_ns() - t0) / 1e6);
    cJSON_AddStringToObject(a, "detail", detail ? detail : "");
    cJSON_AddItemToObject(a, "error", rc && e ? error_json(e) : cJSON_CreateNull());
    cJSON_AddItemToArray(alts, a);
}

static void drop_buffers(doctor *d)
{
    if (d->in)
        d->ops->buf_free(d->api, d->in);
    if (d->out)
        d->ops->buf_free(d->api, d->out);
    d->in = d->out = NULL;
}

/* Surfaces at the layout's strides, the input packed into them, and the
 * request built for them. */
static int make_io(doctor *d, const ane_io_layout *l, ab_err *e)
{
    drop_buffers(d);
    int rc = d->ops->buf_create(d->api, l->in_bytes, &d->in, e);
    if (!rc)
        rc = d->ops->buf_create(d->api, l->out_bytes, &d->out, e);
    uint8_t *img = rc ? NULL : calloc(1, l->in_bytes);
    if (!rc && !img)
        rc = ab_errf(e, AB_EFAIL, "out of memory");
    if (!rc) {
        ane_pack_rows(d->k.input, d->k.in_rows, d->k.in_cols, 2, l->in_plane, img);
        rc = d->ops->buf_write(d->api, d->in, img, l->in_bytes, e);
    }
    free(img);
    if (!rc && d->ops->eval_prepare) {
        ane_eval_req rq = {.qos = DOC_QOS, .in = d->in, .out = d->out};
        rc = d->ops->eval_prepare(d->api, d->m, &rq, e);
    }
    return rc;
}

/* Whether the output surface, read at plane stride `plane`, matches the CPU
 * reference; max error into *err. */
static bool output_ok(doctor *d, const ane_io_layout *l, double *err)
{
    uint8_t *img = malloc(l->out_bytes);
    float *y = malloc(d->k.out_rows * d->k.out_cols * sizeof *y);
    ab_err e;
    bool ok = false;
    *err = -1;
    if (img && y && d->ops->buf_read(d->api, d->out, img, l->out_bytes, &e) == AB_OK) {
        ane_unpack_rows(img, d->k.out_rows, d->k.out_cols, 2, l->out_plane, y);
        ab_verify v;
        kernel_verify(&d->k, y, 1, &v);
        ok = v.pass;
        *err = v.max_abs_err;
    }
    free(img);
    free(y);
    return ok;
}

static void flat(ane_io_layout *l, size_t align, const ab_kernel *k)
{
    memset(l, 0, sizeof *l);
    l->in_row = l->in_plane = ane_row_stride(k->in_cols, 2, align);
    l->out_row = l->out_plane = ane_row_stride(k->out_cols, 2, align);
    l->in_bytes = k->in_rows * l->in_plane;
    l->out_bytes = k->out_rows * l->out_plane;
}

static int eval_path(doctor *d, ane_path p, bool stats, ane_eval_res *res, ab_err *e)
{
    ane_eval_req rq = {.qos = DOC_QOS,
                       .perf_stats = stats,
                       .realtime = p == ANE_PATH_RT,
                       .direct = p == ANE_PATH_DIRECT,
                       .in = d->in,
                       .out = d->out};
    int rc = d->ops->eval(d->api, d->m, &rq, res, e);
    if (!rc)
        d->ops->eval_stats(d->api, d->m, &rq, res);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median wall time (ms) of DOC_EVALS evals on path p, counters on or off;
 * *hw set to the last hwExecutionTime (0 none), *why to its reason. */
static double eval_median(doctor *d, ane_path p, bool stats, uint64_t *hw, char *why, size_t n, ab_err *e)
{
    double t[DOC_EVALS];
    *hw = 0;
    for (int i = 0; i < DOC_EVALS; i++) {
        ane_eval_res res;
        ane_eval_req rq = {.qos = DOC_QOS,
                           .perf_stats = stats,
                           .realtime = p == ANE_PATH_RT,
                           .direct = p == ANE_PATH_DIRECT,
                           .in = d->in,
                           .out = d->out};
        uint64_t t0 = ab_now_ns();
        if (d->ops->eval(d->api, d->m, &rq, &res, e))
            return -1;
        t[i] = (double)(ab_now_ns() - t0) / 1e6;
        d->ops->eval_stats(d->api, d->m, &rq, &res);
        *hw = res.has_hw ? res.hw_ns : 0;
        snprintf(why, n, "%s", res.has_hw ? "" : res.hw_reason);
    }
    qsort(t, DOC_EVALS, sizeof t[0], cmp_double);
    return (t[DOC_EVALS / 2 - 1] + t[DOC_EVALS / 2]) / 2;
}

static int new_model(doctor *d, ab_mil_target target, ab_weights_layout layout, ab_err *e)
{
    if (d->m)
        d->ops->model_free(d->api, d->m);
    d->m = NULL;
    return ane_program_create(d->ops, d->api, &d->k, target, layout, &d->m, e);
}

/* Which program the later steps use, in the report. */
static void note_program(doctor *d, ab_mil_target t, ab_weights_layout w)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "mil_target", mil_target_name(t));
    cJSON_AddStringToObject(p, "weights_layout", weights_layout_name(w));
    if (cJSON_GetObjectItem(d->report, "program"))
        cJSON_ReplaceItemInObject(d->report, "program", p);
    else
        cJSON_AddItemToObject(d->report, "program", p);
}

/* ---- the steps ---- */

static bool step_device(doctor *d)
{
    cJSON *s = step_begin(d, "device", "device_info: +[_ANEDeviceInfo ...], sysctl, class_getImageName");
    ab_err e;
    ab_err_clear(&e);
    ane_device_info info;
    uint64_t t0 = ab_now_ns();
    int rc = d->ops->device_info(d->api, &info, &e);
    if (!rc) {
        cJSON *dev = cJSON_AddObjectToObject(d->report, "device");
        cJSON_AddStringToObject(dev, "chip", info.chip);
        cJSON_AddStringToObject(dev, "family", info.family);
        cJSON_AddStringToObject(dev, "subtype", info.subtype);
        cJSON_AddNumberToObject(dev, "ane_cores", info.cores);
        cJSON_AddStringToObject(dev, "os_build", info.os_build);
        cJSON_AddStringToObject(dev, "framework", info.framework[0] ? info.framework : "");
        cJSON_AddStringToObject(dev, "profile", info.profile);
        cJSON_ReplaceItemInObject(d->report, "simulated", cJSON_CreateBool(info.simulated));
    }
    step_end(d, s, t0, rc, &e, NULL, "%s, ANE family %s%s%s, %d cores, OS build %s", info.chip, info.family,
             info.subtype[0] ? " subtype " : "", info.subtype, info.cores, info.os_build);
    return !rc;
}

static void step_classes(doctor *d)
{
    static const char *const want[] = {"_ANEInMemoryModelDescriptor", "_ANEInMemoryModel", "_ANEModel",
                                       "_ANERequest", "_ANEIOSurfaceObject", "_ANEPerformanceStats",
                                       "_ANEPerformanceStatsIOSurface", "_ANEClient", "_ANEDeviceInfo",
                                       "_ANEQoSMapper"};
    cJSON *s = step_begin(d, "classes", "objc_copyClassList (_ANE*), objc_getClass");
    ab_err e;
    ab_err_clear(&e);
    char **names = NULL;
    size_t n = 0;
    uint64_t t0 = ab_now_ns();
    int rc = d->ops->class_census(d->api, &names, &n, &e);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    char missing[400] = "";
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!d->ops->has_class(d->api, want[i]))
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " %s", want[i]);
    step_end(d, s, t0, rc, &e, NULL, "%zu _ANE* classes; missing of those the bridge and notes name:%s", n,
             missing[0] ? missing : " none");
}

/* The compile's alternatives, in the order tried where program(1.3)/ios18
 * with one weight.bin fails: the older target (N MIL program), the
 * per-file layout (what M1 compiled where one weight.bin failed: maderix/
 * ANE's report), both. */
static const struct doc_alt {
    ab_mil_target target;
    ab_weights_layout layout;
    const char *name, *works;
} doc_alts[] = {
    {MIL_TARGET_IOS16, AB_WEIGHTS_SINGLE, "MIL program(1.0)/ios16",
     "ios16 compiles: the run's mil_target should be ios16"},
    {MIL_TARGET_IOS18, AB_WEIGHTS_PER_FILE, "weights per file (weights/w0.bin, w1.bin)",
     "a file per layer compiles: run with --weights-layout per-file"},
    {MIL_TARGET_IOS16, AB_WEIGHTS_PER_FILE, "MIL program(1.0)/ios16 with weights per file",
     "ios16 with a file per layer compiles: mil_target ios16 and --weights-layout per-file"},
};

static bool step_model_and_compile(doctor *d)
{
    cJSON *s = step_begin(d, "model",
                          "+[_ANEInMemoryModelDescriptor modelWithMILText:weights:optionsPlist:], "
                          "+[_ANEInMemoryModel inMemoryModelWithDescriptor:], hexStringIdentifier, "
                          "localModelPath, weights/weight.bin, compiledModelExists");
    ab_err e;
    ab_err_clear(&e);
    uint64_t t0 = ab_now_ns();
    int rc = new_model(d, MIL_TARGET_IOS18, AB_WEIGHTS_SINGLE, &e);
    step_end(d, s, t0, rc, &e, NULL,
             "MIL program(1.3)/ios18, conv1x1 %d -> %d channels, %d layers, %d fp16 per row, "
             "one weights/weight.bin; compile could hit a cache: %s",
             DOC_CH, DOC_CH, DOC_DEPTH, DOC_S, rc ? "-" : d->ops->compile_cache(d->api, d->m));
    if (rc)
        return false;
    note_program(d, MIL_TARGET_IOS18, AB_WEIGHTS_SINGLE);
    s = step_begin(d, "compile", "-[_ANEInMemoryModel compileWithQoS:options:error:]");
    ab_err_clear(&e);
    t0 = ab_now_ns();
    rc = d->ops->compile(d->api, d->m, DOC_QOS, &e);
    if (!rc) {
        step_end(d, s, t0, rc, &e, NULL, "program(1.3)/ios18 with one weight.bin compiled");
        return true;
    }
    /* Every alternative is tried and recorded; the later steps use the
     * first that compiled (built again if a later one replaced it). */
    int first_ok = -1;
    size_t nalt = sizeof doc_alts / sizeof doc_alts[0];
    for (size_t i = 0; i < nalt; i++) {
        ab_err e2;
        ab_err_clear(&e2);
        uint64_t t1 = ab_now_ns();
        int rc2 = new_model(d, doc_alts[i].target, doc_alts[i].layout, &e2);
        if (!rc2)
            rc2 = d->ops->compile(d->api, d->m, DOC_QOS, &e2);
        alternative(s, doc_alts[i].name, t1, rc2, &e2, rc2 ? "does not compile either" : doc_alts[i].works);
        if (!rc2 && first_ok < 0)
            first_ok = (int)i;
    }
    bool have = first_ok >= 0;
    if (have && (size_t)first_ok != nalt - 1) { /* the model in hand is the last one tried */
        ab_err e3;
        ab_err_clear(&e3);
        have = !new_model(d, doc_alts[first_ok].target, doc_alts[first_ok].layout, &e3) &&
               !d->ops->compile(d->api, d->m, DOC_QOS, &e3);
    }
    if (have)
        note_program(d, doc_alts[first_ok].target, doc_alts[first_ok].layout);
    step_end(d, s, t0, rc, &e, NULL, "program(1.3)/ios18 with one weight.bin did not compile%s%s",
             have ? "; the later steps use: " : "", have ? doc_alts[first_ok].name : "");
    return have;
}

static bool step_simple(doctor *d, const char *name, const char *call, int (*fn)(ane_api *, ane_model *, unsigned, ab_err *),
                        const char *okdetail)
{
    cJSON *s = step_begin(d, name, call);
    ab_err e;
    ab_err_clear(&e);
    uint64_t t0 = ab_now_ns();
    int rc = fn(d->api, d->m, DOC_QOS, &e);
    step_end(d, s, t0, rc, &e, NULL, "%s", rc ? "" : okdetail);
    return !rc;
}

static bool step_io(doctor *d)
{
    cJSON *s = step_begin(d, "attributes", "[[model model] modelAttributes] (LiveInputList, LiveOutputList)");
    ab_err e;
    ab_err_clear(&e);
    uint64_t t0 = ab_now_ns();
    int rc = d->ops->io_layout(d->api, d->m, d->k.in_rows, d->k.in_cols, d->k.out_rows, d->k.out_cols, 2, &d->lay,
                               &e);
    step_end(d, s, t0, rc, &e, NULL, "%s strides: input row %zu plane %zu, output row %zu plane %zu (%s)",
             d->lay.from_model ? "model" : "flat", d->lay.in_row, d->lay.in_plane, d->lay.out_row,
             d->lay.out_plane, d->lay.note);
    if (rc)
        return false;
    s = step_begin(d, "surfaces-request",
                   "IOSurfaceCreate, +[_ANEIOSurfaceObject objectWithIOSurface:], +[_ANERequest "
                   "requestWithInputs:...perfStats:nil procedureIndex:]");
    ab_err_clear(&e);
    t0 = ab_now_ns();
    rc = make_io(d, &d->lay, &e);
    step_end(d, s, t0, rc, &e, NULL, "input %zu bytes, output %zu bytes", d->lay.in_bytes, d->lay.out_bytes);
    return !rc;
}

/* The normal eval, counters off; where the output is wrong at the stated
 * strides, the other packings are tried (flat, 64- and 128-byte rows). */
static void step_eval_normal(doctor *d)
{
    cJSON *s = step_begin(d, "eval-normal", "-[_ANEInMemoryModel evaluateWithQoS:options:request:error:] (counters off)");
    ab_err e;
    ab_err_clear(&e);
    ane_eval_res res;
    uint64_t t0 = ab_now_ns();
    int rc = eval_path(d, ANE_PATH_NORMAL, false, &res, &e);
    double err = -1;
    bool good = !rc && output_ok(d, &d->lay, &err), found = false;
    if (!good) {
        size_t aligns[3] = {0, 64, 128};
        for (int i = 0; i < 3; i++) {
            ane_io_layout l;
            flat(&l, aligns[i], &d->k);
            if (l.in_plane == d->lay.in_plane && l.out_plane == d->lay.out_plane)
                continue;
            ab_err e2;
            ab_err_clear(&e2);
            uint64_t t1 = ab_now_ns();
            int rc2 = make_io(d, &l, &e2);
            ane_eval_res r2;
            if (!rc2)
                rc2 = eval_path(d, ANE_PATH_NORMAL, false, &r2, &e2);
            double err2 = -1;
            bool ok2 = !rc2 && output_ok(d, &l, &err2);
            char name[64], detail[160];
            snprintf(name, sizeof name, "rows of %zu bytes (%s)", l.in_row, aligns[i] ? "aligned" : "flat");
            snprintf(detail, sizeof detail, "output %s (max abs error %.3g)", ok2 ? "correct" : "WRONG", err2);
            alternative(s, name, t1, rc2 || !ok2, &e2, detail);
            if (ok2) {
                d->lay = l; /* the later steps use the packing that verified */
                found = true;
                break;
            }
        }
        if (!found) {
            ab_err e3;
            make_io(d, &d->lay, &e3);
        }
    }
    step_end(d, s, t0, rc || !good, &e, NULL, "output %s at the %s strides (max abs error %.3g)%s",
             rc ? "not produced" : good ? "correct" : "WRONG", d->lay.from_model ? "model's" : "flat", err,
             found ? "; an alternative packing verifies (below)" : "");
}

static void step_stats(doctor *d)
{
    cJSON *s = step_begin(d, "stats", "eval options {kANEFPerformanceStatsMask: 0xF}, -[_ANERequest perfStats] / "
                                      "perfStatsArray, hwExecutionTime");
    ab_err e;
    ab_err_clear(&e);
    uint64_t t0 = ab_now_ns(), hw_off = 0, hw_on = 0;
    char why_off[128] = "", why_on[128] = "";
    double off = eval_median(d, ANE_PATH_NORMAL, false, &hw_off, why_off, sizeof why_off, &e);
    double on = off < 0 ? -1 : eval_median(d, ANE_PATH_NORMAL, true, &hw_on, why_on, sizeof why_on, &e);
    int rc = on < 0;
    char hwtext[200];
    if (rc)
        snprintf(hwtext, sizeof hwtext, "-");
    else if (hw_on)
        snprintf(hwtext, sizeof hwtext, "%llu ns", (unsigned long long)hw_on);
    else
        snprintf(hwtext, sizeof hwtext, "none (%s)", why_on);
    step_end(d, s, t0, rc, &e, NULL, "wall median of %d evals: %.4f ms counters off, %.4f ms on; hwExecutionTime %s",
             DOC_EVALS, off, on, hwtext);
    if (!rc) {
        cJSON_AddNumberToObject(s, "wall_off_ms", off);
        cJSON_AddNumberToObject(s, "wall_on_ms", on);
        if (hw_on)
            cJSON_AddNumberToObject(s, "hw_ns", (double)hw_on);
        else
            cJSON_AddNullToObject(s, "hw_ns");
    }
}

static void step_direct(doctor *d)
{
    char why[200] = "";
    if (!d->ops->path_available(d->api, ANE_PATH_DIRECT, why, sizeof why)) {
        cJSON *s = step_begin(d, "eval-direct", "-[_ANEClient doEvaluateDirectWithModel:options:request:qos:error:]");
        step_end(d, s, 0, 0, NULL, why, NULL);
        return;
    }
    cJSON *s = step_begin(d, "eval-direct", "-[_ANEClient doEvaluateDirectWithModel:options:request:qos:error:]");
    ab_err e;
    ab_err_clear(&e);
    uint64_t t0 = ab_now_ns(), hw;
    double med = eval_median(d, ANE_PATH_DIRECT, false, &hw, why, sizeof why, &e);
    double err = -1;
    bool good = med >= 0 && output_ok(d, &d->lay, &err);
    step_end(d, s, t0, med < 0 || !good, &e, NULL, "wall median of %d evals %.4f ms, output %s", DOC_EVALS, med,
             good ? "correct" : "WRONG");
}

/* Real time as Espresso runs it (after the normal load); where that fails,
 * the other order: the normal load undone first. */
static void step_realtime(doctor *d)
{
    char why[200] = "";
    const char *call = "-[_ANEClient beginRealTimeTask], loadRealTimeModel:options:qos:error:, "
                       "evaluateRealTimeWithModel:options:request:error:, unloadRealTimeModel:, endRealTimeTask";
    if (!d->ops->path_available(d->api, ANE_PATH_RT, why, sizeof why)) {
        cJSON *s = step_begin(d, "realtime", call);
        step_end(d, s, 0, 0, NULL, why, NULL);
        return;
    }
    cJSON *s = step_begin(d, "realtime", call);
    ab_err e;
    ab_err_clear(&e);
    uint64_t t0 = ab_now_ns(), hw;
    bool granted = false;
    int rc = d->ops->rt_begin(d->api, &granted, &e);
    cJSON_AddBoolToObject(s, "begin_answered", granted);
    if (!rc)
        rc = d->ops->rt_load(d->api, d->m, DOC_QOS, &e);
    double med = -1, err = -1;
    bool good = false;
    if (!rc) {
        med = eval_median(d, ANE_PATH_RT, false, &hw, why, sizeof why, &e);
        good = med >= 0 && output_ok(d, &d->lay, &err);
        rc = med < 0;
        ab_err e2;
        d->ops->rt_unload(d->api, d->m, DOC_QOS, &e2);
    }
    d->ops->rt_end(d->api);
    if (rc && d->loaded) {
        /* The other order: without the normal load. */
        ab_err e2, ign;
        ab_err_clear(&e2);
        uint64_t t1 = ab_now_ns();
        d->ops->unload(d->api, d->m, DOC_QOS, &ign);
        bool g2 = false;
        int rc2 = d->ops->rt_begin(d->api, &g2, &e2);
        if (!rc2 && !(rc2 = d->ops->rt_load(d->api, d->m, DOC_QOS, &e2)))
            d->ops->rt_unload(d->api, d->m, DOC_QOS, &ign);
        d->ops->rt_end(d->api);
        alternative(s, "loadRealTimeModel: without the normal load", t1, rc2, &e2,
                    rc2 ? "fails too" : "works: the real-time load must not follow a normal load here");
        d->loaded = d->ops->load(d->api, d->m, DOC_QOS, &ign) == AB_OK;
    }
    step_end(d, s, t0, rc || !good, &e, NULL,
             "beginRealTimeTask answered %s; evaluateRealTimeWithModel: (the direct path at the real-time QoS) "
             "wall median %.4f ms, output %s",
             granted ? "YES" : "NO", med < 0 ? 0.0 : med, good ? "correct" : rc ? "not produced" : "WRONG");
}

void *ane_doctor_run(const ane_api_ops *ops, const char *arg, const char *spec, const char *tool,
                     ane_doctor_progress cb, void *ctx)
{
    doctor d;
    memset(&d, 0, sizeof d);
    d.ops = ops;
    d.cb = cb;
    d.ctx = ctx;
    d.report = cJSON_CreateObject();
    if (!d.report)
        return NULL;
    cJSON_AddStringToObject(d.report, "kind", "anebench-doctor");
    cJSON_AddNumberToObject(d.report, "version", 1);
    cJSON_AddStringToObject(d.report, "tool", tool);
    cJSON_AddStringToObject(d.report, "backend", spec);
    cJSON_AddBoolToObject(d.report, "simulated", ops != NULL && strcmp(ops->name, "sim") == 0);
    cJSON_AddStringToObject(d.report, "status", "incomplete");
    cJSON_AddNullToObject(d.report, "running");
    cJSON *c = cJSON_AddObjectToObject(d.report, "case");
    cJSON_AddStringToObject(c, "kernel", "conv1x1");
    cJSON_AddNumberToObject(c, "cin", DOC_CH);
    cJSON_AddNumberToObject(c, "cout", DOC_CH);
    cJSON_AddNumberToObject(c, "spatial", DOC_S);
    cJSON_AddNumberToObject(c, "depth", DOC_DEPTH);
    cJSON_AddStringToObject(c, "io", "fp16");
    cJSON_AddNumberToObject(c, "qos", DOC_QOS);
    d.steps = cJSON_AddArrayToObject(d.report, "steps");

    cJSON *s = step_begin(&d, "open", "dlopen AppleNeuralEngine.framework, objc_getClass of the _ANE* classes");
    ab_err e;
    ab_err_clear(&e);
    uint64_t t0 = ab_now_ns();
    int rc = ops->open(&d.api, arg, &e);
    step_end(&d, s, t0, rc, &e, NULL, "%s", rc ? "" : "framework loaded, required classes found");
    if (!rc && step_device(&d)) {
        step_classes(&d);
        ab_case cs;
        case_default(&cs);
        cs.v[AX_CIN] = cs.v[AX_COUT] = DOC_CH;
        cs.v[AX_SPATIAL] = DOC_S;
        cs.v[AX_DEPTH] = DOC_DEPTH;
        cs.v[AX_IO] = AB_IO_FP16;
        ab_err_clear(&e);
        d.have_k = kernel_make(&d.k, &cs, 7, &e) == AB_OK;
        if (d.have_k && step_model_and_compile(&d) &&
            (d.loaded = step_simple(&d, "load", "-[_ANEInMemoryModel loadWithQoS:options:error:]", ops->load,
                                    "loaded")) &&
            step_io(&d)) {
            step_eval_normal(&d);
            step_stats(&d);
            step_direct(&d);
            step_realtime(&d);
            if (d.loaded)
                step_simple(&d, "unload", "-[_ANEInMemoryModel unloadWithQoS:error:]", ops->unload, "unloaded");
        }
    }
    drop_buffers(&d);
    if (d.m)
        ops->model_free(d.api, d.m);
    if (d.have_k)
        kernel_free(&d.k);
    if (d.api)
        ops->close(d.api);
    cJSON *sum = cJSON_AddObjectToObject(d.report, "summary");
    cJSON_AddNumberToObject(sum, "ok", d.ok);
    cJSON_AddNumberToObject(sum, "failed", d.failed);
    cJSON_AddNumberToObject(sum, "skipped", d.skipped);
    cJSON_ReplaceItemInObject(d.report, "status", cJSON_CreateString("complete"));
    progress(&d, NULL);
    return d.report;
}
