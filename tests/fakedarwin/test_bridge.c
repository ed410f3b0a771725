/* test_bridge.c: the macOS bridge (backends/ane_objc.c, built with
 * -D__APPLE__) run on Linux against the fake runtime and the fake framework
 * (modelled on the framework's public behaviour, backed by ane-sim): the
 * seed's cycle with verified output, the whole 194-character identifier and
 * localModelPath, a nil perfStats: and counters through the options mask,
 * strides from modelAttributes (64- and 128-byte profiles, the flat
 * fallback), QoS 0-63, procedure 0-15 (and what the framework validates),
 * the three eval paths, real time granted and answered NO, error domain and
 * code carried up, the compile budget, every framework call failing in turn
 * and every selector missing in turn (each a clear error, never a crash),
 * the ane backend over the bridge, the host facts, zero live fake objects
 * after every test; and that the fakes catch the old bridge's two defects
 * (a cut identifier, a stats object as perfStats:). Waits are scaled down
 * with ANEBENCH_SIM_SCALE. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <objc/message.h>

#include <cjson/cJSON.h>

#include "backends/ane_api.h"
#include "backends/backend.h"
#include "fake.h"
#include "harness/runmeta.h"
#include "kernels/conv.h"
#include "kernels/mil.h"
#include "kernels/weightblob.h"

/* The single layout's one weight file, as model_create takes it. */
#define WB(b, n) &(ane_weight_file){ANE_WEIGHT_BIN, (b), (n)}, 1

/* Compiled only with __APPLE__, which this test's own code does not define. */
extern const ane_api_ops ane_api_objc;
int host_apple_thermal(char *buf, size_t n);
int host_apple_power(char *buf, size_t n);
int host_apple_chip(char *buf, size_t n);
int host_apple_os(char *os, size_t n, char *build, size_t nb);

static const ane_api_ops *const O = &ane_api_objc;

/* Sim profiles behind the fake framework: one whose perf stats carry
 * hwExecutionTime (the what-if m5-hw: what the tests of the recipe need) and
 * one whose stats stay empty, as the seed's M5 and several consumer Macs
 * reported (m4 also refuses real time). */
#define HW_PROFILE "m5-hw"
#define NO_HW_PROFILE "m4"

/* "ane" selects the bridge in this test (the linker's --wrap). */
int __real_ane_api_select(const char *spec, const ane_api_ops **ops, const char **arg, ab_err *e);
int __wrap_ane_api_select(const char *spec, const ane_api_ops **ops, const char **arg, ab_err *e);
int __wrap_ane_api_select(const char *spec, const ane_api_ops **ops, const char **arg, ab_err *e)
{
    if (spec && !strcmp(spec, "ane")) {
        *ops = &ane_api_objc;
        *arg = NULL;
        return AB_OK;
    }
    return __real_ane_api_select(spec, ops, arg, e);
}

typedef struct prog {
    ab_conv k;
    char *mil;
    uint8_t *blob;
    size_t wlen;
    ane_model *m;
    ane_buf *in, *out;
    size_t elem, in_bytes, out_bytes;
    ane_io_layout lay;
} prog;

/* Loads the fake framework with a profile, perf-stats and real-time overrides
 * (-1: as the profile says) and one selector hidden (cls NULL: none). */
static ane_api *open_hiding(const char *profile, int perf, int rt, const char *cls, const char *sel)
{
    if (!getenv("ANEBENCH_SIM_SCALE"))
        setenv("ANEBENCH_SIM_SCALE", "0.01", 1);
    fake_framework_reset();
    fake_log_clear();
    fake_framework_config(profile, perf, rt);
    if (cls)
        fake_hide(cls, sel);
    ane_api *a = NULL;
    ab_err e;
    ab_err_clear(&e);
    if (O->open(&a, NULL, &e) != AB_OK)
        fail_msg("open: %s", e.msg);
    return a;
}

static ane_api *open_objc(const char *profile, int perf, int rt)
{
    return open_hiding(profile, perf, rt, NULL, NULL);
}

/* Live objects when the test started (0 unless an earlier test failed
 * half-way and leaked: then only that test fails). */
static long baseline;

static int note_baseline(void **st)
{
    (void)st;
    fake_framework_reset();
    baseline = fake_live_objects();
    return 0;
}

static void check_no_leaks(void)
{
    fake_framework_reset();
    if (fake_live_objects() != baseline) {
        fake_print_live();
        fail_msg("%ld fake objects still alive", fake_live_objects() - baseline);
    }
    assert_int_equal(fake_pool_depth(), 0);
}

static void close_objc(ane_api *a)
{
    O->close(a);
    check_no_leaks();
}

/* The model only: surfaces wait for the compiled model's strides (prog_io). */
static int prog_make_io(ane_api *a, prog *p, long cin, long spatial, long io, uint64_t seed, ab_err *e)
{
    ab_case c;
    memset(p, 0, sizeof *p);
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = cin;
    c.v[AX_SPATIAL] = spatial;
    c.v[AX_IO] = io;
    assert_int_equal(conv_make(&p->k, &c, seed, e), AB_OK);
    p->mil = mil_conv_program(&p->k, MIL_TARGET_IOS18, AB_WEIGHTS_SINGLE);
    p->blob = weightblob_build(&p->k, &p->wlen);
    p->elem = io == AB_IO_FP16 ? 2 : 4;
    return O->model_create(a, p->mil, WB(p->blob, p->wlen), &p->m, e);
}

static int prog_make(ane_api *a, prog *p, long cin, long spatial, uint64_t seed, ab_err *e)
{
    return prog_make_io(a, p, cin, spatial, AB_IO_FP32, seed, e);
}

/* After compile (and load): strides, surfaces, input, request; as the
 * backend's io setup does it. */
static int prog_io(ane_api *a, prog *p, ab_err *e)
{
    int rc = O->io_layout(a, p->m, p->k.cin, p->k.spatial, p->k.cout, p->k.spatial, p->elem, &p->lay, e);
    p->in_bytes = p->lay.in_bytes;
    p->out_bytes = p->lay.out_bytes;
    if (!rc)
        rc = O->buf_create(a, p->in_bytes, &p->in, e);
    if (!rc)
        rc = O->buf_create(a, p->out_bytes, &p->out, e);
    if (!rc) {
        uint8_t *img = malloc(p->in_bytes);
        ane_pack_rows(p->k.input, p->k.cin, p->k.spatial, p->elem, p->lay.in_plane, img);
        rc = O->buf_write(a, p->in, img, p->in_bytes, e);
        free(img);
    }
    if (!rc) {
        ane_eval_req rq = {.qos = 21, .in = p->in, .out = p->out};
        rc = O->eval_prepare(a, p->m, &rq, e);
    }
    return rc;
}

static void prog_free(ane_api *a, prog *p)
{
    if (p->m)
        O->model_free(a, p->m);
    if (p->in)
        O->buf_free(a, p->in);
    if (p->out)
        O->buf_free(a, p->out);
    free(p->mil);
    free(p->blob);
    conv_free(&p->k);
}

static void req_for(const prog *p, ane_eval_req *rq, unsigned qos, unsigned procedure)
{
    memset(rq, 0, sizeof *rq);
    rq->qos = qos;
    rq->procedure = procedure;
    rq->in = p->in;
    rq->out = p->out;
}

/* Whether the output surface holds the CPU reference's result. */
static bool output_ok(ane_api *a, prog *p)
{
    ab_err e;
    /* Read at a stride other than the surface's (a test of a wrong
     * packing), the image may be wider than the surface: the rest is zero. */
    size_t need = p->k.cout * p->lay.out_plane;
    uint8_t *img = calloc(need > p->out_bytes ? need : p->out_bytes, 1);
    float *o = malloc(p->k.cout * p->k.spatial * sizeof *o);
    assert_int_equal(O->buf_read(a, p->out, img, p->out_bytes, &e), AB_OK);
    ane_unpack_rows(img, p->k.cout, p->k.spatial, p->elem, p->lay.out_plane, o);
    ab_verify v;
    conv_verify(&p->k, o, 1, &v);
    assert_true(v.checked > 0);
    free(img);
    free(o);
    return v.pass;
}

static void verify_output(ane_api *a, prog *p)
{
    assert_true(output_ok(a, p));
}

#define OK(call)                                                                                             \
    do {                                                                                                     \
        ab_err_clear(&e);                                                                                    \
        if ((call) != AB_OK)                                                                                 \
            fail_msg("%s: %s", #call, e.msg);                                                                \
    } while (0)

/* The seed's 256x256 conv at spatial 64: compile, load, eval, verified
 * output, hwExecutionTime, unload; and the recipe's call order. */
static void test_seed_cycle(void **st)
{
    (void)st;
    ane_api *a = open_objc(HW_PROFILE, -1, -1);
    prog p;
    ab_err e;
    ane_eval_req rq;
    ane_eval_res res;
    OK(prog_make(a, &p, 256, 64, 42, &e));
    assert_string_equal(O->compile_cache(a, p.m), "cold");
    int exists = fake_log_index("-[_ANEInMemoryModel compiledModelExists]");
    OK(O->compile(a, p.m, 21, &e));
    assert_string_equal(O->compile_cache(a, p.m), "cold");
    OK(O->load(a, p.m, 21, &e));
    OK(prog_io(a, &p, &e));
    /* Counters off: empty options, no stats. */
    req_for(&p, &rq, 21, 0);
    OK(O->eval(a, p.m, &rq, &res, &e));
    assert_string_equal(res.path, "normal");
    O->eval_stats(a, p.m, &rq, &res);
    assert_false(res.has_hw);
    assert_string_equal(res.hw_reason, "perf stats not requested");
    /* Counters on: the options mask; the framework sets the request's stats. */
    rq.perf_stats = true;
    OK(O->eval(a, p.m, &rq, &res, &e));
    O->eval_stats(a, p.m, &rq, &res);
    assert_true(res.has_hw);
    assert_true(res.hw_ns > 0);
    verify_output(a, &p);
    OK(O->unload(a, p.m, 21, &e));
    int compile = fake_log_index("-[_ANEInMemoryModel compileWithQoS:options:error:]");
    int load = fake_log_index("-[_ANEInMemoryModel loadWithQoS:options:error:]");
    int attrs = fake_log_index("-[_ANEModel modelAttributes]");
    int eval = fake_log_index("-[_ANEInMemoryModel evaluateWithQoS:options:request:error:]");
    /* The daemon's cache question before the compile, never inside it;
     * strides read after compile and load, before the evals. */
    assert_true(exists >= 0 && compile > exists && load > compile && attrs > load && eval > attrs);
    assert_true(fake_logged("-[_ANERequest validate]"));
    assert_false(fake_logged("-[_ANEModel setPerfStatsMask:]")); /* the options carry the mask */
    assert_true(p.lay.from_model);
    assert_int_equal(O->compile_budget_left(a), 99);
    prog_free(a, &p);
    close_objc(a);
}

/* Same content compiled again: the framework's cache answers. */
static void test_compile_cache_hit(void **st)
{
    (void)st;
    ane_api *a = open_objc("m5", -1, -1);
    prog p, q;
    ab_err e;
    OK(prog_make(a, &p, 64, 32, 7, &e));
    OK(O->compile(a, p.m, 21, &e));
    OK(prog_make(a, &q, 64, 32, 7, &e));
    OK(O->compile(a, q.m, 21, &e));
    assert_string_equal(O->compile_cache(a, q.m), "hit");
    prog_free(a, &p); /* q still uses the directory: it must survive */
    OK(O->load(a, q.m, 21, &e));
    prog_free(a, &q);
    close_objc(a);
}

static void test_qos_0_to_63(void **st)
{
    (void)st;
    ane_api *a = open_objc("m5", -1, -1);
    ab_err e;
    for (unsigned qos = 0; qos < 64; qos++) {
        prog p;
        ane_eval_req rq;
        ane_eval_res res;
        OK(prog_make(a, &p, 64, 32, 1000 + qos, &e));
        OK(O->compile(a, p.m, qos, &e));
        OK(O->load(a, p.m, qos, &e));
        OK(prog_io(a, &p, &e));
        req_for(&p, &rq, qos, 0);
        OK(O->eval(a, p.m, &rq, &res, &e));
        verify_output(a, &p);
        OK(O->unload(a, p.m, qos, &e));
        prog_free(a, &p);
    }
    assert_int_equal(O->compile_budget_left(a), 100 - 64);
    close_objc(a);
}

static void test_procedure_0_to_15(void **st)
{
    (void)st;
    ane_api *a = open_objc("m5", -1, -1);
    prog p;
    ab_err e;
    ane_eval_req rq;
    ane_eval_res res;
    OK(prog_make(a, &p, 64, 32, 3, &e));
    OK(O->compile(a, p.m, 21, &e));
    OK(O->load(a, p.m, 21, &e));
    OK(prog_io(a, &p, &e));
    for (unsigned proc = 0; proc < 16; proc++) {
        req_for(&p, &rq, 21, proc);
        OK(O->eval(a, p.m, &rq, &res, &e));
        verify_output(a, &p);
    }
    /* 16 passes the framework's validation (up to 128, D); the simulated
     * driver's 0x2 comes back, its NSError's domain and code with it. */
    req_for(&p, &rq, 21, 16);
    assert_int_equal(O->eval(a, p.m, &rq, &res, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "evaluateWithQoS:options:request:error:"));
    assert_non_null(strstr(e.msg, "0x2")); /* the framework's own text, carried up */
    assert_null(strstr(e.msg, "validate"));
    assert_string_equal(e.domain, FAKE_ERROR_DOMAIN);
    assert_true(e.domain_code == 3);
    /* A new procedure needs a new request, built at the eval; the factory
     * failing there is named. */
    fake_fail("requestWithInputs:inputIndices:outputs:outputIndices:weightsBuffer:perfStats:procedureIndex:", 1);
    req_for(&p, &rq, 21, 7);
    assert_int_equal(O->eval(a, p.m, &rq, &res, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "returned nil (procedure 7)"));
    fake_fail(NULL, 0);
    /* 129 fails the framework's own validation. */
    req_for(&p, &rq, 21, 129);
    assert_int_equal(O->eval(a, p.m, &rq, &res, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "-[_ANERequest validate] returned NO"));
    OK(O->unload(a, p.m, 21, &e));
    prog_free(a, &p);
    close_objc(a);
}

/* The real-time path as Espresso takes it: compile and load normally,
 * beginRealTimeTask, loadRealTimeModel: with the inner model; the eval is
 * the direct path at the real-time QoS. The client comes from
 * -[model sharedConnection]. */
static void test_realtime_accepted(void **st)
{
    (void)st;
    ane_api *a = open_objc(HW_PROFILE, -1, -1);
    prog p;
    ab_err e;
    ane_eval_req rq;
    ane_eval_res res;
    bool granted = false;
    OK(prog_make(a, &p, 64, 32, 5, &e));
    assert_int_equal(O->rt_load(a, p.m, 21, &e), AB_EFAIL); /* no task yet */
    OK(O->compile(a, p.m, 21, &e));
    OK(O->load(a, p.m, 21, &e));
    OK(prog_io(a, &p, &e));
    OK(O->rt_begin(a, &granted, &e));
    assert_true(granted);
    assert_true(fake_logged("-[_ANEInMemoryModel sharedConnection]"));
    assert_false(fake_logged("+[_ANEClient sharedConnection]"));
    fake_log_clear();
    OK(O->rt_load(a, p.m, 21, &e));
    req_for(&p, &rq, 21, 0);
    rq.realtime = true;
    rq.perf_stats = true;
    OK(O->eval(a, p.m, &rq, &res, &e));
    assert_string_equal(res.path, "realtime");
    O->eval_stats(a, p.m, &rq, &res);
    if (!res.has_hw || !res.hw_ns)
        fail_msg("real-time eval without hwExecutionTime: %s", res.hw_reason);
    verify_output(a, &p);
    assert_true(fake_logged("-[_ANEClient evaluateRealTimeWithModel:options:request:error:]"));
    assert_false(fake_logged("-[_ANEInMemoryModel evaluateWithQoS:options:request:error:]"));
    OK(O->rt_unload(a, p.m, 21, &e));
    O->rt_end(a);
    assert_true(fake_logged("-[_ANEClient endRealTimeTask]"));
    rq.realtime = true;
    assert_int_equal(O->eval(a, p.m, &rq, &res, &e), AB_EFAIL); /* task ended */
    OK(O->unload(a, p.m, 21, &e));
    prog_free(a, &p);
    close_objc(a);
}

/* The direct path: -[_ANEClient doEvaluateDirectWithModel:options:request:qos:error:]
 * with the inner model, on the normal load; and where the selector is
 * absent, path_available says so (the backend skips with that reason). */
static void test_direct_path(void **st)
{
    (void)st;
    ane_api *a = open_objc(HW_PROFILE, -1, -1);
    prog p;
    ab_err e;
    ane_eval_req rq;
    ane_eval_res res;
    char why[200] = "";
    assert_true(O->path_available(a, ANE_PATH_DIRECT, why, sizeof why));
    assert_true(O->path_available(a, ANE_PATH_RT, why, sizeof why));
    assert_true(O->path_available(a, ANE_PATH_NORMAL, why, sizeof why));
    OK(prog_make(a, &p, 64, 32, 8, &e));
    OK(O->compile(a, p.m, 21, &e));
    OK(O->load(a, p.m, 21, &e));
    OK(prog_io(a, &p, &e));
    req_for(&p, &rq, 33, 0);
    rq.direct = true;
    OK(O->eval(a, p.m, &rq, &res, &e));
    assert_string_equal(res.path, "direct");
    verify_output(a, &p);
    assert_true(fake_logged("-[_ANEClient doEvaluateDirectWithModel:options:request:qos:error:]"));
    assert_false(fake_logged("-[_ANEInMemoryModel evaluateWithQoS:options:request:error:]"));
    OK(O->unload(a, p.m, 21, &e));
    prog_free(a, &p);
    close_objc(a);

    a = open_hiding(HW_PROFILE, -1, -1, "_ANEClient", "doEvaluateDirectWithModel:options:request:qos:error:");
    assert_false(O->path_available(a, ANE_PATH_DIRECT, why, sizeof why));
    assert_non_null(strstr(why, "-[_ANEClient doEvaluateDirectWithModel:options:request:qos:error:] is not"));
    assert_true(O->path_available(a, ANE_PATH_RT, why, sizeof why));
    OK(prog_make(a, &p, 64, 32, 8, &e)); /* asked anyway: the bridge refuses, naming the selector */
    OK(O->compile(a, p.m, 21, &e));
    OK(O->load(a, p.m, 21, &e));
    OK(prog_io(a, &p, &e));
    req_for(&p, &rq, 21, 0);
    rq.direct = true;
    assert_int_equal(O->eval(a, p.m, &rq, &res, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "doEvaluateDirectWithModel:options:request:qos:error:] is not implemented"));
    OK(O->unload(a, p.m, 21, &e));
    prog_free(a, &p);
    close_objc(a);
    a = open_hiding(HW_PROFILE, -1, -1, "_ANEClient", "endRealTimeTask");
    assert_false(O->path_available(a, ANE_PATH_RT, why, sizeof why));
    assert_non_null(strstr(why, "endRealTimeTask"));
    close_objc(a);
    a = open_hiding(HW_PROFILE, -1, -1, "_ANEInMemoryModel", "evaluateWithQoS:options:request:error:");
    assert_false(O->path_available(a, ANE_PATH_NORMAL, why, sizeof why));
    assert_non_null(strstr(why, "evaluateWithQoS:options:request:error:] is not implemented"));
    close_objc(a);
    a = open_hiding(HW_PROFILE, -1, -1, "_ANEInMemoryModel", "model");
    assert_false(O->path_available(a, ANE_PATH_DIRECT, why, sizeof why));
    assert_non_null(strstr(why, "-[_ANEInMemoryModel model] is not implemented"));
    close_objc(a);
    /* _ANEClient absent (the 6th objc_getClass of open): no client paths. */
    fake_framework_reset();
    fake_framework_config(HW_PROFILE, -1, -1);
    fake_fail("objc_getClass", 6);
    ab_err_clear(&e);
    OK(O->open(&a, NULL, &e));
    fake_fail(NULL, 0);
    assert_false(O->path_available(a, ANE_PATH_RT, why, sizeof why));
    assert_string_equal(why, "class _ANEClient not found");
    close_objc(a);

    /* No client from either sharedConnection: the direct eval says so. */
    a = open_hiding(HW_PROFILE, -1, -1, "_ANEInMemoryModel", "sharedConnection");
    fake_hide("_ANEClient", "sharedConnection");
    OK(prog_make(a, &p, 64, 32, 8, &e));
    req_for(&p, &rq, 21, 0);
    rq.perf_stats = true;
    O->eval_stats(a, p.m, &rq, &res); /* asked before any request: no stats, said */
    assert_string_equal(res.hw_reason, "no request was evaluated");
    OK(O->compile(a, p.m, 21, &e));
    OK(O->load(a, p.m, 21, &e));
    OK(prog_io(a, &p, &e));
    req_for(&p, &rq, 21, 0);
    rq.direct = true;
    assert_int_equal(O->eval(a, p.m, &rq, &res, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "no _ANEClient for doEvaluateDirectWithModel:options:request:qos:error:"));
    OK(O->unload(a, p.m, 21, &e));
    prog_free(a, &p);
    close_objc(a);
}

/* Where the model does not answer sharedConnection, the class's shared
 * client is the fallback; where neither does, real time fails saying so. */
static void test_realtime_client_fallback(void **st)
{
    (void)st;
    ane_api *a = open_hiding(HW_PROFILE, -1, -1, "_ANEInMemoryModel", "sharedConnection");
    prog p;
    ab_err e;
    bool granted;
    OK(prog_make(a, &p, 64, 32, 6, &e));
    OK(O->compile(a, p.m, 21, &e));
    OK(O->load(a, p.m, 21, &e));
    OK(O->rt_begin(a, &granted, &e));
    assert_true(fake_logged("+[_ANEClient sharedConnection]"));
    OK(O->rt_load(a, p.m, 21, &e));
    OK(O->rt_unload(a, p.m, 21, &e));
    O->rt_end(a);
    OK(O->unload(a, p.m, 21, &e));
    prog_free(a, &p);
    close_objc(a);

    a = open_hiding(HW_PROFILE, -1, -1, "_ANEInMemoryModel", "sharedConnection");
    fake_hide("_ANEClient", "sharedConnection");
    OK(prog_make(a, &p, 64, 32, 6, &e));
    assert_int_equal(O->rt_begin(a, &granted, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "-[_ANEInMemoryModel sharedConnection]"));
    assert_non_null(strstr(e.msg, "+[_ANEClient sharedConnection]"));
    prog_free(a, &p);
    close_objc(a);
}

/* beginRealTimeTask answering NO (the m4 profile, as reported on a
 * consumer M3 Pro) is an answer, not an error: the caller goes on, and
 * loadRealTimeModel: fails with the framework's error. */
static void test_realtime_refused(void **st)
{
    (void)st;
    ane_api *a = open_objc("m4", -1, -1);
    ab_err e;
    prog p;
    bool granted = true;
    ab_err_clear(&e);
    OK(prog_make(a, &p, 64, 32, 5, &e));
    OK(O->compile(a, p.m, 21, &e));
    OK(O->load(a, p.m, 21, &e));
    OK(O->rt_begin(a, &granted, &e));
    assert_false(granted);
    assert_int_equal(O->rt_load(a, p.m, 21, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "loadRealTimeModel:options:qos:error:] failed"));
    assert_string_equal(e.domain, FAKE_ERROR_DOMAIN);
    O->rt_end(a);
    assert_true(fake_logged("-[_ANEClient endRealTimeTask]"));
    O->rt_end(a); /* harmless without a task */
    OK(O->unload(a, p.m, 21, &e));
    prog_free(a, &p);
    close_objc(a);
}

/* hwExecutionTime with counters on (perf_stats) in each configuration:
 * want_hw, or no hardware time with reason_part in the reason. Counters off
 * never give one. */
static void eval_reason(const char *profile, int perf, const char *hide_cls, const char *hide_sel,
                        bool want_hw, const char *reason_part)
{
    ane_api *a = open_hiding(profile, perf, -1, hide_cls, hide_sel);
    prog p;
    ab_err e;
    ane_eval_req rq;
    ane_eval_res res;
    OK(prog_make(a, &p, 64, 32, 9, &e));
    OK(O->compile(a, p.m, 21, &e));
    OK(O->load(a, p.m, 21, &e));
    OK(prog_io(a, &p, &e));
    req_for(&p, &rq, 21, 0);
    rq.perf_stats = true;
    OK(O->eval(a, p.m, &rq, &res, &e));
    O->eval_stats(a, p.m, &rq, &res);
    if (res.has_hw != want_hw)
        fail_msg("%s perf %d hiding %s %s: has_hw %d (%s)", profile, perf, hide_cls ? hide_cls : "-",
                 hide_sel ? hide_sel : "-", res.has_hw, res.hw_reason);
    if (!want_hw && !strstr(res.hw_reason, reason_part))
        fail_msg("hw_reason '%s' lacks '%s'", res.hw_reason, reason_part);
    rq.perf_stats = false;
    OK(O->eval(a, p.m, &rq, &res, &e));
    O->eval_stats(a, p.m, &rq, &res);
    assert_false(res.has_hw);
    assert_string_equal(res.hw_reason, "perf stats not requested");
    OK(O->unload(a, p.m, 21, &e));
    prog_free(a, &p);
    close_objc(a);
}

static void test_perf_stats_present_and_absent(void **st)
{
    (void)st;
    eval_reason(HW_PROFILE, -1, NULL, NULL, true, NULL);
    eval_reason(NO_HW_PROFILE, -1, NULL, NULL, false, "hwExecutionTime was 0");
    eval_reason("m5", -1, NULL, NULL, false, "hwExecutionTime was 0"); /* the seed's M5 */
    eval_reason(HW_PROFILE, 0, NULL, NULL, false, "hwExecutionTime was 0");
    eval_reason(HW_PROFILE, -1, "_ANERequest", "perfStats", false, "set no perf stats");
    eval_reason(HW_PROFILE, -1, "_ANEPerformanceStats", "hwExecutionTime", false,
                "hwExecutionTime] not implemented");
    /* The mask on the model is not the recipe (D: the options carry it): hiding
     * setPerfStatsMask: changes nothing. */
    eval_reason(HW_PROFILE, -1, "_ANEInMemoryModel", "setPerfStatsMask:", true, NULL);
}

/* The identifier is used whole (194 characters, three 64-digit parts), the
 * model directory is the model's localModelPath, and the framework (not the
 * bridge) is what writes <dir>/data; the bridge writes weights/weight.bin. */
static void test_identifier_and_paths(void **st)
{
    (void)st;
    ane_api *a = open_objc("m5", -1, -1);
    prog p;
    ab_err e;
    OK(prog_make(a, &p, 64, 32, 13, &e));
    char hex[256];
    snprintf(hex, sizeof hex, "%s", fake_last_hex());
    assert_int_equal(strlen(hex), 194);
    assert_true(hex[64] == '_' && hex[129] == '_');
    assert_true(fake_logged("-[_ANEInMemoryModel localModelPath]"));
    char path[800];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s/weights/weight.bin", fake_tmpdir(), hex);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal((size_t)sb.st_size, p.wlen);
    snprintf(path, sizeof path, "%s/%s/data", fake_tmpdir(), hex);
    assert_int_not_equal(stat(path, &sb), 0);
    OK(O->compile(a, p.m, 21, &e));
    assert_int_equal(stat(path, &sb), 0); /* saved by the framework at compile */
    prog_free(a, &p);
    snprintf(path, sizeof path, "%s/%s", fake_tmpdir(), hex);
    assert_int_not_equal(stat(path, &sb), 0); /* removed with the model */
    close_objc(a);

    /* Without localModelPath: NSTemporaryDirectory()/<whole identifier>. */
    a = open_hiding("m5", -1, -1, "_ANEInMemoryModel", "localModelPath");
    OK(prog_make(a, &p, 64, 32, 14, &e));
    OK(O->compile(a, p.m, 21, &e));
    prog_free(a, &p);
    close_objc(a);
}

/* Malformed modelAttributes, each answered by the flat fallback with the
 * reason; and the temporary directory's failures where the model does not
 * answer localModelPath. */
static void test_attributes_malformed_and_tmpdir(void **st)
{
    (void)st;
    static const char *const why[] = {"no dictionary where NetworkStatusList", "NetworkStatusList is empty",
                                      "no LiveInputList", "RowStride is not a number", "Channels is negative",
                                      "states Height 1 RowStride 136", "not the program's"};
    for (size_t i = 0; fake_attribute_variants[i]; i++) {
        ane_api *a = open_objc(HW_PROFILE, -1, -1);
        prog p;
        ab_err e;
        OK(prog_make(a, &p, 64, 32, 40, &e));
        OK(O->compile(a, p.m, 21, &e));
        fake_fail(fake_attribute_variants[i], -1);
        OK(prog_io(a, &p, &e));
        fake_fail(NULL, 0);
        assert_false(p.lay.from_model);
        if (!strstr(p.lay.note, why[i]))
            fail_msg("%s: note '%s' lacks '%s'", fake_attribute_variants[i], p.lay.note, why[i]);
        prog_free(a, &p);
        close_objc(a);
    }
    /* The attribute keys cannot be made: said as such. */
    ane_api *a = open_objc(HW_PROFILE, -1, -1);
    prog p;
    ab_err e;
    OK(prog_make(a, &p, 64, 32, 41, &e));
    OK(O->compile(a, p.m, 21, &e));
    fake_fail("CFStringCreateWithCString", -1);
    OK(prog_io(a, &p, &e));
    fake_fail(NULL, 0);
    assert_non_null(strstr(p.lay.note, "CFStringCreateWithCString failed (NetworkStatusList)"));
    prog_free(a, &p);
    close_objc(a);

    static const char *const tmp_fail[][2] = {{"NSTemporaryDirectory", "NSTemporaryDirectory() gave no string"},
                                              {"NSTemporaryDirectory:empty", "NSTemporaryDirectory() gave no path"},
                                              {"NSTemporaryDirectory:long", "is longer than 1023 characters"},
                                              {"NSTemporaryDirectory:missing", "cannot create directory"}};
    for (size_t i = 0; i < 4; i++) {
        a = open_hiding("m5", -1, -1, "_ANEInMemoryModel", "localModelPath");
        fake_fail(tmp_fail[i][0], -1);
        assert_int_equal(prog_make(a, &p, 64, 32, 42, &e), AB_EFAIL);
        fake_fail(NULL, 0);
        if (!strstr(e.msg, tmp_fail[i][1]))
            fail_msg("%s: '%s' lacks '%s'", tmp_fail[i][0], e.msg, tmp_fail[i][1]);
        prog_free(a, &p);
        close_objc(a);
    }
}

/* The old bridge's first defect, shown on the fakes: weight.bin written
 * under a cut identifier is never read; the compile fails naming the file. */
static void test_fake_catches_cut_identifier(void **st)
{
    (void)st;
    ane_api *a = open_objc("m5", -1, -1);
    prog p;
    ab_err e;
    OK(prog_make(a, &p, 64, 32, 15, &e));
    char full[800], cut[800];
    snprintf(full, sizeof full, "%s/%s", fake_tmpdir(), fake_last_hex());
    snprintf(cut, sizeof cut, "%s/%.127s", fake_tmpdir(), fake_last_hex()); /* a 128-byte buffer's worth */
    assert_int_equal(rename(full, cut), 0);
    assert_int_equal(O->compile(a, p.m, 21, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "weights/weight.bin"));
    assert_string_equal(e.domain, FAKE_ERROR_DOMAIN);
    assert_true(e.domain_code == 1);
    char cmd[900];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", full); /* what the failed compile saved there */
    assert_int_equal(system(cmd), 0);
    assert_int_equal(rename(cut, full), 0);
    prog_free(a, &p);
    close_objc(a);
}

/* A per-file program: conv1x1 chain of `depth` 64-channel layers, one
 * weight file per layer (kernels: weights/w<l>.bin, BLOBFILE offset 64);
 * files[i] may be renamed to `rename_to` (a program naming a file the
 * caller did not write). */
static int prog_make_per_file(ane_api *a, prog *p, long depth, const char *rename_to, ab_err *e)
{
    ab_case c;
    memset(p, 0, sizeof *p);
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = 64;
    c.v[AX_SPATIAL] = 32;
    c.v[AX_DEPTH] = depth;
    assert_int_equal(conv_make(&p->k, &c, 91, e), AB_OK);
    p->mil = kernel_mil(&p->k, MIL_TARGET_IOS18, AB_WEIGHTS_PER_FILE);
    p->elem = 4;
    ab_weight_file *f;
    size_t n;
    assert_int_equal(kernel_weight_files(&p->k, AB_WEIGHTS_PER_FILE, &f, &n), 0);
    assert_int_equal(n, (size_t)depth);
    ane_weight_file view[8];
    for (size_t i = 0; i < n; i++)
        view[i] = (ane_weight_file){f[i].path, f[i].bytes, f[i].len};
    if (rename_to)
        view[n - 1].path = rename_to;
    int rc = O->model_create(a, p->mil, view, n, &p->m, e);
    kernel_weight_files_free(f, n);
    return rc;
}

/* A chain with a weight file per layer through the bridge: every file is
 * an entry of the descriptor's weights dictionary ({offset 0, data}, keyed
 * by the path its BLOBFILE names) and written under the model's directory
 * as weights/w<l>.bin (no weight.bin); it compiles, loads and evaluates to
 * the reference's output. */
static void test_per_file_chain(void **st)
{
    (void)st;
    ane_api *a = open_objc(HW_PROFILE, -1, -1);
    prog p;
    ab_err e;
    OK(prog_make_per_file(a, &p, 3, NULL, &e));
    assert_int_equal(fake_last_weights_count(), 3);
    char dir[700], path[800];
    snprintf(dir, sizeof dir, "%s/%s", fake_tmpdir(), fake_last_hex());
    struct stat sb;
    for (int l = 0; l < 3; l++) {
        size_t len;
        snprintf(path, sizeof path, "@model_path/weights/w%d.bin", l);
        assert_true(fake_last_weights_entry(path, &len));
        assert_int_equal(len, 128 + 64 * 64 * 2);
        snprintf(path, sizeof path, "%s/weights/w%d.bin", dir, l);
        assert_int_equal(stat(path, &sb), 0);
        assert_int_equal((size_t)sb.st_size, 128 + 64 * 64 * 2);
    }
    snprintf(path, sizeof path, "%s/weights/weight.bin", dir);
    assert_int_not_equal(stat(path, &sb), 0);
    OK(O->compile(a, p.m, 21, &e));
    OK(O->load(a, p.m, 21, &e));
    OK(prog_io(a, &p, &e));
    ane_eval_req rq;
    ane_eval_res res;
    req_for(&p, &rq, 21, 0);
    OK(O->eval(a, p.m, &rq, &res, &e));
    verify_output(a, &p);
    OK(O->unload(a, p.m, 21, &e));
    /* rewriting a file: only under weights/, as at creation */
    ane_weight_file bad = {"@model_path/../w0.bin", (const uint8_t *)"x", 1};
    assert_int_equal(O->model_rewrite_weights(a, p.m, &bad, 1, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "is not @model_path/weights/NAME"));
    prog_free(a, &p);
    close_objc(a);
}

/* A BLOBFILE naming a file that is not in the weights dictionary nor on
 * disk fails the compile, naming the file, with the framework's domain;
 * a weight path that is not @model_path/weights/NAME is refused before
 * anything is written. */
static void test_per_file_wrong_name(void **st)
{
    (void)st;
    ane_api *a = open_objc(HW_PROFILE, -1, -1);
    prog p;
    ab_err e;
    OK(prog_make_per_file(a, &p, 3, "@model_path/weights/w9.bin", &e));
    assert_int_equal(O->compile(a, p.m, 21, &e), AB_EFAIL);
    if (!strstr(e.msg, "cannot open BLOBFILE") || !strstr(e.msg, "/weights/w2.bin"))
        fail_msg("compile error does not name w2.bin: %s", e.msg);
    assert_string_equal(e.domain, FAKE_ERROR_DOMAIN);
    prog_free(a, &p);
    static const char *const bad[] = {
        "@model_path/weights/../../x.bin", "@model_path/w0.bin",     "weights/w0.bin", "@model_path/weights/",
        "@model_path/weights/.hidden",     "@model_path/weights/a b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ab_err_clear(&e);
        assert_int_equal(prog_make_per_file(a, &p, 2, bad[i], &e), AB_EFAIL);
        if (!strstr(e.msg, "is not @model_path/weights/NAME"))
            fail_msg("%s: %s", bad[i], e.msg);
        prog_free(a, &p);
    }
    close_objc(a);
}

extern void *objc_autoreleasePoolPush(void);
extern void objc_autoreleasePoolPop(void *pool);

typedef void (*gen_fn)(void);
static gen_fn msg(void)
{
    return (gen_fn)objc_msgSend;
}
#define MSG(T) ((T)msg())

static id cls_of(const char *name)
{
    return (id)objc_getClass(name);
}

static id cf_num(int64_t v)
{
    return (id)(uintptr_t)CFNumberCreate(kCFAllocatorDefault, kCFNumberSInt64Type, &v);
}

static id cf_str(const char *t)
{
    return (id)(uintptr_t)CFStringCreateWithCString(kCFAllocatorDefault, t, kCFStringEncodingUTF8);
}

static id cf_arr1(id x)
{
    const void *v[1] = {x};
    return (id)(uintptr_t)CFArrayCreate(kCFAllocatorDefault, v, 1, &kCFTypeArrayCallBacks);
}

static IOSurfaceRef flat_surface(size_t bytes)
{
    const void *k[6] = {kIOSurfaceWidth,       kIOSurfaceHeight,    kIOSurfaceBytesPerElement,
                        kIOSurfaceBytesPerRow, kIOSurfaceAllocSize, kIOSurfacePixelFormat};
    id v[6] = {cf_num((int64_t)bytes), cf_num(1), cf_num(1), cf_num((int64_t)bytes), cf_num((int64_t)bytes),
               cf_num(0)};
    CFDictionaryRef d = CFDictionaryCreate(kCFAllocatorDefault, k, (const void **)v, 6,
                                           &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
    IOSurfaceRef s = IOSurfaceCreate(d);
    CFRelease(d);
    for (int i = 0; i < 6; i++)
        CFRelease(v[i]);
    return s;
}

/* One cycle straight through the fake framework's classes, without the
 * bridge, with `stats` as the request factory's perfStats: argument:
 * descriptor, model, weight.bin written where localModelPath says, compile,
 * load, surfaces, request, eval. Returns the eval's answer. */
static BOOL fw_cycle(id stats)
{
    prog p;
    ab_err e;
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = 64;
    c.v[AX_SPATIAL] = 32;
    memset(&p, 0, sizeof p);
    assert_int_equal(conv_make(&p.k, &c, 3, &e), AB_OK);
    p.mil = mil_conv_program(&p.k, MIL_TARGET_IOS18, AB_WEIGHTS_SINGLE);
    p.blob = weightblob_build(&p.k, &p.wlen);
    void *pool = objc_autoreleasePoolPush();
    id mil = (id)(uintptr_t)CFDataCreate(kCFAllocatorDefault, (const UInt8 *)p.mil, (CFIndex)strlen(p.mil));
    id data = (id)(uintptr_t)CFDataCreate(kCFAllocatorDefault, p.blob, (CFIndex)p.wlen);
    id zero = cf_num(0), k_off = cf_str("offset"), k_data = cf_str("data"),
       k_path = cf_str("@model_path/weights/weight.bin");
    const void *ik[2] = {k_off, k_data}, *iv[2] = {zero, data};
    id inner = (id)(uintptr_t)CFDictionaryCreate(kCFAllocatorDefault, ik, iv, 2, &kCFTypeDictionaryKeyCallBacks,
                                                 &kCFTypeDictionaryValueCallBacks);
    const void *ok[1] = {k_path}, *ov[1] = {inner};
    id weights = (id)(uintptr_t)CFDictionaryCreate(kCFAllocatorDefault, ok, ov, 1, &kCFTypeDictionaryKeyCallBacks,
                                                   &kCFTypeDictionaryValueCallBacks);
    id empty = (id)(uintptr_t)CFDictionaryCreate(kCFAllocatorDefault, NULL, NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                                                 &kCFTypeDictionaryValueCallBacks);
    id desc = MSG(id (*)(id, SEL, id, id, id))(cls_of("_ANEInMemoryModelDescriptor"),
                                               sel_registerName("modelWithMILText:weights:optionsPlist:"), mil,
                                               weights, NULL);
    id model = MSG(id (*)(id, SEL, id))(cls_of("_ANEInMemoryModel"),
                                        sel_registerName("inMemoryModelWithDescriptor:"), desc);
    id dir = MSG(id (*)(id, SEL))(model, sel_registerName("localModelPath"));
    const char *d = MSG(const char *(*)(id, SEL))(dir, sel_registerName("UTF8String"));
    char path[900];
    snprintf(path, sizeof path, "%s", d);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/weights", d);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/weights/weight.bin", d);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p.blob, 1, p.wlen, f), p.wlen);
    fclose(f);
    id err = NULL;
    assert_true(MSG(BOOL (*)(id, SEL, unsigned, id, id *))(model, sel_registerName("compileWithQoS:options:error:"),
                                                            21, empty, &err));
    assert_true(MSG(BOOL (*)(id, SEL, unsigned, id, id *))(model, sel_registerName("loadWithQoS:options:error:"), 21,
                                                            empty, &err));
    size_t bytes = 64 * 128;
    IOSurfaceRef si = flat_surface(bytes), so = flat_surface(bytes);
    id oi = MSG(id (*)(id, SEL, IOSurfaceRef))(cls_of("_ANEIOSurfaceObject"), sel_registerName("objectWithIOSurface:"), si);
    id oo = MSG(id (*)(id, SEL, IOSurfaceRef))(cls_of("_ANEIOSurfaceObject"), sel_registerName("objectWithIOSurface:"), so);
    id ins = cf_arr1(oi), outs = cf_arr1(oo), idx = cf_arr1(zero);
    id req = MSG(id (*)(id, SEL, id, id, id, id, id, id, id))(
        cls_of("_ANERequest"),
        sel_registerName("requestWithInputs:inputIndices:outputs:outputIndices:weightsBuffer:perfStats:procedureIndex:"),
        ins, idx, outs, idx, NULL, stats, zero);
    BOOL done = MSG(BOOL (*)(id, SEL, unsigned, id, id, id *))(
        model, sel_registerName("evaluateWithQoS:options:request:error:"), 21, empty, req, &err);
    MSG(BOOL (*)(id, SEL, unsigned, id *))(model, sel_registerName("unloadWithQoS:error:"), 21, &err);
    id all[] = {mil, data, zero, k_off, k_data, k_path, inner, weights, empty, ins, outs, idx};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        CFRelease(all[i]);
    CFRelease(si);
    CFRelease(so);
    objc_autoreleasePoolPop(pool);
    snprintf(path, sizeof path, "rm -rf '%s/'*", fake_tmpdir());
    assert_int_equal(system(path), 0);
    free(p.mil);
    free(p.blob);
    conv_free(&p.k);
    return done;
}

/* The old bridge's second defect, shown on the fakes: a bare
 * _ANEPerformanceStats as the factory's perfStats: ends the process at the
 * first eval (validate sends it count: an uncaught Objective-C exception on
 * a Mac, an abort here), while nil, or an array of
 * _ANEPerformanceStatsIOSurface with statType 0..2, passes validation. */
static void test_fake_catches_stats_object(void **st)
{
    (void)st;
    ane_api *a = open_objc("m5", -1, -1); /* loads the fake framework */
    void *pool = objc_autoreleasePoolPush();
    assert_true(fw_cycle(NULL));
    id good = MSG(id (*)(id, SEL, long))(cls_of("_ANEPerformanceStatsIOSurface"), sel_registerName("fakeWithStatType:"), 2);
    id arr = cf_arr1(good);
    assert_true(fw_cycle(arr));
    CFRelease(arr);
    id bad = MSG(id (*)(id, SEL, long))(cls_of("_ANEPerformanceStatsIOSurface"), sel_registerName("fakeWithStatType:"), 3);
    arr = cf_arr1(bad);
    assert_false(fw_cycle(arr)); /* statType outside 0..2: validate says NO */
    CFRelease(arr);
    objc_autoreleasePoolPop(pool);

    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        void *cpool = objc_autoreleasePoolPush();
        id stats = MSG(id (*)(id, SEL, uint64_t))(cls_of("_ANEPerformanceStats"),
                                                  sel_registerName("statsWithHardwareExecutionNS:"), 0);
        fw_cycle(stats);
        objc_autoreleasePoolPop(cpool);
        _exit(0); /* not reached when the fake is faithful */
    }
    close(fds[1]);
    char out[4096] = "";
    size_t got = 0;
    ssize_t r;
    while ((r = read(fds[0], out + got, sizeof out - 1 - got)) > 0)
        got += (size_t)r;
    out[got] = '\0';
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/'*", fake_tmpdir()); /* what the aborted child left */
    assert_int_equal(system(cmd), 0);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
        fail_msg("a stats object as perfStats: did not abort the eval (status 0x%x): %s", status, out);
    assert_non_null(strstr(out, "-[_ANEPerformanceStats count]: unrecognized selector"));
    close_objc(a);
}

/* Strides from [[model model] modelAttributes]: the m4 profile states rows
 * aligned to 64 bytes, m5-hw to 128; rows of 16 fp16 (32 bytes) pack
 * differently under each and both verify. Packed at the other profile's
 * stride, or flat where the model pads, the output is wrong: the check a
 * wrong packing meets. Without modelAttributes the bridge falls back to
 * flat rows and says so. */
static void test_strides(void **st)
{
    (void)st;
    const struct {
        const char *profile;
        size_t row;
    } cases[] = {{"m4", 64}, {HW_PROFILE, 128}};
    for (size_t i = 0; i < 2; i++) {
        ane_api *a = open_objc(cases[i].profile, -1, -1);
        prog p;
        ab_err e;
        ane_eval_req rq;
        ane_eval_res res;
        OK(prog_make_io(a, &p, 32, 16, AB_IO_FP16, 17, &e));
        OK(O->compile(a, p.m, 21, &e));
        OK(O->load(a, p.m, 21, &e));
        OK(prog_io(a, &p, &e));
        assert_true(p.lay.from_model);
        assert_int_equal(p.lay.in_row, cases[i].row);
        assert_int_equal(p.lay.out_plane, cases[i].row);
        assert_string_equal(p.lay.note, "[[model model] modelAttributes]");
        req_for(&p, &rq, 21, 0);
        OK(O->eval(a, p.m, &rq, &res, &e));
        verify_output(a, &p);
        /* the same output read at the other profile's stride */
        p.lay.out_plane = cases[1 - i].row;
        assert_false(output_ok(a, &p));
        OK(O->unload(a, p.m, 21, &e));
        prog_free(a, &p);
        close_objc(a);
    }
    ane_api *a = open_hiding(HW_PROFILE, -1, -1, "_ANEModel", "modelAttributes");
    prog p;
    ab_err e;
    ane_eval_req rq;
    ane_eval_res res;
    OK(prog_make_io(a, &p, 32, 16, AB_IO_FP16, 18, &e));
    OK(O->compile(a, p.m, 21, &e));
    OK(O->load(a, p.m, 21, &e));
    OK(prog_io(a, &p, &e));
    assert_false(p.lay.from_model);
    assert_int_equal(p.lay.in_row, 32);
    assert_non_null(strstr(p.lay.note, "flat unpadded rows"));
    assert_non_null(strstr(p.lay.note, "modelAttributes] is not implemented"));
    req_for(&p, &rq, 21, 0);
    /* flat surfaces are smaller than the program the model padded: refused */
    assert_int_equal(O->eval(a, p.m, &rq, &res, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "too small"));
    OK(O->unload(a, p.m, 21, &e));
    prog_free(a, &p);
    close_objc(a);
}

static void test_compile_budget(void **st)
{
    (void)st;
    ane_api *a = open_objc("m5", -1, -1);
    prog p;
    ab_err e;
    OK(prog_make(a, &p, 64, 32, 11, &e));
    for (int i = 0; i < 100; i++)
        OK(O->compile(a, p.m, 21, &e));
    assert_int_equal(O->compile_budget_left(a), 0);
    int before = fake_compiles();
    assert_int_equal(O->compile(a, p.m, 21, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "compile budget used up"));
    assert_int_equal(fake_compiles(), before); /* refused before reaching the framework */
    prog_free(a, &p);
    close_objc(a);
}

static void test_load_retried_once(void **st)
{
    (void)st;
    ane_api *a = open_objc("m5", -1, -1);
    prog p;
    ab_err e;
    OK(prog_make(a, &p, 64, 32, 12, &e));
    OK(O->compile(a, p.m, 21, &e));
    fake_fail("loadWithQoS:options:error:", 1);
    OK(O->load(a, p.m, 21, &e)); /* the second attempt, 100 ms later, succeeds */
    OK(O->unload(a, p.m, 21, &e));
    fake_log_clear();
    fake_fail("loadWithQoS:options:error:", -1);
    assert_int_equal(O->load(a, p.m, 21, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "tried twice"));
    assert_non_null(strstr(e.msg, "injected by the fake framework")); /* the NSError's description */
    fake_fail(NULL, 0);
    prog_free(a, &p);
    close_objc(a);
}

static void test_device_info_census_host(void **st)
{
    (void)st;
    ane_api *a = open_objc(HW_PROFILE, -1, -1);
    ab_err e;
    ane_device_info d;
    OK(O->device_info(a, &d, &e));
    assert_string_equal(d.chip, "Apple M5");
    assert_string_equal(d.family, "H16");
    assert_string_equal(d.subtype, "h16");
    assert_int_equal(d.cores, 16);
    assert_string_equal(d.os_build, "fakedarwin");
    /* The classes come from the test bed, not the system's framework image:
     * the records must say so (simulated, and which image answered). */
    assert_true(d.simulated);
    assert_non_null(strstr(d.framework, "tests/fakedarwin"));
    assert_non_null(strstr(d.framework, "not measured on a device"));
    char **names;
    size_t n;
    OK(O->class_census(a, &names, &n, &e));
    assert_true(n >= 7);
    bool req = false;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(strncmp(names[i], "_ANE", 4), 0);
        req = req || !strcmp(names[i], "_ANERequest");
        if (i)
            assert_true(strcmp(names[i - 1], names[i]) < 0);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    assert_true(req);
    assert_true(O->has_class(a, "_ANEClient"));
    assert_false(O->has_class(a, "_ANENoSuchClass"));
    char buf[64], b2[64];
    assert_int_equal(host_apple_thermal(buf, sizeof buf), 0);
    assert_string_equal(buf, "fair");
    assert_int_equal(host_apple_power(buf, sizeof buf), 0);
    assert_string_equal(buf, "battery");
    assert_int_equal(host_apple_os(buf, sizeof buf, b2, sizeof b2), 0);
    assert_string_equal(buf, "macOS fakedarwin");
    assert_string_equal(b2, "fakedarwin");
    close_objc(a);

    /* The same classes from the system's framework image (as a Mac's runtime
     * names it), or from an image the runtime cannot name: a device. */
    static const char *const system_images[] = {
        "/System/Library/PrivateFrameworks/AppleNeuralEngine.framework/Versions/A/AppleNeuralEngine", NULL};
    for (size_t i = 0; i < 2; i++) {
        a = open_objc(HW_PROFILE, -1, -1); /* registers the classes */
        O->close(a);
        Class model = objc_getClass("_ANEInMemoryModel");
        const char *fake_image = class_getImageName(model);
        fake_class_set_image(model, system_images[i]);
        a = open_objc(HW_PROFILE, -1, -1);
        OK(O->device_info(a, &d, &e));
        fake_class_set_image(model, fake_image);
        assert_false(d.simulated);
        assert_string_equal(d.framework, "AppleNeuralEngine.framework (private)");
        close_objc(a);
    }
}

/* One normal (or real-time) case through the bridge with what is injected;
 * returns the first failing step's code, e->msg its text, and the eval's
 * perf-stats result in *res. */
static int run_case(ane_api *a, int path, ane_eval_res *res, ab_err *e)
{
    prog p;
    memset(&p, 0, sizeof p);
    memset(res, 0, sizeof *res);
    ane_eval_req rq;
    char **names = NULL;
    size_t n = 0;
    ane_device_info d;
    int rc = O->device_info(a, &d, e);
    if (!rc && !(rc = O->class_census(a, &names, &n, e))) {
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
    }
    bool granted = false, loaded = false, rt = path == 1;
    if (!rc)
        rc = prog_make(a, &p, 64, 32, 21, e);
    if (!rc)
        rc = O->compile(a, p.m, 21, e);
    if (!rc)
        loaded = !(rc = O->load(a, p.m, 21, e));
    if (!rc && rt && !(rc = O->rt_begin(a, &granted, e)))
        rc = O->rt_load(a, p.m, 21, e);
    if (!rc)
        rc = prog_io(a, &p, e);
    if (!rc) {
        req_for(&p, &rq, 21, 0);
        rq.realtime = rt;
        rq.direct = path == 2;
        rq.perf_stats = true;
        rc = O->eval(a, p.m, &rq, res, e);
        O->eval_stats(a, p.m, &rq, res);
    }
    if (!rc)
        verify_output(a, &p);
    if (!rc && rt)
        rc = O->rt_unload(a, p.m, 21, e);
    if (rt)
        O->rt_end(a);
    if (loaded) {
        ab_err e2;
        int urc = O->unload(a, p.m, 21, rc ? &e2 : e);
        rc = rc ? rc : urc;
    }
    prog_free(a, &p);
    return rc;
}

/* What a failure of an injection point must name: the call itself, or for
 * the two that make a call misbehave rather than fail, what went wrong. */
static const char *named_by(const char *point)
{
    if (!strcmp(point, "NSTemporaryDirectory:missing"))
        return "cannot create directory";
    if (!strcmp(point, "hexStringIdentifier:unsafe") || !strcmp(point, "hexStringIdentifier:empty"))
        return "unusable hexStringIdentifier";
    if (!strcmp(point, "hexStringIdentifier:long"))
        return "hexStringIdentifier] is 699 characters, more than the";
    return point;
}

/* Every injectable call fails in turn (the first call, and every call): the
 * bridge reports an error with text naming the call that failed (never a
 * later one that was not made), or the case still passes where the call is
 * optional, and where that costs the eval its hwExecutionTime the reason
 * names the call; nothing crashes and nothing leaks. */
static void test_each_call_failing(void **st)
{
    (void)st;
    for (const char *const *f = fake_fail_points; *f; f++) {
        for (int rt = 0; rt < 3; rt++) {
            for (int nth = 1; nth >= -1; nth -= 2) {
                fake_framework_reset();
                fake_framework_config(HW_PROFILE, -1, -1);
                fake_fail(*f, nth);
                ane_api *a = NULL;
                ab_err e;
                ab_err_clear(&e);
                ane_eval_res res;
                memset(&res, 0, sizeof res);
                int rc = O->open(&a, NULL, &e);
                if (!rc)
                    rc = run_case(a, rt, &res, &e);
                if (rc && !e.msg[0])
                    fail_msg("%s failing (nth %d, rt %d): error without text", *f, nth, rt);
                if (rc && !strstr(e.msg, "ane-objc:"))
                    fail_msg("%s failing: message not from the bridge: %s", *f, e.msg);
                if (rc && !strstr(e.msg, named_by(*f)))
                    fail_msg("%s failing (nth %d, rt %d): the message names another call: %s", *f, nth, rt,
                             e.msg);
                if (!rc && !res.has_hw && !strstr(res.hw_reason, named_by(*f)))
                    fail_msg("%s failing (nth %d, rt %d): no hwExecutionTime, and the reason names another "
                             "call: %s",
                             *f, nth, rt, res.hw_reason);
                if (a)
                    O->close(a);
                fake_fail(NULL, 0);
                check_no_leaks();
            }
        }
    }
}

/* Every framework selector missing in turn: a clear error naming class and
 * selector, or an optional feature quietly absent; never a crash. */
static void test_each_selector_missing(void **st)
{
    (void)st;
    static const char *const sels[][2] = {
        {"_ANEInMemoryModelDescriptor", "modelWithMILText:weights:optionsPlist:"},
        {"_ANEInMemoryModel", "inMemoryModelWithDescriptor:"},
        {"_ANEInMemoryModel", "hexStringIdentifier"},
        {"_ANEInMemoryModel", "localModelPath"},
        {"_ANEModel", "modelAttributes"},
        {"_ANERequest", "perfStats"},
        {"_ANERequest", "setPerfStats:"},
        {"_ANEInMemoryModel", "compileWithQoS:options:error:"},
        {"_ANEInMemoryModel", "loadWithQoS:options:error:"},
        {"_ANEInMemoryModel", "unloadWithQoS:error:"},
        {"_ANEInMemoryModel", "evaluateWithQoS:options:request:error:"},
        {"_ANEInMemoryModel", "model"},
        {"_ANEIOSurfaceObject", "objectWithIOSurface:"},
        {"_ANERequest",
         "requestWithInputs:inputIndices:outputs:outputIndices:weightsBuffer:perfStats:procedureIndex:"},
        {"_ANEClient", "beginRealTimeTask"},
        {"_ANEClient", "loadRealTimeModel:options:qos:error:"},
        {"_ANEClient", "evaluateRealTimeWithModel:options:request:error:"},
        {"_ANEClient", "sharedConnection"},
        {"_ANEInMemoryModel", "sharedConnection"},
        {"_ANEInMemoryModel", "compiledModelExists"},
        {"_ANEDeviceInfo", "numANECores"},
    };
    for (size_t i = 0; i < sizeof sels / sizeof sels[0]; i++) {
        for (int rt = 0; rt < 3; rt++) {
            fake_framework_reset();
            fake_framework_config("m5", -1, -1);
            fake_hide(sels[i][0], sels[i][1]);
            ane_api *a = NULL;
            ab_err e;
            ab_err_clear(&e);
            ane_eval_res res;
            int rc = O->open(&a, NULL, &e);
            if (!rc)
                rc = run_case(a, rt, &res, &e);
            if (rc && !(strstr(e.msg, sels[i][0]) || strstr(e.msg, "_ANEClient")))
                fail_msg("hiding %s %s: message names no class: %s", sels[i][0], sels[i][1], e.msg);
            if (a)
                O->close(a);
            check_no_leaks();
        }
    }
}

/* Keys of a JSON object that appear more than once (cJSON keeps both). */
static int duplicate_keys(const cJSON *o)
{
    int dups = 0;
    for (const cJSON *a = o->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            dups += !strcmp(a->string, b->string);
    return dups;
}

/* The backend's run.json facts over the bridge: "engine" and "simulated",
 * which run and info put there first, each once; and the fake framework
 * named as what answered. */
static void check_describe(ab_backend *b)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "engine", b->ops->name); /* as bench/cmd_run.c does */
    cJSON_AddBoolToObject(o, "simulated", b->simulated);
    b->ops->describe(b, o);
    assert_int_equal(duplicate_keys(o), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "simulated")));
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "api")), "objc");
    assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(o, "framework")), "tests/fakedarwin"));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "sim_scale"))); /* unknown to the bridge */
    cJSON_Delete(o);
}

/* The ane backend (backends/ane.c) over the bridge: a whole case, normal
 * and real-time, each with hwExecutionTime and a verified output. */
static void backend_case(ab_backend *b, long mode)
{
    ab_err e;
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = 128;
    c.v[AX_SPATIAL] = 64;
    c.v[AX_QOS] = 33;
    c.v[AX_PROCEDURE] = 3;
    c.v[AX_MODE] = mode;
    ab_conv k;
    OK(conv_make(&k, &c, 77, &e));
    void *inst = NULL;
    OK(b->ops->prepare(b, &k, &inst, &e));
    OK(b->ops->compile(b, inst, &e));
    OK(b->ops->load(b, inst, &e));
    ab_io_facts f;
    OK(b->ops->io_setup(b, inst, &f, &e));
    assert_string_equal(f.layout, "model");
    assert_int_equal(f.in_row, 256);
    if (mode == AB_MODE_RT)
        assert_non_null(strstr(f.path_note, "beginRealTimeTask answered YES"));
    ab_eval_out out;
    memset(&out, 0, sizeof out);
    OK(b->ops->eval(b, inst, &out, &e));
    b->ops->read_stats(b, inst, &out);
    assert_false(out.has_hw); /* counters off */
    OK(b->ops->set_stats(b, inst, true, &e));
    OK(b->ops->eval(b, inst, &out, &e));
    b->ops->read_stats(b, inst, &out);
    OK(b->ops->set_stats(b, inst, false, &e));
    const char *want = mode == AB_MODE_RT ? "realtime" : mode == AB_MODE_DIRECT ? "direct" : "normal";
    assert_string_equal(out.path, want);
    if (!out.has_hw)
        fail_msg("%s eval without hwExecutionTime: %s", out.path, out.hw_reason);
    float *o = malloc(k.cout * k.spatial * sizeof *o);
    OK(b->ops->output(b, inst, o, &e));
    ab_verify v;
    conv_verify(&k, o, 1, &v);
    assert_true(v.pass);
    free(o);
    OK(b->ops->unload(b, inst, &e));
    b->ops->release(b, inst);
    conv_free(&k);
}

/* The backend with the run's weights_layout per-file: a 3-layer chain's
 * files are w0..w2.bin in the model's directory, and the output verifies. */
static void backend_per_file(ab_backend *b)
{
    ab_err e;
    ab_settings s;
    settings_default(&s);
    s.weights_layout = AB_WEIGHTS_PER_FILE;
    b->settings = &s;
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = 64;
    c.v[AX_SPATIAL] = 32;
    c.v[AX_DEPTH] = 3;
    ab_conv k;
    OK(conv_make(&k, &c, 78, &e));
    void *inst = NULL;
    OK(b->ops->prepare(b, &k, &inst, &e));
    assert_int_equal(fake_last_weights_count(), 3);
    size_t len;
    assert_true(fake_last_weights_entry("@model_path/weights/w2.bin", &len));
    assert_false(fake_last_weights_entry("@model_path/weights/weight.bin", &len));
    OK(b->ops->compile(b, inst, &e));
    OK(b->ops->load(b, inst, &e));
    ab_io_facts f;
    OK(b->ops->io_setup(b, inst, &f, &e));
    ab_eval_out out;
    memset(&out, 0, sizeof out);
    OK(b->ops->eval(b, inst, &out, &e));
    float *o = malloc(k.cout * k.spatial * sizeof *o);
    OK(b->ops->output(b, inst, o, &e));
    ab_verify v;
    conv_verify(&k, o, 1, &v);
    assert_true(v.pass);
    free(o);
    OK(b->ops->unload(b, inst, &e));
    b->ops->release(b, inst);
    conv_free(&k);
    b->settings = NULL;
}

static void test_backend_over_bridge(void **st)
{
    (void)st;
    fake_framework_reset();
    fake_framework_config(HW_PROFILE, -1, -1);
    ab_backend b;
    ab_err e;
    OK(backend_open(&b, "ane", &e));
    assert_true(b.simulated); /* the classes are the test bed's, not the system framework's */
    check_describe(&b);
    backend_case(&b, AB_MODE_NORMAL);
    backend_case(&b, AB_MODE_RT);
    backend_case(&b, AB_MODE_DIRECT);
    backend_per_file(&b);
    backend_close(&b);
    check_no_leaks();
}

/* Edges: misuse by the caller, an absent optional class, unwritable or
 * vanished model directories, a full disk. */
static void test_edges(void **st)
{
    (void)st;
    ab_err e;
    ane_api *a = NULL;
    assert_int_equal(O->open(&a, "m5", &e), AB_EUSAGE); /* only ane-sim takes a profile */
    assert_non_null(strstr(e.msg, "'m5'"));
    O->close(NULL);

    /* _ANEPerformanceStats absent (5th objc_getClass): stats unobtainable, with the reason. */
    fake_framework_reset();
    fake_framework_config("m5", -1, -1);
    fake_fail("objc_getClass", 5);
    OK(O->open(&a, NULL, &e));
    fake_fail(NULL, 0);
    prog p;
    ane_eval_req rq;
    ane_eval_res res;
    OK(prog_make(a, &p, 64, 32, 31, &e));
    OK(O->compile(a, p.m, 21, &e));
    OK(O->load(a, p.m, 21, &e));
    OK(prog_io(a, &p, &e));
    req_for(&p, &rq, 21, 0);
    rq.perf_stats = true;
    OK(O->eval(a, p.m, &rq, &res, &e));
    O->eval_stats(a, p.m, &rq, &res);
    assert_false(res.has_hw);
    assert_string_equal(res.hw_reason, "class _ANEPerformanceStats not found");
    OK(O->unload(a, p.m, 21, &e));
    /* Caller misuse: empty buffer, oversized copies, no buffers in a request. */
    ane_buf *b = NULL;
    assert_int_equal(O->buf_create(a, 0, &b, &e), AB_EFAIL);
    uint8_t big[4096] = {0};
    assert_int_equal(O->buf_write(a, p.in, big, p.in_bytes + 1, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "do not fit"));
    /* A surface too small for the program's declared shape: the framework's error. */
    OK(O->load(a, p.m, 21, &e));
    ane_buf *small = NULL;
    OK(O->buf_create(a, p.in_bytes / 2, &small, &e));
    rq.in = small;
    assert_int_equal(O->eval(a, p.m, &rq, &res, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "too small"));
    O->buf_free(a, small);
    OK(O->unload(a, p.m, 21, &e));
    rq.in = NULL;
    assert_int_equal(O->eval(a, p.m, &rq, &res, &e), AB_EFAIL);
    assert_non_null(O->eval_prepare);
    assert_int_equal(O->eval_prepare(a, p.m, &rq, &e), AB_EFAIL);
    O->model_free(a, NULL);
    O->buf_free(a, NULL);
    prog_free(a, &p);

    /* Real time on a model that was never compiled: its inner model is nil. */
    OK(prog_make(a, &p, 64, 32, 32, &e));
    bool granted;
    OK(O->rt_begin(a, &granted, &e));
    OK(O->rt_begin(a, &granted, &e)); /* asked again: answered again */
    assert_int_equal(O->rt_load(a, p.m, 21, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "model] is nil"));
    OK(prog_io(a, &p, &e)); /* no compiled model: flat rows, said */
    assert_false(p.lay.from_model);
    assert_non_null(strstr(p.lay.note, "-[_ANEInMemoryModel model] is nil"));
    req_for(&p, &rq, 21, 0);
    rq.realtime = true;
    assert_int_equal(O->eval(a, p.m, &rq, &res, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "model] is nil"));
    fake_hide("_ANEClient", "evaluateRealTimeWithModel:options:request:error:");
    assert_int_equal(O->eval(a, p.m, &rq, &res, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "-[_ANEClient evaluateRealTimeWithModel:options:request:error:] is not"));
    fake_hide(NULL, NULL);

    /* The model's directory vanished: rewriting its weights says so. */
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/%s", fake_tmpdir(), fake_last_hex());
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
    assert_int_equal(O->model_rewrite_weights(a, p.m, WB(p.blob, p.wlen), &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "cannot create directory"));
    prog_free(a, &p);
    O->close(a); /* with the real-time task still begun: close ends it */
    assert_true(fake_logged("-[_ANEClient endRealTimeTask]"));
    check_no_leaks();

    /* A model without weights: an empty weights dictionary, never nil. */
    a = open_objc("m5", -1, -1);
    ane_model *m = NULL;
    OK(O->model_create(a, "program(1.3) {}", NULL, 0, &m, &e));
    O->model_free(a, m);
    /* A path that is a file where the model directory should be; then a full disk. */
    OK(prog_make(a, &p, 64, 32, 33, &e));
    snprintf(dir, sizeof dir, "%s/%s", fake_tmpdir(), fake_last_hex());
    prog_free(a, &p);
    FILE *f = fopen(dir, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_not_equal(prog_make(a, &p, 64, 32, 33, &e), AB_OK);
    assert_non_null(strstr(e.msg, "cannot create"));
    prog_free(a, &p);
    remove(dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(path, sizeof path, "%s/model.mil", dir);
    assert_int_equal(symlink("/dev/full", path), 0);
    assert_int_not_equal(prog_make(a, &p, 64, 32, 33, &e), AB_OK);
    assert_non_null(strstr(e.msg, "cannot write"));
    prog_free(a, &p);
    remove(path);
    rmdir(dir);
    close_objc(a);
}

int main(void)
{
    setenv("ANEBENCH_SIM_SCALE", "0.002", 1); /* modelled waits, 500 times shorter */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_seed_cycle, note_baseline),
        cmocka_unit_test_setup(test_compile_cache_hit, note_baseline),
        cmocka_unit_test_setup(test_qos_0_to_63, note_baseline),
        cmocka_unit_test_setup(test_procedure_0_to_15, note_baseline),
        cmocka_unit_test_setup(test_realtime_accepted, note_baseline),
        cmocka_unit_test_setup(test_direct_path, note_baseline),
        cmocka_unit_test_setup(test_identifier_and_paths, note_baseline),
        cmocka_unit_test_setup(test_fake_catches_cut_identifier, note_baseline),
        cmocka_unit_test_setup(test_per_file_chain, note_baseline),
        cmocka_unit_test_setup(test_per_file_wrong_name, note_baseline),
        cmocka_unit_test_setup(test_fake_catches_stats_object, note_baseline),
        cmocka_unit_test_setup(test_strides, note_baseline),
        cmocka_unit_test_setup(test_attributes_malformed_and_tmpdir, note_baseline),
        cmocka_unit_test_setup(test_realtime_client_fallback, note_baseline),
        cmocka_unit_test_setup(test_realtime_refused, note_baseline),
        cmocka_unit_test_setup(test_perf_stats_present_and_absent, note_baseline),
        cmocka_unit_test_setup(test_compile_budget, note_baseline),
        cmocka_unit_test_setup(test_load_retried_once, note_baseline),
        cmocka_unit_test_setup(test_device_info_census_host, note_baseline),
        cmocka_unit_test_setup(test_each_call_failing, note_baseline),
        cmocka_unit_test_setup(test_each_selector_missing, note_baseline),
        cmocka_unit_test_setup(test_backend_over_bridge, note_baseline),
        cmocka_unit_test_setup(test_edges, note_baseline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
