/* cpu.c: every float kernel family on the CPU through CBLAS (OpenBLAS on
 * Linux, Accelerate on macOS), one cblas_sgemm per layer. Real measurements
 * on any machine.
 *  - conv layers, channel-first: W [cout][cin*kh*kw] times the input; a
 *    k x k layer first unfolds its input into columns (im2col:
 *    [cin*kh*kw][oh*ow], zeros for the padding), a 1x1 layer multiplies the
 *    activations directly (the 1x1 family's single sgemm, as before);
 *  - linear layers, token-major (matmul): X [S][cin] times W^T, W [cout][cin].
 * Families whose arithmetic is not float (w8a8) are skipped with the
 * family's reason (CBLAS has no int8 GEMM).
 *
 * Phases: compile = packing the weights into aligned memory; load =
 * allocating and first-touching the activation and column buffers and
 * writing the input; eval = the chain, im2col included (unfolding is part of
 * computing a k x k conv this way, and bench/perf's bare loop does the same);
 * unload = freeing the buffers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "backends/blas.h"

#include "backends/backend.h"

typedef struct cpu_state {
    int default_threads; /* BLAS threads at open, restored for threads=0 */
} cpu_state;

typedef struct cpu_inst {
    const ab_kernel *k;
    float *w;           /* packed weights, depth * cout * cin * kh * kw */
    float *x;           /* the input (never overwritten) */
    float *act[2];      /* ping-pong layer outputs, cout * positions each */
    float *col;         /* im2col columns of one layer (k x k only) */
    int threads;
} cpu_inst;

static void *alloc64(size_t bytes)
{
    void *p = NULL;
    if (posix_memalign(&p, 64, bytes ? bytes : 64) != 0)
        return NULL;
    return p;
}

static int cpu_open(ab_backend *b, const char *arg, ab_err *e)
{
    if (arg && *arg)
        return ab_errf(e, AB_EUSAGE, "--backend: 'cpu' takes no argument (got '%s')", arg);
    cpu_state *st = calloc(1, sizeof *st);
    if (!st)
        return ab_errf(e, AB_EFAIL, "out of memory");
#ifdef AB_BLAS_OPENBLAS
    st->default_threads = openblas_get_num_threads();
#endif
    b->priv = st;
    b->simulated = false;
    b->fp16_compute = false;
    return AB_OK;
}

static void cpu_close(ab_backend *b)
{
    free(b->priv);
    b->priv = NULL;
}

static int cpu_supports(ab_backend *b, const ab_case *c, char *why, size_t n)
{
    (void)b;
    if (c->v[AX_PROCEDURE] != 0) {
        snprintf(why, n, "the cpu backend has no procedure index (procedure=%ld)", c->v[AX_PROCEDURE]);
        return 0;
    }
    if (c->v[AX_MODE] != AB_MODE_NORMAL) {
        snprintf(why, n, "the cpu backend has only the normal eval path (mode=%s)",
                 c->v[AX_MODE] == AB_MODE_RT ? "rt" : "direct");
        return 0;
    }
    if (c->v[AX_QOS] != ab_axes[AX_QOS].def) {
        snprintf(why, n, "the cpu backend has no ANE QoS (qos=%ld; only the default %ld runs)", c->v[AX_QOS],
                 ab_axes[AX_QOS].def);
        return 0;
    }
    const char *fam = kernel_family(c)->float_refusal;
    if (fam) {
        snprintf(why, n, "the cpu backend computes in fp32 (cblas_sgemm): %s", fam);
        return 0;
    }
    if (c->v[AX_IO] == AB_IO_FP16) {
        snprintf(why, n, "the cpu backend computes in fp32 (sgemm); io=fp16 is not supported");
        return 0;
    }
#ifndef AB_BLAS_OPENBLAS
    if (c->v[AX_THREADS] != 0) {
        snprintf(why, n, "this BLAS cannot set its thread count at run time (threads=%ld)", c->v[AX_THREADS]);
        return 0;
    }
#endif
    return 1;
}

static int cpu_prepare(ab_backend *b, const ab_kernel *k, void **inst, ab_err *e)
{
    (void)b;
    cpu_inst *in = calloc(1, sizeof *in);
    if (!in)
        return ab_errf(e, AB_EFAIL, "out of memory");
    in->k = k;
    in->threads = (int)k->c.v[AX_THREADS];
    *inst = in;
    return AB_OK;
}

static int cpu_compile(ab_backend *b, void *inst, ab_err *e)
{
    (void)b;
    cpu_inst *in = inst;
    const ab_kernel *k = in->k;
    size_t nw = k->depth * k->cout * k->cin * k->kh * k->kw;
    free(in->w);
    in->w = alloc64(nw * sizeof(float));
    if (!in->w)
        return ab_errf(e, AB_EFAIL, "out of memory packing %zu weights", nw);
    memcpy(in->w, k->weights, nw * sizeof(float));
    return AB_OK;
}

static size_t taps(const ab_kernel *k)
{
    return k->kh * k->kw;
}

static int cpu_load(ab_backend *b, void *inst, ab_err *e)
{
    cpu_inst *in = inst;
    const ab_kernel *k = in->k;
    size_t xbytes = k->cin * k->spatial * sizeof(float), ybytes = k->cout * k->spatial * sizeof(float);
    in->x = alloc64(xbytes);
    if (!in->x)
        return ab_errf(e, AB_EFAIL, "out of memory for a %zu-byte input", xbytes);
    memcpy(in->x, k->input, xbytes);
    for (int i = 0; i < (k->depth > 1 ? 2 : 1); i++) {
        in->act[i] = alloc64(ybytes); /* layer outputs never exceed the input's positions */
        if (!in->act[i])
            return ab_errf(e, AB_EFAIL, "out of memory for %zu-byte activations", ybytes);
        memset(in->act[i], 0, ybytes); /* first touch: page faults belong to load */
    }
    if (taps(k) > 1) {
        size_t cbytes = k->cin * taps(k) * k->spatial * sizeof(float);
        in->col = alloc64(cbytes);
        if (!in->col)
            return ab_errf(e, AB_EFAIL, "out of memory for %zu-byte im2col columns", cbytes);
        memset(in->col, 0, cbytes);
    }
#ifdef AB_BLAS_OPENBLAS
    cpu_state *st = b->priv;
    openblas_set_num_threads(in->threads > 0 ? in->threads : st->default_threads);
#else
    (void)b;
#endif
    return AB_OK;
}

/* Unfolds x [cin][ih][iw] into col [cin*kh*kw][oh*ow] (row (i*kh+dy)*kw+dx
 * holds x[i][oy+dy-ph][ox+dx-pw], zero outside), stride 1. */
static void im2col(const ab_kernel *k, const float *x, size_t ih, size_t iw, size_t oh, size_t ow, float *col)
{
    long ph = k->pad == AB_PAD_SAME ? (long)(k->kh - 1) / 2 : 0;
    long pw = k->pad == AB_PAD_SAME ? (long)(k->kw - 1) / 2 : 0;
    for (size_t i = 0; i < k->cin; i++)
        for (size_t dy = 0; dy < k->kh; dy++)
            for (size_t dx = 0; dx < k->kw; dx++) {
                float *row = col + ((i * k->kh + dy) * k->kw + dx) * oh * ow;
                long sx = (long)dx - pw; /* input column of output column 0 */
                size_t lo = sx < 0 ? (size_t)-sx : 0;
                size_t hi = (long)iw - sx < (long)ow ? (size_t)((long)iw - sx) : ow;
                for (size_t oy = 0; oy < oh; oy++) {
                    long y = (long)oy + (long)dy - ph;
                    float *r = row + oy * ow;
                    if (y < 0 || y >= (long)ih || hi <= lo) {
                        memset(r, 0, ow * sizeof *r);
                        continue;
                    }
                    const float *src = x + (i * ih + (size_t)y) * iw;
                    if (lo)
                        memset(r, 0, lo * sizeof *r);
                    memcpy(r + lo, src + (long)lo + sx, (hi - lo) * sizeof *r);
                    if (hi < ow)
                        memset(r + hi, 0, (ow - hi) * sizeof *r);
                }
            }
}

/* Layer 0 reads the input; layer d writes act[d % 2] and layer d + 1 reads
 * it, so the input survives for the next eval. */
static int cpu_eval(ab_backend *b, void *inst, ab_eval_out *out, ab_err *e)
{
    (void)b;
    (void)e;
    cpu_inst *in = inst;
    const ab_kernel *k = in->k;
    size_t nw = k->cout * k->cin * taps(k), ih = k->h, iw = k->w;
    for (size_t d = 0; d < k->depth; d++) {
        const float *x = d == 0 ? in->x : in->act[(d - 1) % 2];
        float *y = in->act[d % 2];
        const float *w = in->w + d * nw;
        size_t oh = kernel_out_h(k, d), ow = kernel_out_w(k, d);
        if (k->token_major) { /* Y [S][cout] = X [S][cin] W^T */
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)(oh * ow), (int)k->cout, (int)k->cin,
                        1.0f, x, (int)k->cin, w, (int)k->cin, 0.0f, y, (int)k->cout);
        } else if (taps(k) > 1) {
            im2col(k, x, ih, iw, oh, ow, in->col);
            int kk = (int)(k->cin * taps(k)), n = (int)(oh * ow);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)k->cout, n, kk, 1.0f, w, kk, in->col, n,
                        0.0f, y, n);
        } else {
            const int m = (int)k->cout, n = (int)(oh * ow), kk = (int)k->cin;
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, kk, 1.0f, w, kk, x, n, 0.0f, y, n);
        }
        ih = oh;
        iw = ow;
    }
    out->path = taps(k) > 1 ? "im2col+sgemm" : "sgemm";
    return AB_OK;
}

static int cpu_output(ab_backend *b, void *inst, float *dst, ab_err *e)
{
    (void)b;
    cpu_inst *in = inst;
    const ab_kernel *k = in->k;
    if (!in->act[0])
        return ab_errf(e, AB_EFAIL, "no output: the program is not loaded");
    memcpy(dst, in->act[(k->depth - 1) % 2], k->out_rows * k->out_cols * sizeof(float));
    return AB_OK;
}

static int cpu_unload(ab_backend *b, void *inst, ab_err *e)
{
    (void)b;
    (void)e;
    cpu_inst *in = inst;
    free(in->x);
    in->x = NULL;
    for (int i = 0; i < 2; i++) {
        free(in->act[i]);
        in->act[i] = NULL;
    }
    free(in->col);
    in->col = NULL;
    return AB_OK;
}

static void cpu_release(ab_backend *b, void *inst)
{
    cpu_inst *in = inst;
    cpu_unload(b, in, NULL);
    free(in->w);
    free(in);
}

static void cpu_describe(ab_backend *b, void *json)
{
    cpu_state *st = b->priv;
#ifdef AB_BLAS_OPENBLAS
    char blas[256];
    const char *config = openblas_get_config(); /* "OpenBLAS 0.3.21 DYNAMIC_ARCH ..." in most builds */
    snprintf(blas, sizeof blas, "%s%s (core %s)", strncmp(config, "OpenBLAS", 8) ? "OpenBLAS " : "", config,
             openblas_get_corename());
    cJSON_AddStringToObject(json, "blas", blas);
    cJSON_AddNumberToObject(json, "blas_threads", st ? st->default_threads : 0);
#else
    (void)st;
    cJSON_AddStringToObject(json, "blas", "Accelerate");
    cJSON_AddNullToObject(json, "blas_threads");
#endif
    cJSON_AddStringToObject(json, "precision", "fp32");
}

const ab_backend_ops ab_backend_cpu = {
    .name = "cpu",
    .help = "CBLAS: one cblas_sgemm per layer, im2col for k x k convs; no int8 (real measurements)",
    .open = cpu_open,
    .close = cpu_close,
    .supports = cpu_supports,
    .prepare = cpu_prepare,
    .compile = cpu_compile,
    .load = cpu_load,
    .eval = cpu_eval,
    .unload = cpu_unload,
    .output = cpu_output,
    .release = cpu_release,
    .describe = cpu_describe,
};
