/* ane_probe_kit.c: a probe's program and its surfaces over the ane_api
 * seam (see ane_probe_int.h). */
#include "backends/ane_probe_int.h"

#include <stdlib.h>
#include <string.h>

#include "harness/clock.h"
#include "kernels/weightblob.h"

void pk_free(pctx *c, pkern *p)
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
uint8_t *pk_blob(pkern *p, float identity, size_t *wlen)
{
    if (identity > 0) {
        size_t n = p->k.cin;
        for (size_t o = 0; o < n; o++)
            for (size_t i = 0; i < n; i++)
                p->k.weights[o * n + i] = o == i ? identity : 0.0f;
    }
    return weightblob_build(&p->k, wlen);
}

int pk_make(pctx *c, pkern *p, size_t ch, size_t spatial, float identity, input_kind in, ab_err *e)
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
    char *mil = mil_conv_program(&p->k, c->target, AB_WEIGHTS_SINGLE); /* the probes: one weight.bin */
    uint8_t *blob = pk_blob(p, identity, &wlen);
    p->elem = 4;
    p->in_bytes = ch * ane_row_bytes(spatial, p->elem);
    p->out_bytes = p->in_bytes;
    uint8_t *img = malloc(p->in_bytes);
    if (!mil || !blob || !img)
        rc = ab_errf(e, AB_EFAIL, "out of memory");
    if (!rc)
        rc = c->ops->model_create(c->api, mil, &(ane_weight_file){ANE_WEIGHT_BIN, blob, wlen}, 1, &p->m, e);
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

int pk_eval(pctx *c, pkern *p, unsigned qos, unsigned proc, bool rt, ane_buf *wbuf, ane_eval_res *res,
            ab_err *e)
{
    ane_eval_req rq = {.qos = qos,
                       .procedure = proc,
                       .perf_stats = true,
                       .realtime = rt,
                       .in = p->in,
                       .out = p->out,
                       .weights_buffer = wbuf};
    memset(res, 0, sizeof *res);
    int rc = c->ops->eval(c->api, p->m, &rq, res, e);
    if (!rc)
        c->ops->eval_stats(c->api, p->m, &rq, res); /* untimed in the bridge; the probes time whole evals */
    return rc;
}

/* Output as fp32 [cout][spatial] (malloc'd) or NULL. */
float *pk_output(pctx *c, pkern *p, ab_err *e)
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

int pk_clear_output(pctx *c, pkern *p, ab_err *e)
{
    uint8_t *z = calloc(1, p->out_bytes);
    int rc =
        z ? c->ops->buf_write(c->api, p->out, z, p->out_bytes, e) : ab_errf(e, AB_EFAIL, "out of memory");
    free(z);
    return rc;
}

double pk_ms_since(uint64_t t0)
{
    return (double)(ab_now_ns() - t0) / 1e6;
}
