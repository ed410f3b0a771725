/* null.c: an engine that does nothing in each phase, so its eval time is
 * the harness's own per-sample cost (two clock reads and a call). */
#include <string.h>

#include <cjson/cJSON.h>

#include "backends/backend.h"

static int null_open(ab_backend *b, const char *arg, ab_err *e)
{
    if (arg && *arg)
        return ab_errf(e, AB_EUSAGE, "--backend: 'null' takes no argument (got '%s')", arg);
    b->simulated = false;
    return AB_OK;
}

static void null_close(ab_backend *b)
{
    (void)b;
}

static int null_prepare(ab_backend *b, const ab_kernel *k, void **inst, ab_err *e)
{
    (void)b;
    (void)k;
    (void)e;
    static int token; /* any non-NULL handle */
    *inst = &token;
    return AB_OK;
}

static int null_phase(ab_backend *b, void *inst, ab_err *e)
{
    (void)b;
    (void)inst;
    (void)e;
    return AB_OK;
}

static int null_eval(ab_backend *b, void *inst, ab_eval_out *out, ab_err *e)
{
    (void)b;
    (void)inst;
    (void)e;
    out->path = "none";
    return AB_OK;
}

static void null_release(ab_backend *b, void *inst)
{
    (void)b;
    (void)inst;
}

static void null_describe(ab_backend *b, void *json)
{
    (void)b;
    cJSON_AddStringToObject(json, "note", "null engine: times the harness itself; no output is computed");
}

const ab_backend_ops ab_backend_null = {
    .name = "null",
    .help = "does nothing: measures the harness's own per-sample cost",
    .open = null_open,
    .close = null_close,
    .prepare = null_prepare,
    .compile = null_phase,
    .load = null_phase,
    .eval = null_eval,
    .unload = null_phase,
    .output = NULL, /* nothing to verify: records say verify not checked */
    .release = null_release,
    .describe = null_describe,
};
