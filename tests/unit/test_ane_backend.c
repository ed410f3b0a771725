/* ctest: run-serial (measures real time) */
/* test_ane_backend.c: the ane backend's ops end to end on the simulator
 * (ANEBENCH_SIM_SCALE small so it runs fast): spec handling, describe(),
 * the full phase sequence with verified output, hwExecutionTime on the
 * what-if profile m5-hw only, fp16 I/O with padded rows,
 * the real-time bracket (works on m5, refused on m4 without falling back),
 * the compile budget and cache forwarding, and what supports() refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "kernels/conv.h"

static int setup(void **st)
{
    (void)st;
    setenv("ANEBENCH_SIM_SCALE", "0.001", 1);
    return 0;
}

static void open_ok(ab_backend *b, const char *spec)
{
    ab_err e;
    ab_err_clear(&e);
    int rc = backend_open(b, spec, &e);
    if (rc)
        fail_msg("backend_open(%s): %s", spec, e.msg);
    assert_ptr_equal(b->ops, &ab_backend_ane);
}

static void make_case(ab_case *c, long cin, long spatial, long io, long mode)
{
    case_default(c);
    c->v[AX_CIN] = cin;
    c->v[AX_COUT] = cin;
    c->v[AX_SPATIAL] = spatial;
    c->v[AX_IO] = io;
    c->v[AX_MODE] = mode;
}

/* prepare .. release with output checked after the first and the reloaded
 * evals; each round 3 evals with counters off (never a hardware time) and 3
 * with them on; returns the number of those that reported hw_ns. The io
 * facts of the first setup go to *facts. */
static int run_phases_facts(ab_backend *b, const ab_case *c, const char *want_path, ab_io_facts *facts)
{
    const ab_backend_ops *o = b->ops;
    ab_conv k;
    ab_err e;
    void *inst = NULL;
    ab_eval_out out;
    int hw = 0;
    assert_int_equal(conv_make(&k, c, 99, &e), AB_OK);
    assert_int_equal(o->prepare(b, &k, &inst, &e), AB_OK);
    assert_int_equal(o->compile(b, inst, &e), AB_OK);
    assert_string_equal(o->compile_cache(b, inst), "cold");
    assert_int_equal(o->load(b, inst, &e), AB_OK);
    assert_int_equal(o->io_setup(b, inst, facts, &e), AB_OK);
    float *y = calloc(k.cout * k.spatial, sizeof *y);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 6; i++) {
            assert_int_equal(o->set_stats(b, inst, i >= 3, &e), AB_OK);
            memset(&out, 0, sizeof out);
            assert_int_equal(o->eval(b, inst, &out, &e), AB_OK);
            assert_string_equal(out.path, want_path);
            o->read_stats(b, inst, &out);
            if (i < 3)
                assert_false(out.has_hw);
            hw += out.has_hw;
            if (!out.has_hw)
                assert_true(strlen(out.hw_reason) > 0);
        }
        assert_int_equal(o->set_stats(b, inst, false, &e), AB_OK);
        memset(y, 0, k.cout * k.spatial * sizeof *y);
        assert_int_equal(o->output(b, inst, y, &e), AB_OK);
        ab_verify v;
        conv_verify(&k, y, 1, &v);
        assert_true(v.pass);
        assert_int_equal(o->unload(b, inst, &e), AB_OK);
        if (round == 0)
            assert_int_equal(o->load(b, inst, &e), AB_OK); /* the runner's reload */
    }
    free(y);
    o->release(b, inst);
    conv_free(&k);
    return hw;
}

static int run_phases(ab_backend *b, const ab_case *c, const char *want_path)
{
    ab_io_facts f;
    return run_phases_facts(b, c, want_path, &f);
}

static void test_sim_phases_fp32(void **st)
{
    (void)st;
    ab_backend b;
    ab_case c;
    open_ok(&b, "ane-sim");
    assert_true(b.simulated);
    assert_true(b.fp16_compute);
    make_case(&c, 128, 64, AB_IO_FP32, AB_MODE_NORMAL);
    int left = b.ops->compile_budget_left(&b);
    assert_int_equal(run_phases(&b, &c, "normal"), 0); /* m5, as the seed: no hwExecutionTime */
    assert_int_equal(b.ops->compile_budget_left(&b), left - 1);
    backend_close(&b);
}

/* The what-if profile m5-hw: every eval carries hwExecutionTime, and
 * describe() names the profile on the M5 chip. */
static void test_sim_phases_hw(void **st)
{
    (void)st;
    ab_backend b;
    ab_case c;
    open_ok(&b, "ane-sim:m5-hw");
    make_case(&c, 128, 64, AB_IO_FP32, AB_MODE_NORMAL);
    assert_int_equal(run_phases(&b, &c, "normal"), 6); /* the 6 with counters on */
    cJSON *o = cJSON_CreateObject();
    b.ops->describe(&b, o);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "profile")), "m5-hw");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "chip")), "Apple M5");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "simulated")));
    cJSON_Delete(o);
    backend_close(&b);
}

/* fp32 rows of 20 (80 bytes) padded to the m5 model's 128: packed into an
 * image on the side and unpacked from one (test_sim_phases_fp32: rows of
 * 64, 256 bytes, are the host's layout, written and read as they are);
 * both verify. */
static void test_sim_phases_fp32_padded(void **st)
{
    (void)st;
    ab_backend b;
    ab_case c;
    ab_io_facts f;
    open_ok(&b, "ane-sim:m5");
    make_case(&c, 40, 20, AB_IO_FP32, AB_MODE_NORMAL);
    assert_int_equal(run_phases_facts(&b, &c, "normal", &f), 0);
    assert_int_equal(f.in_row, 128);
    assert_int_equal(f.out_plane, 128);
    backend_close(&b);
    open_ok(&b, "ane-sim:m5");
    make_case(&c, 40, 64, AB_IO_FP32, AB_MODE_NORMAL);
    assert_int_equal(run_phases_facts(&b, &c, "normal", &f), 0);
    assert_int_equal(f.in_row, 256);
    backend_close(&b);
}

static void test_sim_phases_fp16_padded(void **st)
{
    (void)st;
    ab_backend b;
    ab_case c;
    open_ok(&b, "ane-sim:m4");
    make_case(&c, 48, 36, AB_IO_FP16, AB_MODE_NORMAL);
    c.v[AX_PROCEDURE] = 15;
    c.v[AX_QOS] = 63;
    assert_int_equal(run_phases(&b, &c, "normal"), 0); /* m4: no perf stats */
    backend_close(&b);
}

static void test_realtime(void **st)
{
    (void)st;
    ab_backend b;
    ab_case c;
    make_case(&c, 64, 32, AB_IO_FP32, AB_MODE_RT);
    open_ok(&b, "ane-sim:m5");
    run_phases(&b, &c, "realtime");
    backend_close(&b);

    /* m4 answers NO to beginRealTimeTask: the backend goes on (as Espresso
     * does), the real-time load fails saying what begin answered, and no
     * eval happens on another path */
    open_ok(&b, "ane-sim:m4");
    ab_conv k;
    ab_err e;
    void *inst;
    ab_eval_out out;
    assert_int_equal(conv_make(&k, &c, 1, &e), AB_OK);
    assert_int_equal(b.ops->prepare(&b, &k, &inst, &e), AB_OK);
    assert_int_equal(b.ops->compile(&b, inst, &e), AB_OK);
    assert_int_equal(b.ops->load(&b, inst, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "real-time load failed (beginRealTimeTask answered NO)"));
    assert_int_not_equal(b.ops->eval(&b, inst, &out, &e), AB_OK);
    b.ops->release(&b, inst);
    conv_free(&k);
    backend_close(&b);
}

/* mode=direct: -[_ANEClient doEvaluateDirectWithModel:...] on the normal load. */
static void test_direct(void **st)
{
    (void)st;
    ab_backend b;
    ab_case c;
    make_case(&c, 128, 64, AB_IO_FP32, AB_MODE_DIRECT); /* big enough that the scaled hw time is not 0 ns */
    open_ok(&b, "ane-sim:m5-hw");
    assert_int_equal(run_phases(&b, &c, "direct"), 6);
    backend_close(&b);
}

/* Strides come from the (simulated) compiled model: rows of 16 fp16 (32
 * bytes) become 64 on m4 (tmc's 64-byte alignment) and 128 on m5 (the
 * 128-byte claim); both verify because the backend packs at what the model
 * states. */
static void test_strides_from_model(void **st)
{
    (void)st;
    const struct {
        const char *spec;
        size_t row;
    } cases[] = {{"ane-sim:m4", 64}, {"ane-sim:m5", 128}};
    for (size_t i = 0; i < 2; i++) {
        ab_backend b;
        ab_case c;
        ab_io_facts f;
        make_case(&c, 32, 16, AB_IO_FP16, AB_MODE_NORMAL);
        open_ok(&b, cases[i].spec);
        run_phases_facts(&b, &c, "normal", &f);
        assert_int_equal(f.in_row, cases[i].row);
        assert_int_equal(f.out_plane, cases[i].row);
        assert_string_equal(f.layout, "model");
        backend_close(&b);
    }
}

static void test_cache_hit_same_case(void **st)
{
    (void)st;
    ab_backend b;
    ab_case c;
    ab_conv k;
    ab_err e;
    void *i1, *i2;
    open_ok(&b, "ane-sim:m5");
    make_case(&c, 64, 32, AB_IO_FP32, AB_MODE_NORMAL);
    assert_int_equal(conv_make(&k, &c, 5, &e), AB_OK);
    assert_int_equal(b.ops->prepare(&b, &k, &i1, &e), AB_OK);
    assert_int_equal(b.ops->prepare(&b, &k, &i2, &e), AB_OK);
    assert_int_equal(b.ops->compile(&b, i1, &e), AB_OK);
    assert_int_equal(b.ops->compile(&b, i2, &e), AB_OK);
    assert_string_equal(b.ops->compile_cache(&b, i1), "cold");
    assert_string_equal(b.ops->compile_cache(&b, i2), "hit");
    b.ops->release(&b, i1);
    b.ops->release(&b, i2);
    conv_free(&k);
    backend_close(&b);
}

static void test_describe(void **st)
{
    (void)st;
    ab_backend b;
    open_ok(&b, "ane-sim:m4");
    cJSON *o = cJSON_CreateObject();
    b.ops->describe(&b, o);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "engine")), "ane");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "profile")), "m4");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "simulated")));
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "api")), "sim");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "chip")), "Apple M4");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "family")), "H16");
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(o, "peak_gflops")) == 18600.0);
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(o, "sim_scale")) == 0.001);
    assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(o, "framework")), "simulated"));
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(o, "compile_budget")) == 119);
    cJSON_Delete(o);
    backend_close(&b);
}

static void test_specs(void **st)
{
    (void)st;
    ab_backend b;
    ab_err e;
    assert_int_equal(backend_open(&b, "ane-sim:m7", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "m7"));
    assert_int_equal(backend_open(&b, "ane-sim:", &e), AB_EUSAGE);
#ifndef __APPLE__
    assert_int_equal(backend_open(&b, "ane", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "needs macOS on Apple silicon; use ane-sim:m5"));
#endif
}

static void test_supports(void **st)
{
    (void)st;
    ab_backend b;
    ab_case c;
    char why[128] = "";
    open_ok(&b, "ane-sim");
    make_case(&c, 64, 32, AB_IO_FP32, AB_MODE_NORMAL);
    assert_int_equal(b.ops->supports(&b, &c, why, sizeof why), 1);
    c.v[AX_THREADS] = 2;
    assert_int_equal(b.ops->supports(&b, &c, why, sizeof why), 0);
    assert_non_null(strstr(why, "threads"));
    backend_close(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sim_phases_fp32),
        cmocka_unit_test(test_sim_phases_hw),
        cmocka_unit_test(test_sim_phases_fp32_padded),
        cmocka_unit_test(test_sim_phases_fp16_padded),
        cmocka_unit_test(test_direct),
        cmocka_unit_test(test_strides_from_model),
        cmocka_unit_test(test_realtime),
        cmocka_unit_test(test_cache_hit_same_case),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_specs),
        cmocka_unit_test(test_supports),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
