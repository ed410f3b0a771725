/* ane_probe.c: the seed's probes as structured checks over the ane_api seam
 * (see ane_probe.h). Every finding sentence is built from what the probe
 * measured, never written in advance; the figures hold the numbers behind
 * it and the evidence the raw lines (the QoS table in the seed's format). */
#include "backends/ane_probe.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/clock.h"
#include "kernels/conv.h"
#include "kernels/mil.h"
#include "kernels/weightblob.h"

const char *const ane_probe_names[] = {
    "qos-sweep",   "class-census", "weight-reload",    "weights-buffer",       "perf-stats",
    "procedure-index", "realtime", "chaining-classes", "shared-event-classes",
};
const size_t ane_probe_count = sizeof ane_probe_names / sizeof ane_probe_names[0];

const unsigned ane_probe_qos_values[] = {0, 1, 5, 10, 21, 33, 47, 63}; /* the seed's rows */
const size_t ane_probe_qos_count = sizeof ane_probe_qos_values / sizeof ane_probe_qos_values[0];

const char *ane_qos_label(unsigned qos)
{
    switch (qos) {
    case 0: return "RealTime";
    case 9: return "Background";
    case 17: return "Utility";
    case 21: return "Default";
    case 25: return "UserInitiated";
    case 33: return "UserInteractive";
    default: return "unmapped (as Default)";
    }
}

typedef struct pctx {
    const ane_api_ops *ops;
    ane_api *api;
    ab_mil_target target;
    uint64_t seed;            /* bumped per kernel: every compile is cold */
} pctx;

/* One program with its surfaces. */
typedef struct pkern {
    ab_conv k;
    int have_k;
    ane_model *m;
    ane_buf *in, *out;
    size_t elem, in_bytes, out_bytes;
} pkern;

typedef enum { INPUT_RANDOM, INPUT_RAMP_001, INPUT_RAMP_01 } input_kind;

static void pk_free(pctx *c, pkern *p)
{
    if (p->m)
        c->ops->model_free(c->api, p->m);
    if (p->in)
        c->ops->buf_free(c->api, p->in);
    if (p->out)
        c->ops->buf_free(c->api, p->out);
    if (p->have_k)
        conv_free(&p->k);
    memset(p, 0, sizeof *p);
}

/* weights * scale x identity (cin == cout) when identity > 0, else seeded
 * random; ramp inputs as the seed's probes used (0.01, 0.02, ... or 0.1,
 * 0.2, ... along each row), else seeded random. */
static uint8_t *pk_blob(pkern *p, float identity, size_t *wlen)
{
    if (identity > 0) {
        size_t n = p->k.cin;
        for (size_t o = 0; o < n; o++)
            for (size_t i = 0; i < n; i++)
                p->k.weights[o * n + i] = o == i ? identity : 0.0f;
    }
    return weightblob_build(&p->k, wlen);
}

static int pk_make(pctx *c, pkern *p, size_t ch, size_t spatial, float identity, input_kind in, ab_err *e)
{
    ab_case cs;
    memset(p, 0, sizeof *p);
    case_default(&cs);
    cs.v[AX_CIN] = (long)ch;
    cs.v[AX_COUT] = (long)ch;
    cs.v[AX_SPATIAL] = (long)spatial;
    int rc = conv_make(&p->k, &cs, c->seed++, e);
    if (rc)
        return rc;
    p->have_k = 1;
    for (size_t i = 0; in != INPUT_RANDOM && i < ch * spatial; i++)
        p->k.input[i] = (float)((in == INPUT_RAMP_001 ? 0.01 : 0.1) * (double)(i % spatial % 16 + 1));
    size_t wlen = 0;
    char *mil = mil_conv_program(&p->k, c->target);
    uint8_t *blob = pk_blob(p, identity, &wlen);
    p->elem = 4;
    p->in_bytes = ch * ane_row_bytes(spatial, p->elem);
    p->out_bytes = p->in_bytes;
    uint8_t *img = malloc(p->in_bytes);
    if (!mil || !blob || !img)
        rc = ab_errf(e, AB_EFAIL, "out of memory");
    if (!rc)
        rc = c->ops->model_create(c->api, mil, blob, wlen, &p->m, e);
    if (!rc)
        rc = c->ops->buf_create(c->api, p->in_bytes, &p->in, e);
    if (!rc)
        rc = c->ops->buf_create(c->api, p->out_bytes, &p->out, e);
    if (!rc) {
        ane_pack(p->k.input, ch, spatial, p->elem, img);
        rc = c->ops->buf_write(c->api, p->in, img, p->in_bytes, e);
    }
    if (!rc && c->ops->eval_prepare) {
        ane_eval_req rq = {.qos = 21, .perf_stats = true, .in = p->in, .out = p->out};
        rc = c->ops->eval_prepare(c->api, p->m, &rq, e);
    }
    free(mil);
    free(blob);
    free(img);
    if (rc)
        pk_free(c, p);
    return rc;
}

static int pk_eval(pctx *c, pkern *p, unsigned qos, unsigned proc, bool rt, ane_buf *wbuf, ane_eval_res *res,
                   ab_err *e)
{
    ane_eval_req rq = {.qos = qos, .procedure = proc, .perf_stats = true, .realtime = rt,
                       .in = p->in, .out = p->out, .weights_buffer = wbuf};
    memset(res, 0, sizeof *res);
    return c->ops->eval(c->api, p->m, &rq, res, e);
}

/* Output as fp32 [cout][spatial] (malloc'd) or NULL. */
static float *pk_output(pctx *c, pkern *p, ab_err *e)
{
    uint8_t *img = malloc(p->out_bytes);
    float *y = malloc(p->k.cout * p->k.spatial * sizeof *y);
    if (img && y && c->ops->buf_read(c->api, p->out, img, p->out_bytes, e) == AB_OK) {
        ane_unpack(img, p->k.cout, p->k.spatial, p->elem, y);
        free(img);
        return y;
    }
    free(img);
    free(y);
    return NULL;
}

static int pk_clear_output(pctx *c, pkern *p, ab_err *e)
{
    uint8_t *z = calloc(1, p->out_bytes);
    int rc = z ? c->ops->buf_write(c->api, p->out, z, p->out_bytes, e) : ab_errf(e, AB_EFAIL, "out of memory");
    free(z);
    return rc;
}

static double ms_since(uint64_t t0)
{
    return (double)(ab_now_ns() - t0) / 1e6;
}

/* ---- report pieces ------------------------------------------------------ */

static cJSON *probe_new(const char *name)
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

__attribute__((format(printf, 3, 4))) static void conclude(cJSON *o, const char *result, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    set_str(o, "result", result);
    set_str(o, "finding", buf);
}

__attribute__((format(printf, 2, 3))) static void evidence(cJSON *o, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cJSON_AddItemToArray(cJSON_GetObjectItem(o, "evidence"), cJSON_CreateString(buf));
}

static void figure(cJSON *o, const char *key, double v)
{
    cJSON *f = cJSON_GetObjectItem(o, "figures");
    if (isfinite(v))
        cJSON_AddNumberToObject(f, key, v);
    else
        cJSON_AddNullToObject(f, key);
}

static void probe_error(cJSON *o, const char *what, const ab_err *e)
{
    conclude(o, "error", "the probe could not run: %s: %s", what, e->msg);
}

static double round3(double v)
{
    return round(v * 1000.0) / 1000.0;
}

static double round4(double v)
{
    return round(v * 10000.0) / 10000.0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* ---- the probes --------------------------------------------------------- */

/* QoS 0..63: compile / load / first eval / average of 10 evals per value,
 * 256x256 conv, S=64, as the seed's table. */
static void probe_qos(pctx *c, cJSON *o)
{
    cJSON *rows = cJSON_CreateArray();
    cJSON_AddItemToObject(cJSON_GetObjectItem(o, "figures"), "rows", rows);
    evidence(o, " QoS    Compile       Load    Eval(1) Eval(avg10)  Status");
    size_t nok = 0, nrest = 0;
    double first_load = NAN, load_rest[16], comp_rest[16], eval_rest[16];
    char bad[256] = "";
    for (size_t i = 0; i < ane_probe_qos_count; i++) {
        unsigned q = ane_probe_qos_values[i];
        pkern p;
        ab_err e;
        ab_err_clear(&e);
        double tc = NAN, tl = NAN, t1 = NAN, tavg = NAN, tmed = NAN, tmin = NAN;
        int rc = pk_make(c, &p, 256, 64, 0, INPUT_RANDOM, &e);
        uint64_t t0;
        ane_eval_res res;
        if (!rc) {
            t0 = ab_now_ns();
            rc = c->ops->compile(c->api, p.m, q, &e);
            tc = ms_since(t0);
        }
        if (!rc) {
            t0 = ab_now_ns();
            rc = c->ops->load(c->api, p.m, q, &e);
            tl = ms_since(t0);
        }
        if (!rc) {
            t0 = ab_now_ns();
            rc = pk_eval(c, &p, q, 0, false, NULL, &res, &e);
            t1 = ms_since(t0);
        }
        if (!rc) {
            double each[10];
            uint64_t t00 = ab_now_ns();
            for (int k = 0; k < 10 && !rc; k++) {
                t0 = ab_now_ns();
                rc = pk_eval(c, &p, q, 0, false, NULL, &res, &e);
                each[k] = ms_since(t0);
            }
            tavg = ms_since(t00) / 10;
            tmin = each[0];
            for (int k = 1; k < 10; k++)
                tmin = fmin(tmin, each[k]);
            tmed = median(each, 10);
        }
        if (!rc) {
            float *y = pk_output(c, &p, &e);
            ab_verify v = {0};
            if (y)
                conv_verify(&p.k, y, 1, &v);
            if (!y || !v.pass)
                rc = ab_errf(&e, AB_EFAIL, "wrong output (max abs err %g)", y ? v.max_abs_err : NAN);
            free(y);
        }
        if (p.m && !rc)
            c->ops->unload(c->api, p.m, q, &e);
        pk_free(c, &p);
        cJSON *row = cJSON_CreateObject();
        cJSON_AddNumberToObject(row, "qos", q);
        cJSON_AddStringToObject(row, "label", ane_qos_label(q));
        double vals[6] = {tc, tl, t1, tavg, tmed, tmin};
        const char *keys[6] = {"compile_ms", "load_ms", "eval1_ms", "eval_avg10_ms", "eval_median10_ms",
                               "eval_min10_ms"};
        for (int k = 0; k < 6; k++) {
            if (isfinite(vals[k]))
                cJSON_AddNumberToObject(row, keys[k], round4(vals[k]));
            else
                cJSON_AddNullToObject(row, keys[k]);
        }
        cJSON_AddStringToObject(row, "status", rc ? e.msg : "OK");
        cJSON_AddItemToArray(rows, row);
        evidence(o, "%4u %9.1fms %9.1fms %9.2fms %10.2fms  %s", q, tc, tl, t1, tavg, rc ? e.msg : "OK");
        if (rc) {
            if (!bad[0])
                snprintf(bad, sizeof bad, "QoS %u: %s", q, e.msg);
            continue;
        }
        nok++;
        if (i == 0) {
            first_load = tl;
        } else {
            load_rest[nrest] = tl;
            comp_rest[nrest] = tc;
            eval_rest[nrest++] = tmin;
        }
    }
    double lmed = median(load_rest, nrest), cmed = median(comp_rest, nrest);
    double emin = INFINITY, emax = -INFINITY;
    for (size_t i = 0; i < nrest; i++) {
        emin = fmin(emin, eval_rest[i]);
        emax = fmax(emax, eval_rest[i]);
    }
    double emed = median(eval_rest, nrest);
    double spread = nrest ? 100.0 * (emax - emin) / emed : NAN;
    figure(o, "qos_tried", (double)ane_probe_qos_count);
    figure(o, "qos_ok", (double)nok);
    figure(o, "compile_ms_median", round3(cmed));
    figure(o, "load_ms_median", round3(lmed));
    figure(o, "first_load_ms", round3(first_load));
    figure(o, "eval_min10_ms_median", round4(emed));
    figure(o, "eval_spread_pct", round(spread * 10) / 10);
    if (nok == 0) {
        conclude(o, "fail", "No QoS value worked (%s).", bad);
        return;
    }
    /* Spread of the per-QoS fastest of 10 evals: a QoS effect moves the
     * whole distribution, fastest included, while a busy host only adds
     * time (the table keeps the seed's averages). The seed's own averages
     * varied 0.06-0.08 ms (33%): a spread under 50% is "no measurable
     * difference". */
    const char *effect = spread < 50 ? "no measurable latency difference between QoS values"
                                     : "eval latency differs between QoS values";
    char firstuse[160] = "";
    if (isfinite(first_load) && isfinite(lmed) && first_load > 2 * lmed)
        snprintf(firstuse, sizeof firstuse, "; the first load costs %.1f ms vs %.1f ms after it (first use in the "
                 "process)", first_load, lmed);
    conclude(o, nok == ane_probe_qos_count ? "pass" : "partial",
             "%zu of %zu QoS values (0-63) compile, load and eval (compile ~%.1f ms, load ~%.1f ms, fastest "
             "eval ~%.3f ms for 256x256 S=64); %s (spread %.0f%%)%s%s%s.",
             nok, ane_probe_qos_count, cmed, lmed, emed, effect, spread, firstuse, bad[0] ? "; " : "", bad);
}

static void probe_census(pctx *c, cJSON *o)
{
    char **names = NULL;
    size_t n = 0;
    ab_err e;
    if (c->ops->class_census(c->api, &names, &n, &e) != AB_OK) {
        probe_error(o, "class census", &e);
        return;
    }
    static const char *const core[] = {"_ANEInMemoryModelDescriptor", "_ANEInMemoryModel", "_ANERequest",
                                       "_ANEIOSurfaceObject", "_ANEClient", "_ANEPerformanceStats"};
    size_t have = 0;
    char missing[256] = "";
    for (size_t i = 0; i < sizeof core / sizeof core[0]; i++) {
        if (c->ops->has_class(c->api, core[i]))
            have++;
        else
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " %s", core[i]);
    }
    for (size_t i = 0; i < n; i++) {
        evidence(o, "%s", names[i]);
        free(names[i]);
    }
    free(names);
    figure(o, "class_count", (double)n);
    figure(o, "lifecycle_classes_present", (double)have);
    figure(o, "lifecycle_classes_expected", (double)(sizeof core / sizeof core[0]));
    if (have == sizeof core / sizeof core[0])
        conclude(o, "pass", "%zu _ANE* classes found, including every class the lifecycle needs.", n);
    else
        conclude(o, n ? "partial" : "fail", "%zu _ANE* classes found; missing:%s.", n, missing);
}

/* Overwrite weight.bin (3x identity) and unload/load: does the output change? */
static void probe_weight_reload(pctx *c, cJSON *o)
{
    pkern p;
    ab_err e;
    ane_eval_res res;
    float *a = NULL, *b = NULL;
    if (pk_make(c, &p, 64, 32, 1.0f, INPUT_RAMP_001, &e)) {
        probe_error(o, "building the 64x64 kernel", &e);
        return;
    }
    uint64_t t0 = ab_now_ns();
    int rc = c->ops->compile(c->api, p.m, 21, &e);
    if (!rc)
        rc = c->ops->load(c->api, p.m, 21, &e);
    double tcl = ms_since(t0), tu = NAN, tr = NAN;
    if (!rc)
        rc = pk_eval(c, &p, 21, 0, false, NULL, &res, &e);
    if (!rc && !(a = pk_output(c, &p, &e)))
        rc = AB_EFAIL;
    size_t wlen = 0;
    uint8_t *blob3 = NULL;
    if (!rc && !(blob3 = pk_blob(&p, 3.0f, &wlen)))
        rc = ab_errf(&e, AB_EFAIL, "out of memory");
    if (!rc)
        rc = c->ops->model_rewrite_weights(c->api, p.m, blob3, wlen, &e);
    if (!rc) {
        t0 = ab_now_ns();
        rc = c->ops->unload(c->api, p.m, 21, &e);
        tu = ms_since(t0);
    }
    if (!rc) {
        t0 = ab_now_ns();
        rc = c->ops->load(c->api, p.m, 21, &e);
        tr = ms_since(t0);
    }
    if (!rc)
        rc = pk_clear_output(c, &p, &e);
    if (!rc)
        rc = pk_eval(c, &p, 21, 0, false, NULL, &res, &e);
    if (!rc && !(b = pk_output(c, &p, &e)))
        rc = AB_EFAIL;
    if (rc) {
        probe_error(o, "compile/load/eval/reload", &e);
    } else {
        double maxd = 0, max3 = 0;
        size_t n = p.k.cout * p.k.spatial;
        for (size_t i = 0; i < n; i++) {
            maxd = fmax(maxd, fabs((double)a[i] - b[i]));
            max3 = fmax(max3, fabs(3.0 * a[i] - b[i]));
        }
        evidence(o, "Kernel: 64x64 conv, spatial=32");
        evidence(o, "Compile+load: %.1fms | Unload: %.1fms | Reload: %.1fms", tcl, tu, tr);
        evidence(o, "Output A (identity): [%.4f, %.4f, %.4f, %.4f]", a[0], a[1], a[2], a[3]);
        evidence(o, "Output B (3x identity, after file overwrite + reload): [%.4f, %.4f, %.4f, %.4f]", b[0], b[1],
                 b[2], b[3]);
        evidence(o, "Max A-B diff: %.6f", maxd);
        figure(o, "compile_load_ms", round3(tcl));
        figure(o, "unload_ms", round3(tu));
        figure(o, "reload_ms", round3(tr));
        figure(o, "max_diff", maxd);
        if (maxd == 0)
            conclude(o, "fail", "Weights are baked at compile time: overwriting weight.bin and unload/load leaves "
                     "the output unchanged (max diff 0), so reloading cannot replace a recompile.");
        else if (max3 < 0.01)
            conclude(o, "pass", "Overwriting weight.bin and unload/load changes the output to the new weights "
                     "(max diff %.4f): reload can replace a recompile.", maxd);
        else
            conclude(o, "partial", "Overwriting weight.bin and unload/load changes the output, but not to the new "
                     "weights' result (max diff %.4f).", maxd);
    }
    free(a);
    free(b);
    free(blob3);
    pk_free(c, &p);
}

/* A request weightsBuffer holding 3x identity: does it override? */
static void probe_weights_buffer(pctx *c, cJSON *o)
{
    pkern p;
    ab_err e;
    ane_eval_res res;
    float *a = NULL, *b = NULL;
    ane_buf *wb = NULL;
    if (pk_make(c, &p, 64, 32, 1.0f, INPUT_RAMP_01, &e)) {
        probe_error(o, "building the 64x64 kernel", &e);
        return;
    }
    int rc = c->ops->compile(c->api, p.m, 21, &e);
    if (!rc)
        rc = c->ops->load(c->api, p.m, 21, &e);
    if (!rc)
        rc = pk_eval(c, &p, 21, 0, false, NULL, &res, &e);
    if (!rc && !(a = pk_output(c, &p, &e)))
        rc = AB_EFAIL;
    size_t wlen = 0;
    uint8_t *blob3 = rc ? NULL : pk_blob(&p, 3.0f, &wlen);
    if (!rc && !blob3)
        rc = ab_errf(&e, AB_EFAIL, "out of memory");
    if (!rc)
        rc = c->ops->buf_create(c->api, wlen, &wb, &e);
    if (!rc)
        rc = c->ops->buf_write(c->api, wb, blob3, wlen, &e);
    if (!rc)
        rc = pk_clear_output(c, &p, &e);
    int evrc = rc ? rc : pk_eval(c, &p, 21, 0, false, wb, &res, &e);
    if (!rc && !evrc && !(b = pk_output(c, &p, &e)))
        rc = AB_EFAIL;
    if (rc) {
        probe_error(o, "compile/load/eval", &e);
    } else if (evrc) {
        evidence(o, "eval with weightsBuffer: %s", e.msg);
        conclude(o, "fail", "An eval whose request carries a weightsBuffer fails (%s).", e.msg);
    } else {
        double maxd = 0;
        for (size_t i = 0; i < p.k.cout * p.k.spatial; i++)
            maxd = fmax(maxd, fabs((double)a[i] - b[i]));
        evidence(o, "Baseline (1x identity): Output[0..3] = [%.4f, %.4f, %.4f, %.4f]", a[0], a[1], a[2], a[3]);
        evidence(o, "weightsBuffer (3x identity): Output[0..3] = [%.4f, %.4f, %.4f, %.4f]", b[0], b[1], b[2], b[3]);
        figure(o, "max_diff", maxd);
        if (maxd == 0)
            conclude(o, "fail", "A weightsBuffer in the request does not override the compiled weights (output "
                     "unchanged); they stay baked at compile.");
        else
            conclude(o, "pass", "A weightsBuffer in the request changes the output (max diff %.4f).", maxd);
    }
    free(a);
    free(b);
    free(blob3);
    if (wb)
        c->ops->buf_free(c->api, wb);
    pk_free(c, &p);
}

static void probe_perf_stats(pctx *c, cJSON *o)
{
    bool cls = c->ops->has_class(c->api, "_ANEPerformanceStats");
    evidence(o, "_ANEPerformanceStats class %s", cls ? "present" : "absent");
    pkern p;
    ab_err e;
    ane_eval_res res;
    if (pk_make(c, &p, 256, 64, 0, INPUT_RANDOM, &e)) {
        probe_error(o, "building the 256x256 kernel", &e);
        return;
    }
    int rc = c->ops->compile(c->api, p.m, 21, &e);
    if (!rc)
        rc = c->ops->load(c->api, p.m, 21, &e);
    double hw[10], wall[10];
    size_t nhw = 0, nw = 0;
    char reason[160] = "";
    for (int i = 0; i < 10 && !rc; i++) {
        uint64_t t0 = ab_now_ns();
        rc = pk_eval(c, &p, 21, 0, false, NULL, &res, &e);
        wall[nw++] = (double)(ab_now_ns() - t0);
        if (!rc && res.has_hw && res.hw_ns > 0)
            hw[nhw++] = (double)res.hw_ns;
        else if (!rc && !reason[0])
            ab_strlcpy(reason, res.hw_reason[0] ? res.hw_reason : "hwExecutionTime was 0", sizeof reason);
    }
    pk_free(c, &p);
    if (rc) {
        probe_error(o, "compile/load/eval", &e);
        return;
    }
    double mh = median(hw, nhw), mw = median(wall, nw);
    figure(o, "evals", (double)nw);
    figure(o, "evals_with_hw", (double)nhw);
    figure(o, "hw_ns_median", mh);
    figure(o, "wall_ns_median", round(mw));
    if (nhw)
        evidence(o, "hwExecutionTime median %.0f ns, wall median %.0f ns (256x256 S=64, 10 evals)", mh, mw);
    else
        evidence(o, "no hwExecutionTime: %s", reason);
    if (!cls)
        conclude(o, "unsupported", "_ANEPerformanceStats is absent; no hardware execution time.");
    else if (nhw == nw && mh <= mw)
        conclude(o, "pass", "hwExecutionTime is populated through the perfStatsMask recipe: %.1f us on the ANE vs "
                 "%.1f us wall per eval for 256x256 S=64.", mh / 1e3, mw / 1e3);
    else if (nhw)
        conclude(o, "partial", "hwExecutionTime is populated on %zu of %zu evals (median %.1f us, wall %.1f us).",
                 nhw, nw, mh / 1e3, mw / 1e3);
    else
        conclude(o, "partial", "_ANEPerformanceStats exists but hwExecutionTime stays empty (%s); wall-clock "
                 "timing only.", reason);
}

static void probe_procedure(pctx *c, cJSON *o)
{
    pkern p;
    ab_err e;
    ane_eval_res res;
    if (pk_make(c, &p, 64, 32, 0, INPUT_RANDOM, &e)) {
        probe_error(o, "building the 64x64 kernel", &e);
        return;
    }
    int rc = c->ops->compile(c->api, p.m, 21, &e);
    if (!rc)
        rc = c->ops->load(c->api, p.m, 21, &e);
    if (rc) {
        pk_free(c, &p);
        probe_error(o, "compile/load", &e);
        return;
    }
    size_t ok = 0, correct = 0;
    for (unsigned i = 0; i <= 15; i++) {
        int r = pk_clear_output(c, &p, &e);
        if (!r)
            r = pk_eval(c, &p, 21, i, false, NULL, &res, &e);
        float *y = r ? NULL : pk_output(c, &p, &e);
        ab_verify v = {0};
        if (y)
            conv_verify(&p.k, y, 1, &v);
        ok += !r;
        correct += y && v.pass;
        evidence(o, "procedureIndex %2u: %s%s", i, r ? e.msg : "OK", r ? "" : (y && v.pass ? ", output correct"
                                                                                            : ", output WRONG"));
        free(y);
    }
    int r16 = pk_eval(c, &p, 21, 16, false, NULL, &res, &e);
    evidence(o, "procedureIndex 16: %s", r16 ? e.msg : "OK");
    pk_free(c, &p);
    figure(o, "indices_ok", (double)ok);
    figure(o, "outputs_correct", (double)correct);
    figure(o, "index16_ok", r16 ? 0 : 1);
    char tail[300];
    snprintf(tail, sizeof tail, "index 16 %s", r16 ? "fails" : "also returns OK");
    if (ok == 16 && correct == 16)
        conclude(o, "pass", "procedureIndex 0-15 all return OK with the correct output on a single-procedure model "
                 "(the index is ignored); %s.", tail);
    else
        conclude(o, ok ? "partial" : "fail", "procedureIndex 0-15: %zu return OK, %zu with the correct output; %s.",
                 ok, correct, tail);
}

/* Median ms of 20 evals on the real-time or normal path. */
static double timed_evals(pctx *c, pkern *p, bool rt, int *rc, ab_err *e)
{
    double t[20];
    ane_eval_res res;
    for (int i = 0; i < 20 && !*rc; i++) {
        uint64_t t0 = ab_now_ns();
        *rc = pk_eval(c, p, 21, 0, rt, NULL, &res, e);
        t[i] = ms_since(t0);
    }
    return *rc ? NAN : median(t, 20);
}

static void probe_realtime(pctx *c, cJSON *o)
{
    ab_err e;
    ab_err_clear(&e);
    if (c->ops->rt_begin(c->api, &e) != AB_OK) {
        evidence(o, "beginRealTimeTask: %s", e.msg);
        conclude(o, "unsupported", "The real-time path is refused: %s", e.msg);
        return;
    }
    evidence(o, "beginRealTimeTask: OK");
    pkern p;
    ane_eval_res res;
    int rc = pk_make(c, &p, 256, 64, 0, INPUT_RANDOM, &e);
    if (!rc)
        rc = c->ops->compile(c->api, p.m, 21, &e);
    double rt_avg = NAN, nm_avg = NAN;
    int correct = 0;
    if (!rc && !(rc = c->ops->rt_load(c->api, p.m, 21, &e))) {
        evidence(o, "loadRealTimeModel: OK");
        rc = pk_eval(c, &p, 21, 0, true, NULL, &res, &e); /* first eval apart */
        rt_avg = timed_evals(c, &p, true, &rc, &e);
        float *y = rc ? NULL : pk_output(c, &p, &e);
        ab_verify v = {0};
        if (y)
            conv_verify(&p.k, y, 1, &v);
        correct = y && v.pass;
        free(y);
        if (!rc)
            evidence(o, "evaluateRealTimeWithModel: OK, median %.3f ms over 20, output %s", rt_avg,
                     correct ? "correct" : "WRONG");
        ab_err e2;
        if (c->ops->rt_unload(c->api, p.m, 21, &e2) != AB_OK && !rc)
            rc = ab_errf(&e, AB_EFAIL, "unloadRealTimeModel: %s", e2.msg);
    }
    c->ops->rt_end(c->api);
    if (!rc && !(rc = c->ops->load(c->api, p.m, 21, &e))) {
        rc = pk_eval(c, &p, 21, 0, false, NULL, &res, &e);
        if (!rc)
            nm_avg = timed_evals(c, &p, false, &rc, &e);
        c->ops->unload(c->api, p.m, 21, &e);
    }
    if (p.m || p.have_k)
        pk_free(c, &p);
    if (rc) {
        evidence(o, "error: %s", e.msg);
        conclude(o, "partial", "beginRealTimeTask succeeds but the real-time cycle fails: %s", e.msg);
        return;
    }
    figure(o, "rt_eval_median_ms", round4(rt_avg));
    figure(o, "normal_eval_median_ms", round4(nm_avg));
    evidence(o, "evaluateWithQoS (normal path): median %.3f ms over 20", nm_avg);
    conclude(o, correct ? "pass" : "partial", "The real-time path works (begin, load, eval, unload, end): eval median "
             "%.3f ms vs %.3f ms on the normal path for 256x256 S=64, output %s.", rt_avg, nm_avg,
             correct ? "correct" : "WRONG");
}

static void probe_classes(pctx *c, cJSON *o, const char *what, const char *const *names, size_t n)
{
    size_t have = 0;
    char missing[256] = "";
    for (size_t i = 0; i < n; i++) {
        bool h = c->ops->has_class(c->api, names[i]);
        have += h;
        evidence(o, "%s %s", names[i], h ? "present" : "absent");
        if (!h)
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " %s", names[i]);
    }
    figure(o, "present", (double)have);
    figure(o, "expected", (double)n);
    if (have == n)
        conclude(o, "pass", "All %zu %s classes exist (presence only: the probe does not run them).", n, what);
    else if (have)
        conclude(o, "partial", "%zu of %zu %s classes exist; missing:%s.", have, n, what, missing);
    else
        conclude(o, "unsupported", "None of the %s classes exist.", what);
}

static void probe_chaining(pctx *c, cJSON *o)
{
    static const char *const names[] = {"_ANEChainingRequest", "_ANEIOSurfaceOutputSets", "_ANEInputBuffersReady",
                                        "_ANEOutputSetEnqueue"};
    probe_classes(c, o, "chaining", names, sizeof names / sizeof names[0]);
}

static void probe_shared_events(pctx *c, cJSON *o)
{
    static const char *const names[] = {"_ANESharedEvents", "_ANESharedSignalEvent", "_ANESharedWaitEvent"};
    probe_classes(c, o, "shared-event", names, sizeof names / sizeof names[0]);
}

typedef void (*probe_fn)(pctx *, cJSON *);
static const probe_fn probe_fns[] = {
    probe_qos,      probe_census,   probe_weight_reload, probe_weights_buffer, probe_perf_stats,
    probe_procedure, probe_realtime, probe_chaining,     probe_shared_events,
};

void *ane_probe_report(const ane_api_ops *ops, ane_api *api, const char *backend, ab_err *e)
{
    ane_device_info info;
    if (ops->device_info(api, &info, e) != AB_OK)
        return NULL;
    pctx c = {.ops = ops, .api = api, .target = mil_target_for_chip(info.chip), .seed = 0xA11E5EEDULL};
    cJSON *r = cJSON_CreateObject();
    char now[32];
    ab_utc_iso(now, sizeof now, 0);
    cJSON_AddNumberToObject(r, "schema_version", 1);
    cJSON_AddStringToObject(r, "kind", "anebench-probe");
    cJSON_AddStringToObject(r, "started", now);
    cJSON_AddStringToObject(r, "backend", backend);
    cJSON_AddBoolToObject(r, "simulated", info.simulated);
    if (info.simulated)
        cJSON_AddNumberToObject(r, "sim_scale", info.time_scale);
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
    cJSON *probes = cJSON_AddArrayToObject(r, "probes");
    for (size_t i = 0; i < ane_probe_count; i++) {
        cJSON *o = probe_new(ane_probe_names[i]);
        probe_fns[i](&c, o);
        cJSON_AddItemToArray(probes, o);
    }
    return r;
}
