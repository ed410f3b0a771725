/* ane.c: the `ane` backend (spec "ane": the private framework through
 * ane_api_objc, Apple only) and `ane-sim[:m4|m5]` (ane_api_sim), one logic
 * over the ane_api seam: MIL text and weight blob from the kernel, one input
 * and one output surface in the ANE's layout, compile / load / eval /
 * unload with the case's QoS, eval with the case's procedure index and perf
 * stats on, and mode=rt bracketed by the real-time task. A refused
 * real-time path fails the case ("real-time path refused: ..."); it never
 * falls back to the normal path. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ane_api.h"
#include "backends/backend.h"
#include "kernels/kernel.h"

typedef struct ane_state {
    const ane_api_ops *ops;
    ane_api *api;
    ane_device_info info;
    ab_mil_target target;
    int budget; /* compiles per process, as the api said at open (-1 unknown) */
    int rt_known, rt_ok; /* the real-time task asked for once (ane_supports) */
    char rt_why[256];    /* why it was refused */
} ane_state;

typedef struct ane_inst {
    ane_model *model;
    ane_buf *in, *out;
    size_t in_rows, in_cols, out_rows, out_cols, elem; /* surfaces: rows of elements */
    unsigned qos, procedure;
    bool rt;
    bool rt_task; /* beginRealTimeTask succeeded and not yet ended */
} ane_inst;

static int ane_open(ab_backend *b, const char *arg, ab_err *e)
{
    (void)arg; /* the spec (b->spec) names the implementation and profile */
    const ane_api_ops *ops;
    const char *api_arg;
    int rc = ane_api_select(b->spec[0] ? b->spec : "ane", &ops, &api_arg, e);
    if (rc)
        return rc;
    ane_state *st = calloc(1, sizeof *st);
    if (!st)
        return ab_errf(e, AB_EFAIL, "out of memory");
    st->ops = ops;
    if ((rc = ops->open(&st->api, api_arg, e)) != AB_OK) {
        free(st);
        return rc;
    }
    if ((rc = ops->device_info(st->api, &st->info, e)) != AB_OK) {
        ops->close(st->api);
        free(st);
        return rc;
    }
    st->target = mil_target_for_chip(st->info.chip);
    st->budget = ops->compile_budget_left(st->api);
    b->priv = st;
    b->simulated = st->info.simulated;
    b->fp16_compute = true;
    return AB_OK;
}

static void ane_close(ab_backend *b)
{
    ane_state *st = b->priv;
    if (st) {
        st->ops->close(st->api);
        free(st);
        b->priv = NULL;
    }
}

static int ane_probe(ab_backend *b, ab_err *why)
{
    ane_state *st = b->priv;
    if (!st)
        return ab_errf(why, AB_EFAIL, "the ane backend is not open");
    ane_device_info info;
    return st->ops->device_info(st->api, &info, why);
}

/* Whether the device grants the real-time task, asked once per process
 * (beginRealTimeTask then endRealTimeTask): a device that lacks the mode
 * refuses it for every case (ANE-NOTES: refused on a consumer M3 Pro), so
 * its rt cases are skipped with the refusal as the reason, not failed. */
static const char *rt_refusal(ane_state *st)
{
    if (!st->rt_known) {
        ab_err why;
        ab_err_clear(&why);
        st->rt_ok = st->ops->rt_begin(st->api, &why) == AB_OK;
        if (st->rt_ok)
            st->ops->rt_end(st->api);
        else
            snprintf(st->rt_why, sizeof st->rt_why, "real-time path refused: %s",
                     why.msg[0] ? why.msg : "beginRealTimeTask failed");
        st->rt_known = 1;
    }
    return st->rt_ok ? NULL : st->rt_why;
}

static int ane_supports(ab_backend *b, const ab_case *c, char *why, size_t n)
{
    const char *bad = case_invalid_reason(c);
    if (!bad && c->v[AX_THREADS] != 0)
        bad = "the threads axis applies to the cpu backend only";
    if (!bad && c->v[AX_MODE] == AB_MODE_RT && b->priv)
        bad = rt_refusal(b->priv);
    if (bad) {
        ab_strlcpy(why, bad, n);
        return 0;
    }
    return 1;
}

static void ane_release(ab_backend *b, void *p)
{
    ane_state *st = b->priv;
    ane_inst *in = p;
    if (!in)
        return;
    if (in->rt_task)
        st->ops->rt_end(st->api);
    if (in->model)
        st->ops->model_free(st->api, in->model);
    if (in->in)
        st->ops->buf_free(st->api, in->in);
    if (in->out)
        st->ops->buf_free(st->api, in->out);
    free(in);
}

static void make_request(const ane_inst *in, ane_eval_req *rq)
{
    memset(rq, 0, sizeof *rq);
    rq->qos = in->qos;
    rq->procedure = in->procedure;
    rq->perf_stats = true;
    rq->realtime = in->rt;
    rq->in = in->in;
    rq->out = in->out;
}

/* Builds the program, its weights and buffers, and writes the input. */
static int ane_prepare(ab_backend *b, const ab_kernel *k, void **out, ab_err *e)
{
    ane_state *st = b->priv;
    const ane_api_ops *ops = st->ops;
    ane_inst *in = calloc(1, sizeof *in);
    if (!in)
        return ab_errf(e, AB_EFAIL, "out of memory");
    in->in_rows = k->in_rows;
    in->in_cols = k->in_cols;
    in->out_rows = k->out_rows;
    in->out_cols = k->out_cols;
    in->elem = k->fp16_io ? 2 : 4;
    in->qos = (unsigned)k->c.v[AX_QOS];
    in->procedure = (unsigned)k->c.v[AX_PROCEDURE];
    in->rt = k->c.v[AX_MODE] == AB_MODE_RT;

    char *mil = kernel_mil(k, st->target);
    size_t wlen = 0;
    uint8_t *blob = kernel_blob(k, &wlen);
    size_t in_bytes = k->in_rows * ane_row_bytes(k->in_cols, in->elem);
    size_t out_bytes = k->out_rows * ane_row_bytes(k->out_cols, in->elem);
    uint8_t *img = malloc(in_bytes);
    int rc = AB_OK;
    if (!mil)
        rc = ab_errf(e, AB_EFAIL, "cannot build the %s MIL program (cin %zu, cout %zu, depth %zu)",
                     k->ops->name, k->cin, k->cout, k->depth);
    else if (!blob || !img)
        rc = ab_errf(e, AB_EFAIL, "out of memory building the program");
    if (!rc)
        rc = ops->model_create(st->api, mil, blob, wlen, &in->model, e);
    if (!rc)
        rc = ops->buf_create(st->api, in_bytes, &in->in, e);
    if (!rc)
        rc = ops->buf_create(st->api, out_bytes, &in->out, e);
    if (!rc) {
        ane_pack(k->input, k->in_rows, k->in_cols, in->elem, img);
        rc = ops->buf_write(st->api, in->in, img, in_bytes, e);
    }
    if (!rc && ops->eval_prepare) {
        ane_eval_req rq;
        make_request(in, &rq);
        rc = ops->eval_prepare(st->api, in->model, &rq, e);
    }
    free(mil);
    free(blob);
    free(img);
    if (rc) {
        ane_release(b, in);
        return rc;
    }
    *out = in;
    return AB_OK;
}

static int ane_compile(ab_backend *b, void *p, ab_err *e)
{
    ane_state *st = b->priv;
    ane_inst *in = p;
    return st->ops->compile(st->api, in->model, in->qos, e);
}

static int ane_load(ab_backend *b, void *p, ab_err *e)
{
    ane_state *st = b->priv;
    ane_inst *in = p;
    if (!in->rt)
        return st->ops->load(st->api, in->model, in->qos, e);
    ab_err why;
    ab_err_clear(&why);
    if (st->ops->rt_begin(st->api, &why) != AB_OK)
        return ab_errf(e, AB_EFAIL, "real-time path refused: %s", why.msg);
    in->rt_task = true;
    int rc = st->ops->rt_load(st->api, in->model, in->qos, e);
    if (rc) {
        st->ops->rt_end(st->api);
        in->rt_task = false;
    }
    return rc;
}

static int ane_eval(ab_backend *b, void *p, ab_eval_out *out, ab_err *e)
{
    ane_state *st = b->priv;
    ane_inst *in = p;
    ane_eval_req rq;
    ane_eval_res res;
    make_request(in, &rq);
    memset(&res, 0, sizeof res);
    int rc = st->ops->eval(st->api, in->model, &rq, &res, e);
    if (rc)
        return rc;
    out->has_hw = res.has_hw && res.hw_ns > 0;
    out->hw_ns = out->has_hw ? res.hw_ns : 0;
    out->path = res.path ? res.path : (in->rt ? "realtime" : "normal");
    if (out->has_hw)
        out->hw_reason[0] = '\0';
    else
        ab_strlcpy(out->hw_reason, res.hw_reason[0] ? res.hw_reason : "hwExecutionTime was 0",
                   sizeof out->hw_reason);
    return AB_OK;
}

static int ane_unload(ab_backend *b, void *p, ab_err *e)
{
    ane_state *st = b->priv;
    ane_inst *in = p;
    if (!in->rt)
        return st->ops->unload(st->api, in->model, in->qos, e);
    int rc = st->ops->rt_unload(st->api, in->model, in->qos, e);
    if (in->rt_task) {
        st->ops->rt_end(st->api);
        in->rt_task = false;
    }
    return rc;
}

static int ane_output(ab_backend *b, void *p, float *out, ab_err *e)
{
    ane_state *st = b->priv;
    ane_inst *in = p;
    size_t bytes = in->out_rows * ane_row_bytes(in->out_cols, in->elem);
    uint8_t *img = malloc(bytes);
    if (!img)
        return ab_errf(e, AB_EFAIL, "out of memory");
    int rc = st->ops->buf_read(st->api, in->out, img, bytes, e);
    if (!rc)
        ane_unpack(img, in->out_rows, in->out_cols, in->elem, out);
    free(img);
    return rc;
}

/* Sets key in o, replacing what the caller may already have put there:
 * run and info add "engine" and "simulated" for every backend before calling
 * describe, and a JSON object must not hold a key twice. */
static void put(cJSON *o, const char *key, cJSON *v)
{
    if (cJSON_GetObjectItemCaseSensitive(o, key))
        cJSON_ReplaceItemInObjectCaseSensitive(o, key, v);
    else
        cJSON_AddItemToObject(o, key, v);
}

static void ane_describe(ab_backend *b, void *json)
{
    ane_state *st = b->priv;
    cJSON *o = json;
    const ane_device_info *d = &st->info;
    put(o, "engine", cJSON_CreateString("ane"));
    put(o, "profile", d->profile[0] ? cJSON_CreateString(d->profile) : cJSON_CreateNull());
    put(o, "simulated", cJSON_CreateBool(d->simulated));
    put(o, "api", cJSON_CreateString(st->ops->name));
    const char *fw = d->framework[0] ? d->framework
                     : d->simulated
                         ? "ane-sim (a calibrated model of the ANE; simulated, not measured on a device)"
                         : "AppleNeuralEngine.framework (private)";
    put(o, "framework", cJSON_CreateString(fw));
    put(o, "peak_gflops",
        d->peak_fp16_tflops > 0 ? cJSON_CreateNumber(d->peak_fp16_tflops * 1000.0) : cJSON_CreateNull());
    put(o, "chip", cJSON_CreateString(d->chip));
    put(o, "family", cJSON_CreateString(d->family));
    if (d->subtype[0])
        put(o, "subtype", cJSON_CreateString(d->subtype));
    if (d->cores > 0)
        put(o, "ane_cores", cJSON_CreateNumber(d->cores));
    put(o, "mil_target", cJSON_CreateString(mil_target_name(st->target)));
    if (d->simulated) /* 0: the api does not know its time scale (a framework not Apple's) */
        put(o, "sim_scale", d->time_scale > 0 ? cJSON_CreateNumber(d->time_scale) : cJSON_CreateNull());
    put(o, "compile_budget", st->budget >= 0 ? cJSON_CreateNumber(st->budget) : cJSON_CreateNull());
}

static const char *ane_compile_cache(ab_backend *b, void *p)
{
    ane_state *st = b->priv;
    ane_inst *in = p;
    return in && in->model ? st->ops->compile_cache(st->api, in->model) : "n/a";
}

static int ane_compile_budget_left(ab_backend *b)
{
    ane_state *st = b->priv;
    return st ? st->ops->compile_budget_left(st->api) : -1;
}

const ab_backend_ops ab_backend_ane = {
    .name = "ane",
    .help = "Apple Neural Engine: 'ane' (private framework, macOS on Apple silicon) or "
            "'ane-sim[:m4|m5]' (simulated, default m5)",
    .open = ane_open,
    .close = ane_close,
    .probe = ane_probe,
    .supports = ane_supports,
    .prepare = ane_prepare,
    .compile = ane_compile,
    .load = ane_load,
    .eval = ane_eval,
    .unload = ane_unload,
    .output = ane_output,
    .release = ane_release,
    .describe = ane_describe,
    .compile_cache = ane_compile_cache,
    .compile_budget_left = ane_compile_budget_left,
};
