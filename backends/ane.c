/* ane.c: the `ane` backend (spec "ane": the private framework through
 * ane_api_objc, Apple only) and `ane-sim[:m4|m5]` (ane_api_sim), one logic
 * over the ane_api seam: MIL text and weight files from the kernel (in the
 * run's weights_layout: one weight.bin or a file per layer), one input
 * and one output surface in the ANE's layout, compile / load / eval /
 * unload with the case's QoS, eval with the case's procedure index and perf
 * counters off (the stats batch turns them on), mode=rt after the normal
 * load as Espresso does it, mode=direct through the client. Surfaces are
 * sized and packed from the compiled model's strides after load (io_setup,
 * untimed). A path that fails or is absent fails or skips the case; it never
 * falls back to another path. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ane_api.h"
#include "backends/ane_program.h"
#include "backends/backend.h"
#include "harness/platform.h"
#include "kernels/kernel.h"

typedef struct ane_state {
    const ane_api_ops *ops;
    ane_api *api;
    ane_device_info info;
    ab_mil_target target;
    int budget; /* compiles per process, as the api said at open (-1 unknown) */
    int rt_known, rt_ok; /* the real-time cycle tried once (rt_refusal) */
    char rt_why[512];    /* why the real-time cycle failed */
} ane_state;

typedef struct ane_inst {
    ane_model *model;
    ane_buf *in, *out;
    const ab_kernel *k; /* the kernel (owned by the caller, alive until release) */
    size_t in_rows, in_cols, out_rows, out_cols, elem; /* surfaces: rows of elements */
    unsigned qos, procedure;
    ane_path path;
    bool stats;    /* counters on for the evals (the stats batch) */
    bool loaded;   /* the normal load holds */
    bool rt_task;  /* beginRealTimeTask sent and endRealTimeTask not yet */
    bool rt_loaded;
    int rt_granted; /* what beginRealTimeTask answered: -1 not asked, 0 NO, 1 YES */
    ane_io_layout layout;
    size_t *want_pos; /* the output positions verification reads (NULL: all) */
    size_t want_n;
} ane_inst;

/* The run's weights layout (single when no run is under way). */
static ab_weights_layout layout_of(const ab_backend *b)
{
    return b->settings && b->settings->weights_layout == AB_WEIGHTS_PER_FILE ? AB_WEIGHTS_PER_FILE
                                                                             : AB_WEIGHTS_SINGLE;
}

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

/* Whether the device has the real-time path, found once per process by
 * the cycle itself, as Espresso runs it, on a small program: compile and
 * load normally, beginRealTimeTask (its answer is not the test: Espresso
 * goes on whatever it says), loadRealTimeModel:, then undone. A device
 * where that fails (ANE-NOTES: begin refused on a consumer M3 Pro) lacks
 * the mode: its rt cases are skipped with what happened as the reason, not
 * failed. The check spends one compile of the process's budget. */
static const char *rt_refusal(ane_state *st, ab_weights_layout layout)
{
    if (st->rt_known)
        return st->rt_ok ? NULL : st->rt_why;
    st->rt_known = 1;
    ab_case c;
    ab_kernel k;
    ab_err e;
    ab_err_clear(&e);
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = 64;
    c.v[AX_SPATIAL] = 32;
    ane_model *m = NULL;
    bool granted = false, loaded = false, task = false;
    int rc = kernel_make(&k, &c, 1, &e);
    if (!rc) {
        rc = ane_program_create(st->ops, st->api, &k, st->target, layout, &m, &e);
        kernel_free(&k);
    }
    if (!rc)
        rc = st->ops->compile(st->api, m, 21, &e);
    if (!rc)
        loaded = !(rc = st->ops->load(st->api, m, 21, &e));
    if (!rc)
        task = !(rc = st->ops->rt_begin(st->api, &granted, &e));
    if (!rc && !(rc = st->ops->rt_load(st->api, m, 21, &e)))
        st->ops->rt_unload(st->api, m, 21, &e);
    if (task)
        st->ops->rt_end(st->api);
    ab_err ignore;
    if (loaded)
        st->ops->unload(st->api, m, 21, &ignore);
    if (m)
        st->ops->model_free(st->api, m);
    st->rt_ok = rc == AB_OK;
    if (!st->rt_ok)
        snprintf(st->rt_why, sizeof st->rt_why, "real-time path refused: %s%s",
                 task ? (granted ? "beginRealTimeTask answered YES, then " : "beginRealTimeTask answered NO, then ")
                      : "",
                 e.msg[0] ? e.msg : "the real-time cycle failed");
    return st->rt_ok ? NULL : st->rt_why;
}

static ane_path path_of(long mode)
{
    return mode == AB_MODE_RT ? ANE_PATH_RT : mode == AB_MODE_DIRECT ? ANE_PATH_DIRECT : ANE_PATH_NORMAL;
}

/* A path whose selectors this framework lacks is skipped with the reason,
 * never replaced by another path. */
static int ane_supports(ab_backend *b, const ab_case *c, char *why, size_t n)
{
    ane_state *st = b->priv;
    const char *bad = case_invalid_reason(c);
    if (!bad && c->v[AX_THREADS] != 0)
        bad = "the threads axis applies to the cpu backend only";
    if (bad) {
        ab_strlcpy(why, bad, n);
        return 0;
    }
    char absent[200] = "";
    if (st && !st->ops->path_available(st->api, path_of(c->v[AX_MODE]), absent, sizeof absent)) {
        snprintf(why, n, "eval path %s absent: %s", c->v[AX_MODE] == AB_MODE_RT ? "rt" : "direct", absent);
        return 0;
    }
    if (st && c->v[AX_MODE] == AB_MODE_RT && (bad = rt_refusal(st, layout_of(b))) != NULL) {
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
    free(in->want_pos);
    free(in);
}

static void make_request(const ane_inst *in, ane_eval_req *rq)
{
    memset(rq, 0, sizeof *rq);
    rq->qos = in->qos;
    rq->procedure = in->procedure;
    rq->perf_stats = in->stats;
    rq->realtime = in->path == ANE_PATH_RT;
    rq->direct = in->path == ANE_PATH_DIRECT;
    rq->in = in->in;
    rq->out = in->out;
    rq->want_pos = in->want_pos;
    rq->want_n = in->want_n;
}

/* Untimed: the program text and weights become a model (files written
 * where the framework compiles from). The buffers wait for the compiled
 * model's strides (io_setup). */
static int ane_prepare(ab_backend *b, const ab_kernel *k, void **out, ab_err *e)
{
    ane_state *st = b->priv;
    ane_inst *in = calloc(1, sizeof *in);
    if (!in)
        return ab_errf(e, AB_EFAIL, "out of memory");
    in->k = k;
    in->in_rows = k->in_rows;
    in->in_cols = k->in_cols;
    in->out_rows = k->out_rows;
    in->out_cols = k->out_cols;
    in->elem = k->fp16_io ? 2 : 4;
    in->qos = (unsigned)k->c.v[AX_QOS];
    in->procedure = (unsigned)k->c.v[AX_PROCEDURE];
    in->path = path_of(k->c.v[AX_MODE]);
    in->rt_granted = -1;

    int rc = kernel_verify_positions(k, &in->want_pos, &in->want_n) ? ab_errf(e, AB_EFAIL, "out of memory")
                                                                       : AB_OK;
    if (!rc)
        rc = ane_program_create(st->ops, st->api, k, st->target, layout_of(b), &in->model, e);
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

/* rt: as Espresso, the one public caller, does it: the normal load first,
 * then beginRealTimeTask (its answer recorded, not a reason to stop), then
 * loadRealTimeModel:. */
static int ane_load(ab_backend *b, void *p, ab_err *e)
{
    ane_state *st = b->priv;
    ane_inst *in = p;
    int rc = st->ops->load(st->api, in->model, in->qos, e);
    if (rc || in->path != ANE_PATH_RT)
        return rc;
    in->loaded = true;
    ab_err why;
    ab_err_clear(&why);
    bool granted = false;
    if (st->ops->rt_begin(st->api, &granted, &why) != AB_OK) {
        *e = why;
        rc = ab_errf(e, AB_EFAIL, "real-time path absent: %s", why.msg);
    } else {
        in->rt_task = true;
        in->rt_granted = granted;
        rc = st->ops->rt_load(st->api, in->model, in->qos, &why);
        if (rc) {
            *e = why;
            snprintf(e->msg, sizeof e->msg, "real-time load failed (beginRealTimeTask answered %s): %s",
                     granted ? "YES" : "NO", why.msg);
            st->ops->rt_end(st->api);
            in->rt_task = false;
        }
    }
    if (rc) {
        ab_err ignore;
        st->ops->unload(st->api, in->model, in->qos, &ignore);
        in->loaded = false;
        return rc;
    }
    in->rt_loaded = true;
    return AB_OK;
}

/* Whether a surface of rows x cols elements with this plane stride holds
 * them exactly as the host does (fp32, rows unpadded, nothing after): then
 * it is written from and read into the host's array as is, with no image
 * packed on the side (for fp32 I/O with rows a multiple of the alignment). */
static bool is_host_layout(size_t rows, size_t cols, size_t elem, size_t plane, size_t bytes)
{
    return elem == sizeof(float) && plane == cols * sizeof(float) && bytes == rows * plane;
}

/* Untimed, after the first load: strides from the compiled model (or the
 * flat fallback, said in the facts), surfaces of that size, the input
 * packed at those strides (or written as it is: is_host_layout), the
 * request built. */

static int ane_io_setup(ab_backend *b, void *p, ab_io_facts *f, ab_err *e)
{
    ane_state *st = b->priv;
    ane_inst *in = p;
    const ane_api_ops *ops = st->ops;
    if (f)
        memset(f, 0, sizeof *f);
    if (!in->in) {
        int rc = ops->io_layout(st->api, in->model, in->in_rows, in->in_cols, in->out_rows, in->out_cols, in->elem,
                                &in->layout, e);
        if (!rc)
            rc = ops->buf_create(st->api, in->layout.in_bytes, &in->in, e);
        if (!rc)
            rc = ops->buf_create(st->api, in->layout.out_bytes, &in->out, e);
        if (!rc && is_host_layout(in->in_rows, in->in_cols, in->elem, in->layout.in_plane, in->layout.in_bytes)) {
            rc = ops->buf_write(st->api, in->in, in->k->input, in->layout.in_bytes, e);
        } else if (!rc) {
            uint8_t *img = ab_host_alloc(in->layout.in_bytes);
            if (!img)
                rc = ab_errf(e, AB_EFAIL, "out of memory");
            if (!rc) {
                ane_pack_rows(in->k->input, in->in_rows, in->in_cols, in->elem, in->layout.in_plane, img);
                rc = ops->buf_write(st->api, in->in, img, in->layout.in_bytes, e);
            }
            free(img);
        }
        if (!rc && ops->eval_prepare) {
            ane_eval_req rq;
            make_request(in, &rq);
            rc = ops->eval_prepare(st->api, in->model, &rq, e);
        }
        if (rc)
            return rc;
    }
    if (f) {
        f->in_row = in->layout.in_row;
        f->in_plane = in->layout.in_plane;
        f->out_row = in->layout.out_row;
        f->out_plane = in->layout.out_plane;
        ab_strlcpy(f->layout, in->layout.from_model ? "model" : "flat", sizeof f->layout);
        ab_strlcpy(f->layout_note, in->layout.note, sizeof f->layout_note);
        if (in->path == ANE_PATH_RT)
            snprintf(f->path_note, sizeof f->path_note,
                     "beginRealTimeTask answered %s; evaluateRealTimeWithModel: is the direct path at the "
                     "real-time QoS",
                     in->rt_granted == 1 ? "YES" : in->rt_granted == 0 ? "NO" : "nothing");
    }
    return AB_OK;
}

/* Only the framework call: stats are read afterwards (read_stats). */
static int ane_eval(ab_backend *b, void *p, ab_eval_out *out, ab_err *e)
{
    ane_state *st = b->priv;
    ane_inst *in = p;
    if (!in->in)
        return ab_errf(e, AB_EFAIL, "eval before io setup (no surfaces)");
    ane_eval_req rq;
    ane_eval_res res;
    make_request(in, &rq);
    int rc = st->ops->eval(st->api, in->model, &rq, &res, e);
    out->path = res.path ? res.path : "normal";
    return rc;
}

static int ane_set_stats(ab_backend *b, void *p, bool on, ab_err *e)
{
    (void)b;
    (void)e;
    ((ane_inst *)p)->stats = on;
    return AB_OK;
}

static void ane_read_stats(ab_backend *b, void *p, ab_eval_out *out)
{
    ane_state *st = b->priv;
    ane_inst *in = p;
    ane_eval_req rq;
    ane_eval_res res;
    make_request(in, &rq);
    memset(&res, 0, sizeof res);
    st->ops->eval_stats(st->api, in->model, &rq, &res);
    out->has_hw = res.has_hw && res.hw_ns > 0;
    out->hw_ns = out->has_hw ? res.hw_ns : 0;
    if (out->has_hw)
        out->hw_reason[0] = '\0';
    else
        ab_strlcpy(out->hw_reason, res.hw_reason[0] ? res.hw_reason : "hwExecutionTime was 0",
                   sizeof out->hw_reason);
}

/* rt: the reverse of load: unloadRealTimeModel:, endRealTimeTask, then the
 * normal unload. */
static int ane_unload(ab_backend *b, void *p, ab_err *e)
{
    ane_state *st = b->priv;
    ane_inst *in = p;
    int rc = AB_OK;
    if (in->rt_loaded) {
        rc = st->ops->rt_unload(st->api, in->model, in->qos, e);
        in->rt_loaded = false;
    }
    if (in->rt_task) {
        st->ops->rt_end(st->api);
        in->rt_task = false;
    }
    ab_err e2;
    ab_err_clear(&e2);
    int rc2 = st->ops->unload(st->api, in->model, in->qos, rc ? &e2 : e);
    in->loaded = false;
    return rc ? rc : rc2;
}

static int ane_output(ab_backend *b, void *p, float *out, ab_err *e)
{
    ane_state *st = b->priv;
    ane_inst *in = p;
    if (!in->out)
        return ab_errf(e, AB_EFAIL, "no output surface (io setup did not run)");
    size_t bytes = in->layout.out_bytes;
    if (is_host_layout(in->out_rows, in->out_cols, in->elem, in->layout.out_plane, bytes))
        return st->ops->buf_read(st->api, in->out, out, bytes, e);
    uint8_t *img = ab_host_alloc(bytes);
    if (!img)
        return ab_errf(e, AB_EFAIL, "out of memory");
    int rc = st->ops->buf_read(st->api, in->out, img, bytes, e);
    if (!rc)
        ane_unpack_rows(img, in->out_rows, in->out_cols, in->elem, in->layout.out_plane, out);
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
    if (d->no_hw) /* no hw figures at all: none to label device or what-if */
        put(o, "hw_source", cJSON_CreateNull());
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
    .io_setup = ane_io_setup,
    .eval = ane_eval,
    .set_stats = ane_set_stats,
    .read_stats = ane_read_stats,
    .unload = ane_unload,
    .output = ane_output,
    .release = ane_release,
    .describe = ane_describe,
    .compile_cache = ane_compile_cache,
    .compile_budget_left = ane_compile_budget_left,
};
