/* cpu.c: the 1x1 convolution on the CPU as one cblas_sgemm per layer
 * (Cout x Cin weights times Cin x S input, channel-first), through OpenBLAS
 * on Linux and Accelerate on macOS. Real measurements on any machine.
 *
 * Phases: compile = converting and packing the weights into aligned memory;
 * load = allocating and first-touching the activation buffers and writing
 * the input; eval = the sgemm chain; unload = freeing the activations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#ifdef AB_BLAS_ACCELERATE
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#endif

#include "backends/backend.h"

typedef struct cpu_state {
    int default_threads; /* BLAS threads at open, restored for threads=0 */
} cpu_state;

typedef struct cpu_inst {
    const ab_conv *k;
    float *w;           /* packed weights, depth * cout * cin */
    float *x;           /* the input, cin * spatial (never overwritten) */
    float *act[2];      /* ping-pong layer outputs, cout * spatial each */
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
    if (c->v[AX_MODE] == AB_MODE_RT) {
        snprintf(why, n, "the cpu backend has no real-time eval mode (mode=rt)");
        return 0;
    }
    if (c->v[AX_QOS] != ab_axes[AX_QOS].def) {
        snprintf(why, n, "the cpu backend has no ANE QoS (qos=%ld; only the default %ld runs)", c->v[AX_QOS],
                 ab_axes[AX_QOS].def);
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

static int cpu_prepare(ab_backend *b, const ab_conv *k, void **inst, ab_err *e)
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
    const ab_conv *k = in->k;
    size_t nw = k->depth * k->cout * k->cin;
    free(in->w);
    in->w = alloc64(nw * sizeof(float));
    if (!in->w)
        return ab_errf(e, AB_EFAIL, "out of memory packing %zu weights", nw);
    memcpy(in->w, k->weights, nw * sizeof(float));
    return AB_OK;
}

static int cpu_load(ab_backend *b, void *inst, ab_err *e)
{
    cpu_inst *in = inst;
    const ab_conv *k = in->k;
    size_t xbytes = k->cin * k->spatial * sizeof(float), ybytes = k->cout * k->spatial * sizeof(float);
    in->x = alloc64(xbytes);
    if (!in->x)
        return ab_errf(e, AB_EFAIL, "out of memory for a %zu-byte input", xbytes);
    memcpy(in->x, k->input, xbytes);
    for (int i = 0; i < (k->depth > 1 ? 2 : 1); i++) {
        in->act[i] = alloc64(ybytes);
        if (!in->act[i])
            return ab_errf(e, AB_EFAIL, "out of memory for %zu-byte activations", ybytes);
        memset(in->act[i], 0, ybytes); /* first touch: page faults belong to load */
    }
#ifdef AB_BLAS_OPENBLAS
    cpu_state *st = b->priv;
    openblas_set_num_threads(in->threads > 0 ? in->threads : st->default_threads);
#else
    (void)b;
#endif
    return AB_OK;
}

/* Layer 0 reads the input; layer d writes act[d % 2] and layer d + 1 reads
 * it, so the input survives for the next eval. */
static int cpu_eval(ab_backend *b, void *inst, ab_eval_out *out, ab_err *e)
{
    (void)b;
    (void)e;
    cpu_inst *in = inst;
    const ab_conv *k = in->k;
    const int m = (int)k->cout, n = (int)k->spatial, kk = (int)k->cin;
    for (size_t d = 0; d < k->depth; d++)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, kk, 1.0f, in->w + d * k->cout * k->cin, kk,
                    d == 0 ? in->x : in->act[(d - 1) % 2], n, 0.0f, in->act[d % 2], n);
    out->path = "sgemm";
    return AB_OK;
}

static int cpu_output(ab_backend *b, void *inst, float *dst, ab_err *e)
{
    (void)b;
    cpu_inst *in = inst;
    const ab_conv *k = in->k;
    if (!in->act[0])
        return ab_errf(e, AB_EFAIL, "no output: the program is not loaded");
    memcpy(dst, in->act[(k->depth - 1) % 2], k->cout * k->spatial * sizeof(float));
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
    .help = "the 1x1 conv as one cblas_sgemm per layer (real measurements)",
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
