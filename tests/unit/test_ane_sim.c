/* ctest: run-serial (measures real time) */
/* test_ane_sim.c: the ANE simulator's behaviour through the ane_api seam:
 * computed output (against the kernels' double-precision CPU reference,
 * and exactly for identity weights), cache hits, weights baked at compile,
 * the compile budget, procedure and QoS ranges, real-time refusal and perf
 * stats per profile (m5 none, as the seed; the what-if m5-hw fills them),
 * first-use costs, the dispatch floor overlapping the engine's work, and
 * bad programs. Waits are scaled
 * down with ANEBENCH_SIM_SCALE except in the one latency check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ane_api.h"
#include "backends/ane_sim.h"
#include "harness/clock.h"
#include "kernels/conv.h"
#include "kernels/fp16.h"
#include "kernels/mil.h"
#include "kernels/weightblob.h"

/* The single layout's one weight file, as model_create takes it. */
#define WB(b, n) &(ane_weight_file){ANE_WEIGHT_BIN, (b), (n)}, 1

static const ane_api_ops *const S = &ane_api_sim;

/* A prepared program: kernel, MIL, blob, model, surfaces. */
typedef struct prog {
    ab_conv k;
    char *mil;
    uint8_t *blob;
    size_t wlen;
    ane_model *m;
    ane_buf *in, *out;
    size_t elem, in_bytes, out_bytes;
} prog;

static ane_api *open_sim(const char *profile, const char *scale)
{
    if (scale)
        setenv("ANEBENCH_SIM_SCALE", scale, 1);
    else
        unsetenv("ANEBENCH_SIM_SCALE");
    ane_api *a = NULL;
    ab_err e;
    assert_int_equal(S->open(&a, profile, &e), AB_OK);
    return a;
}

static void make_case(ab_case *c, long cin, long cout, long spatial, long depth, long io)
{
    case_default(c);
    c->v[AX_CIN] = cin;
    c->v[AX_COUT] = cout;
    c->v[AX_SPATIAL] = spatial;
    c->v[AX_DEPTH] = depth;
    c->v[AX_IO] = io;
}

static void prog_make(ane_api *a, prog *p, long cin, long cout, long spatial, long depth, long io,
                      uint64_t seed)
{
    ab_case c;
    ab_err e;
    memset(p, 0, sizeof *p);
    make_case(&c, cin, cout, spatial, depth, io);
    assert_int_equal(conv_make(&p->k, &c, seed, &e), AB_OK);
    p->mil = mil_conv_program(&p->k, MIL_TARGET_IOS18, AB_WEIGHTS_SINGLE);
    p->blob = weightblob_build(&p->k, &p->wlen);
    assert_non_null(p->mil);
    assert_non_null(p->blob);
    assert_int_equal(S->model_create(a, p->mil, WB(p->blob, p->wlen), &p->m, &e), AB_OK);
    p->elem = io == AB_IO_FP16 ? 2 : 4;
    p->in_bytes = (size_t)cin * ane_row_bytes((size_t)spatial, p->elem);
    p->out_bytes = (size_t)cout * ane_row_bytes((size_t)spatial, p->elem);
    assert_int_equal(S->buf_create(a, p->in_bytes, &p->in, &e), AB_OK);
    assert_int_equal(S->buf_create(a, p->out_bytes, &p->out, &e), AB_OK);
    uint8_t *img = malloc(p->in_bytes);
    ane_pack(p->k.input, p->k.cin, p->k.spatial, p->elem, img);
    assert_int_equal(S->buf_write(a, p->in, img, p->in_bytes, &e), AB_OK);
    free(img);
}

static void prog_free(ane_api *a, prog *p)
{
    S->model_free(a, p->m);
    S->buf_free(a, p->in);
    S->buf_free(a, p->out);
    free(p->mil);
    free(p->blob);
    conv_free(&p->k);
}

static void req_for(const prog *p, ane_eval_req *rq)
{
    memset(rq, 0, sizeof *rq);
    rq->qos = 21;
    rq->perf_stats = true;
    rq->in = p->in;
    rq->out = p->out;
}

static int eval_once(ane_api *a, prog *p, unsigned procedure, ane_eval_res *res, ab_err *e)
{
    ane_eval_req rq;
    req_for(p, &rq);
    rq.procedure = procedure;
    return S->eval(a, p->m, &rq, res, e);
}

/* Output read back as fp32 [cout][spatial]. */
static float *read_out(ane_api *a, prog *p)
{
    ab_err e;
    uint8_t *img = malloc(p->out_bytes);
    float *o = malloc(p->k.cout * p->k.spatial * sizeof *o);
    assert_int_equal(S->buf_read(a, p->out, img, p->out_bytes, &e), AB_OK);
    ane_unpack(img, p->k.cout, p->k.spatial, p->elem, o);
    free(img);
    return o;
}

static void compile_load(ane_api *a, prog *p)
{
    ab_err e;
    assert_int_equal(S->compile(a, p->m, 21, &e), AB_OK);
    assert_int_equal(S->load(a, p->m, 21, &e), AB_OK);
}

static double ms_of(uint64_t t0)
{
    return (double)(ab_now_ns() - t0) / 1e6;
}

static void check_output(long cin, long cout, long spatial, long depth, long io)
{
    ane_api *a = open_sim("m5", "0.001");
    prog p;
    ane_eval_res res;
    ab_err e;
    prog_make(a, &p, cin, cout, spatial, depth, io, 1234);
    compile_load(a, &p);
    assert_int_equal(eval_once(a, &p, 0, &res, &e), AB_OK);
    float *o = read_out(a, &p);
    ab_verify v;
    conv_verify(&p.k, o, 1, &v);
    assert_true(v.checked > 0);
    assert_true(v.pass);
    free(o);
    prog_free(a, &p);
    S->close(a);
}

static void test_output_fp32_io(void **st)
{
    (void)st;
    check_output(64, 48, 64, 1, AB_IO_FP32);
}

static void test_output_fp16_io_padded_rows(void **st)
{
    (void)st;
    /* S=40 fp16 is 80 bytes a row: the surface pads each row to 128. */
    check_output(32, 32, 40, 1, AB_IO_FP16);
}

static void test_output_chain(void **st)
{
    (void)st;
    check_output(64, 64, 32, 3, AB_IO_FP32);
}

/* Overwrites p's weights with `scale` x identity (cin == cout). */
static void set_identity(prog *p, float scale)
{
    size_t n = p->k.cin;
    for (size_t d = 0; d < p->k.depth; d++)
        for (size_t o = 0; o < n; o++)
            for (size_t i = 0; i < n; i++)
                p->k.weights[d * n * n + o * n + i] = o == i ? scale : 0.0f;
    free(p->blob);
    p->blob = weightblob_build(&p->k, &p->wlen);
}

/* Identity weights: the output is the input rounded to fp16, bit for bit;
 * rewriting weight.bin (3x identity) and unload/load leaves it unchanged,
 * so does a weightsBuffer; a new compile takes the new weights. */
static void test_weights_baked(void **st)
{
    (void)st;
    ane_api *a = open_sim("m5", "0.001");
    prog p;
    ane_eval_res res;
    ab_err e;
    prog_make(a, &p, 64, 64, 32, 1, AB_IO_FP32, 7);
    set_identity(&p, 1.0f);
    S->model_free(a, p.m);
    assert_int_equal(S->model_create(a, p.mil, WB(p.blob, p.wlen), &p.m, &e), AB_OK);
    compile_load(a, &p);
    assert_int_equal(eval_once(a, &p, 0, &res, &e), AB_OK);
    float *o1 = read_out(a, &p);
    for (size_t i = 0; i < 64 * 32; i++)
        assert_true(o1[i] == fp16_round(p.k.input[i]));

    set_identity(&p, 3.0f);
    assert_int_equal(S->model_rewrite_weights(a, p.m, WB(p.blob, p.wlen), &e), AB_OK);
    assert_int_equal(S->unload(a, p.m, 21, &e), AB_OK);
    assert_int_equal(S->load(a, p.m, 21, &e), AB_OK);
    assert_int_equal(eval_once(a, &p, 0, &res, &e), AB_OK);
    float *o2 = read_out(a, &p);
    assert_memory_equal(o1, o2, 64 * 32 * sizeof *o1);

    ane_buf *wb;
    assert_int_equal(S->buf_create(a, p.wlen, &wb, &e), AB_OK);
    assert_int_equal(S->buf_write(a, wb, p.blob, p.wlen, &e), AB_OK);
    ane_eval_req rq;
    req_for(&p, &rq);
    rq.weights_buffer = wb;
    assert_int_equal(S->eval(a, p.m, &rq, &res, &e), AB_OK);
    float *o3 = read_out(a, &p);
    assert_memory_equal(o1, o3, 64 * 32 * sizeof *o1);

    assert_int_equal(S->unload(a, p.m, 21, &e), AB_OK);
    assert_int_equal(S->compile(a, p.m, 21, &e), AB_OK);
    assert_int_equal(S->load(a, p.m, 21, &e), AB_OK);
    assert_int_equal(eval_once(a, &p, 0, &res, &e), AB_OK);
    float *o4 = read_out(a, &p);
    for (size_t i = 0; i < 64 * 32; i++)
        assert_true(o4[i] == fp16_round(3.0f * fp16_round(p.k.input[i])));
    free(o1), free(o2), free(o3), free(o4);
    S->buf_free(a, wb);
    prog_free(a, &p);
    S->close(a);
}

/* Same content compiled again hits the cache and costs less; different
 * weights are cold. */
static void test_compile_cache(void **st)
{
    (void)st;
    ane_api *a = open_sim("m5", NULL);
    prog p1, p2, p3;
    ab_err e;
    prog_make(a, &p1, 128, 128, 32, 1, AB_IO_FP32, 1);
    prog_make(a, &p2, 128, 128, 32, 1, AB_IO_FP32, 1);
    prog_make(a, &p3, 128, 128, 32, 1, AB_IO_FP32, 2);
    assert_int_equal(S->compile(a, p1.m, 21, &e), AB_OK); /* pays the first-compile cost */
    assert_string_equal(S->compile_cache(a, p1.m), "cold");
    uint64_t t0 = ab_now_ns();
    assert_int_equal(S->compile(a, p3.m, 21, &e), AB_OK);
    double cold = ms_of(t0);
    assert_string_equal(S->compile_cache(a, p3.m), "cold");
    /* modelled: cold 9.6 ms (jitter 3%), hit 2 ms; waits can only end late,
     * so the fastest of a few hits stands for the model on a busy host */
    double hit = 1e9;
    for (int i = 0; i < 5; i++) {
        t0 = ab_now_ns();
        assert_int_equal(S->compile(a, p2.m, 21, &e), AB_OK);
        hit = fmin(hit, ms_of(t0));
        assert_string_equal(S->compile_cache(a, p2.m), "hit");
    }
    assert_true(cold >= 9.6 * 0.85);
    assert_true(hit >= 2.0 * 0.85);
    assert_true(hit < 9.6 * 0.85 / 2);
    prog_free(a, &p1), prog_free(a, &p2), prog_free(a, &p3);
    S->close(a);
}

static void test_compile_budget(void **st)
{
    (void)st;
    ane_api *a = open_sim("m5", "0.001");
    prog p;
    ab_err e;
    prog_make(a, &p, 32, 32, 32, 1, AB_IO_FP32, 3);
    assert_int_equal(S->compile_budget_left(a), 119);
    for (int i = 0; i < 119; i++)
        assert_int_equal(S->compile(a, p.m, 21, &e), AB_OK);
    assert_int_equal(S->compile_budget_left(a), 0);
    assert_int_equal(S->compile(a, p.m, 21, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "0x50004"));
    prog_free(a, &p);
    S->close(a);
}

/* Procedures 0..15 give the right output; 16 fails with status 0x2. QoS
 * 0..63 accepted, 64 refused. */
static void test_procedure_and_qos_range(void **st)
{
    (void)st;
    ane_api *a = open_sim("m5", "0.001");
    prog p;
    ane_eval_res res;
    ab_err e;
    prog_make(a, &p, 64, 64, 32, 1, AB_IO_FP32, 5);
    compile_load(a, &p);
    for (unsigned proc = 0; proc <= 15; proc++) {
        /* clear the output so each index must write it again */
        uint8_t *zero = calloc(1, p.out_bytes);
        assert_int_equal(S->buf_write(a, p.out, zero, p.out_bytes, &e), AB_OK);
        free(zero);
        assert_int_equal(eval_once(a, &p, proc, &res, &e), AB_OK);
        float *o = read_out(a, &p);
        ab_verify v;
        conv_verify(&p.k, o, 1, &v);
        assert_true(v.pass);
        free(o);
    }
    assert_int_equal(eval_once(a, &p, 16, &res, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "0x2"));

    ane_eval_req rq;
    req_for(&p, &rq);
    rq.qos = 63;
    assert_int_equal(S->eval(a, p.m, &rq, &res, &e), AB_OK);
    rq.qos = 64;
    assert_int_equal(S->eval(a, p.m, &rq, &res, &e), AB_EFAIL);
    assert_int_equal(S->compile(a, p.m, 64, &e), AB_EFAIL);
    assert_int_equal(S->compile(a, p.m, 0, &e), AB_OK);
    prog_free(a, &p);
    S->close(a);
}

/* m5 offers the real-time path, m4 refuses it; a realtime eval needs the
 * real-time task and load. */
static void test_realtime_per_profile(void **st)
{
    (void)st;
    ane_api *a = open_sim("m5", "0.001");
    prog p;
    ane_eval_res res;
    ab_err e;
    prog_make(a, &p, 64, 64, 32, 1, AB_IO_FP32, 9);
    assert_int_equal(S->compile(a, p.m, 21, &e), AB_OK);
    ane_eval_req rq;
    req_for(&p, &rq);
    rq.realtime = true;
    assert_int_equal(S->eval(a, p.m, &rq, &res, &e), AB_EFAIL);
    bool granted = false;
    assert_int_equal(S->rt_begin(a, &granted, &e), AB_OK);
    assert_true(granted);
    assert_int_equal(S->load(a, p.m, 21, &e), AB_OK); /* the normal load first, as Espresso does */
    assert_int_equal(S->rt_load(a, p.m, 21, &e), AB_OK);
    assert_int_equal(S->eval(a, p.m, &rq, &res, &e), AB_OK);
    assert_string_equal(res.path, "realtime");
    float *o = read_out(a, &p);
    ab_verify v;
    conv_verify(&p.k, o, 1, &v);
    assert_true(v.pass);
    free(o);
    /* The direct path on the normally loaded model: the real-time dispatch. */
    rq.realtime = false;
    rq.direct = true;
    assert_int_equal(S->eval(a, p.m, &rq, &res, &e), AB_OK);
    assert_string_equal(res.path, "direct");
    assert_int_equal(S->rt_unload(a, p.m, 21, &e), AB_OK);
    S->rt_end(a);
    assert_int_equal(S->unload(a, p.m, 21, &e), AB_OK);
    prog_free(a, &p);
    S->close(a);

    /* m4 answers NO; the caller goes on, and the real-time load fails. */
    a = open_sim("m4", "0.001");
    assert_int_equal(S->rt_begin(a, &granted, &e), AB_OK);
    assert_false(granted);
    prog_make(a, &p, 64, 64, 32, 1, AB_IO_FP32, 9);
    assert_int_equal(S->compile(a, p.m, 21, &e), AB_OK);
    assert_int_equal(S->rt_load(a, p.m, 21, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "beginRealTimeTask answered NO"));
    prog_free(a, &p);
    S->close(a);
}

/* m5 follows the seed: no hwExecutionTime, with a reason that says the
 * profile follows the seed; m5-hw (the what-if) fills it with FLOPs / peak
 * + I/O time (scaled), on the same chip and figures; m4 gives none. */
static void test_perf_stats_per_profile(void **st)
{
    (void)st;
    ane_api *a = open_sim("m5", "0.5");
    prog p;
    ane_eval_res res;
    ab_err e;
    ane_device_info di, dh;
    assert_int_equal(S->device_info(a, &di, &e), AB_OK);
    assert_true(di.simulated);
    assert_string_equal(di.profile, "m5");
    assert_true(fabs(di.time_scale - 0.5) < 1e-12);
    prog_make(a, &p, 64, 64, 32, 1, AB_IO_FP32, 11);
    compile_load(a, &p);
    assert_int_equal(eval_once(a, &p, 0, &res, &e), AB_OK);
    assert_false(res.has_hw);
    assert_non_null(strstr(res.hw_reason, "seed"));
    prog_free(a, &p);
    S->close(a);

    a = open_sim("m5-hw", "0.5");
    assert_int_equal(S->device_info(a, &dh, &e), AB_OK);
    assert_string_equal(dh.profile, "m5-hw");
    assert_string_equal(dh.chip, di.chip);
    assert_true(dh.peak_fp16_tflops == di.peak_fp16_tflops);
    prog_make(a, &p, 256, 256, 64, 1, AB_IO_FP32, 11);
    compile_load(a, &p);
    assert_int_equal(eval_once(a, &p, 0, &res, &e), AB_OK);
    assert_true(res.has_hw);
    double flops = 2.0 * 256 * 256 * 64, io = 2.0 * 256 * 64 * 4;
    double model_ns = (flops / (dh.peak_fp16_tflops * 1e12) + io / 100e9) * 1e9 * 0.5;
    assert_true(fabs((double)res.hw_ns - model_ns) <= 0.15 * model_ns);
    ane_eval_req rq;
    req_for(&p, &rq);
    rq.perf_stats = false; /* not asked for: none, and the reason says so */
    assert_int_equal(S->eval(a, p.m, &rq, &res, &e), AB_OK);
    assert_false(res.has_hw);
    assert_non_null(strstr(res.hw_reason, "not requested"));
    prog_free(a, &p);
    S->close(a);

    a = open_sim("m4", "0.001");
    assert_int_equal(S->device_info(a, &di, &e), AB_OK);
    assert_true(fabs(di.peak_fp16_tflops - 18.6) < 1e-9);
    prog_make(a, &p, 64, 64, 32, 1, AB_IO_FP32, 11);
    compile_load(a, &p);
    assert_int_equal(eval_once(a, &p, 0, &res, &e), AB_OK);
    assert_false(res.has_hw);
    assert_true(strlen(res.hw_reason) > 0);
    prog_free(a, &p);
    S->close(a);
}

/* Every profile says what it assumes; the what-if one says it is
 * unconfirmed on hardware; unknown names have no note. */
static void test_profile_notes(void **st)
{
    (void)st;
    assert_non_null(ane_sim_profile_note("m4"));
    assert_non_null(ane_sim_profile_note("m5"));
    assert_non_null(strstr(ane_sim_profile_note("m5"), "seed"));
    assert_non_null(strstr(ane_sim_profile_note("m5-hw"), "unconfirmed on hardware"));
    assert_null(ane_sim_profile_note("m9"));
}

static double median_of(double *v, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (v[j] < v[i]) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
            }
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Median wall ms and hwExecutionTime ms of n steady evals of p. */
static void steady_evals(ane_api *a, prog *p, int n, double *wall, double *hw)
{
    double w[41], h[41];
    ab_err e;
    ane_eval_res res;
    assert_true(n <= 41);
    for (int i = 0; i < n; i++) {
        uint64_t t0 = ab_now_ns();
        assert_int_equal(eval_once(a, p, 0, &res, &e), AB_OK);
        w[i] = ms_of(t0);
        h[i] = (double)res.hw_ns / 1e6;
    }
    *wall = median_of(w, n);
    *hw = median_of(h, n);
}

/* Real waits at scale 1 on m5-hw: a small kernel's eval is the dispatch
 * floor, far above its engine time; a long chain's eval is its engine time,
 * with the floor hidden under it rather than added (the notes' peak
 * figures are wall-clock times close to the theoretical peak). */
static void test_eval_overlap(void **st)
{
    (void)st;
    ane_api *a = open_sim("m5-hw", NULL);
    prog small, chain;
    double ws, hs, wc, hc;
    prog_make(a, &small, 64, 64, 32, 1, AB_IO_FP32, 31);
    prog_make(a, &chain, 512, 512, 64, 64, AB_IO_FP32, 32);
    compile_load(a, &small);
    compile_load(a, &chain);
    steady_evals(a, &small, 41, &ws, &hs); /* the first ones pay the process's warm-up */
    steady_evals(a, &small, 21, &ws, &hs);
    steady_evals(a, &chain, 21, &wc, &hc);
    assert_true(hs < 0.1 * ws);      /* small: the floor dominates */
    assert_true(hc > 2 * ws);        /* the chain's work alone exceeds the floor */
    assert_true(wc >= 0.97 * hc);    /* the eval never ends before the engine does */
    assert_true(wc < hc + 0.5 * ws); /* the floor is not added on top (sum: hc + ws) */
    prog_free(a, &small), prog_free(a, &chain);
    S->close(a);
}

/* Real waits at scale 1: the first load in the process is slow (seed 15.6
 * ms vs 1.7), and a steady 256x256 S=64 eval costs about 0.07 ms (the
 * accuracy check against the seed is tests/e2e/test_sim_seed.py). */
static void test_latency_model(void **st)
{
    (void)st;
    ane_api *a = open_sim("m5", NULL);
    prog p1, p2;
    ab_err e;
    ane_eval_res res;
    prog_make(a, &p1, 256, 256, 64, 1, AB_IO_FP32, 21);
    prog_make(a, &p2, 256, 256, 64, 1, AB_IO_FP32, 22);
    assert_int_equal(S->compile(a, p1.m, 21, &e), AB_OK);
    assert_int_equal(S->compile(a, p2.m, 21, &e), AB_OK);
    uint64_t t0 = ab_now_ns();
    assert_int_equal(S->load(a, p1.m, 21, &e), AB_OK);
    double first = ms_of(t0);
    t0 = ab_now_ns();
    assert_int_equal(S->load(a, p2.m, 21, &e), AB_OK);
    double second = ms_of(t0);
    /* Waits never end early (deadlines), but a loaded host can make them end
     * late: lower bounds are the model's (less 3 jitter sigmas), upper
     * bounds only catch gross errors. */
    assert_true(first >= 15.6 * 0.85);
    assert_true(second >= 1.73 * 0.85);
    assert_true(second < first);
    double v[31];
    for (int i = 0; i < 31; i++) {
        t0 = ab_now_ns();
        assert_int_equal(eval_once(a, &p2, 0, &res, &e), AB_OK);
        v[i] = ms_of(t0);
    }
    /* median of the last 21 (past the process warm-up): the seed's 0.067 ms */
    double med = median_of(v + 10, 21);
    assert_true(med >= 0.067 * 0.85);
    assert_true(med < 1.0);
    prog_free(a, &p1), prog_free(a, &p2);
    S->close(a);
}

/* Broken programs fail at compile with the reason; bad profile and scale
 * are usage errors. */
static void test_bad_input(void **st)
{
    (void)st;
    ane_api *a = open_sim("m5", "0.001");
    prog p;
    ab_err e;
    ane_model *m;
    prog_make(a, &p, 32, 32, 32, 1, AB_IO_FP32, 13);
    assert_int_equal(S->model_create(a, "program(1.3) { garbage }", WB(p.blob, p.wlen), &m, &e), AB_OK);
    assert_int_equal(S->compile(a, m, 21, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "MIL"));
    S->model_free(a, m);
    p.blob[64 + 8] ^= 0x40; /* chunk 0 size field */
    assert_int_equal(S->model_create(a, p.mil, WB(p.blob, p.wlen), &m, &e), AB_OK);
    assert_int_equal(S->compile(a, m, 21, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "weight"));
    S->model_free(a, m);
    assert_int_equal(S->load(a, p.m, 21, &e), AB_EFAIL); /* not compiled */
    prog_free(a, &p);
    S->close(a);

    ane_api *b = NULL;
    assert_int_equal(S->open(&b, "m9", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "m9"));
    setenv("ANEBENCH_SIM_SCALE", "fast", 1);
    assert_int_equal(S->open(&b, "m5", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "fast"));
    unsetenv("ANEBENCH_SIM_SCALE");
}

static void test_class_census(void **st)
{
    (void)st;
    ane_api *a = open_sim("m5", "0.001");
    char **names;
    size_t n;
    ab_err e;
    assert_int_equal(S->class_census(a, &names, &n, &e), AB_OK);
    const char *want[] = {"_ANEChainingRequest", "_ANESharedEvents", "_ANESharedSignalEvent",
                          "_ANESharedWaitEvent", "_ANEQoSMapper",    "_ANEPerformanceStats",
                          "_ANEClient"};
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        int found = 0;
        for (size_t i = 0; i < n; i++)
            found |= !strcmp(names[i], want[w]);
        assert_true(found);
        assert_true(S->has_class(a, want[w]));
    }
    assert_false(S->has_class(a, "_ANENoSuchThing"));
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    S->close(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_output_fp32_io),
        cmocka_unit_test(test_output_fp16_io_padded_rows),
        cmocka_unit_test(test_output_chain),
        cmocka_unit_test(test_weights_baked),
        cmocka_unit_test(test_compile_cache),
        cmocka_unit_test(test_compile_budget),
        cmocka_unit_test(test_procedure_and_qos_range),
        cmocka_unit_test(test_realtime_per_profile),
        cmocka_unit_test(test_perf_stats_per_profile),
        cmocka_unit_test(test_profile_notes),
        cmocka_unit_test(test_eval_overlap),
        cmocka_unit_test(test_latency_model),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_class_census),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
