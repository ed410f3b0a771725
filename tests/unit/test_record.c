/* test_record.c: records through their JSON and CSV forms and back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/record.h"

/* A record with every field set to something distinctive. */
static void make_full(ab_record *r)
{
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = 512;
    c.v[AX_COUT] = 256;
    c.v[AX_SPATIAL] = 128;
    c.v[AX_IO] = AB_IO_FP16;
    c.v[AX_QOS] = 33;
    c.v[AX_MODE] = AB_MODE_RT;
    c.index = 7;
    record_init(r, &c);
    record_set_text(&r->backend, "ane-sim:m5");
    r->simulated = true;
    r->status = AB_ST_WRONG_OUTPUT;
    record_set_text(&r->reason, "max abs error 0.5 > tolerance, \"quoted\", comma\nnewline");
    r->compile_ms = 12.345678901234567;
    r->load_ms = 0.1;
    r->first_eval_ms = 1e-9;
    r->unload_ms = 3.0;
    r->reload_ms = 1.0 / 3.0;
    r->warmup = 5;
    r->flops = 2.0 * 512 * 256 * 128;
    r->bytes = 123456789.0;
    const double ev[] = {1000.5, 1001.25, 999.75, 1200.0, 1000.0, 1003.0, 998.0};
    record_set_eval_samples(r, ev, 7);
    const double hw[] = {800.0, 801.0, 799.5};
    record_set_hw_samples(r, hw, 3);
    strcpy(r->eval_path, "realtime");
    r->verify_pass = 0;
    r->max_abs_err = 0.5;
    r->tolerance = 0.0625;
    r->verify_checked = 32768;
    strcpy(r->stop_reason, "noise");
    strcpy(r->compile_cache, "cold");
    strcpy(r->thermal_state, "nominal");
    strcpy(r->power_source, "ac");
    r->worker = 3;
    r->attempt = 2;
    strcpy(r->started, "2026-11-25T17:34:13Z");
    r->wall_s = 2.718281828459045;
}

/* Doubles equal bit for bit, NaN equal to NaN. */
static void assert_same_double(const char *what, double a, double b)
{
    if ((isnan(a) && isnan(b)) || a == b)
        return;
    print_error("%s: %.17g != %.17g\n", what, a, b);
    fail();
}

static void assert_same_summary(const char *what, const ab_summary *a, const ab_summary *b)
{
    assert_int_equal(a->n, b->n);
    assert_same_double(what, a->min, b->min);
    assert_same_double(what, a->median, b->median);
    assert_same_double(what, a->mean, b->mean);
    assert_same_double(what, a->stddev, b->stddev);
    assert_same_double(what, a->p90, b->p90);
    assert_same_double(what, a->p99, b->p99);
    assert_same_double(what, a->max, b->max);
    assert_same_double(what, a->mad, b->mad);
    assert_same_double(what, a->ci_low, b->ci_low);
    assert_same_double(what, a->ci_high, b->ci_high);
}

/* Every scalar field equal. */
static void assert_same_scalars(const ab_record *a, const ab_record *b)
{
    assert_string_equal(a->key, b->key);
    for (int i = 0; i < AX_COUNT; i++)
        assert_int_equal(a->params.v[i], b->params.v[i]);
    assert_int_equal(a->params.index, b->params.index);
    assert_string_equal(a->backend, b->backend);
    assert_int_equal(a->simulated, b->simulated);
    assert_int_equal(a->status, b->status);
    assert_string_equal(a->reason, b->reason);
    assert_same_double("compile_ms", a->compile_ms, b->compile_ms);
    assert_same_double("load_ms", a->load_ms, b->load_ms);
    assert_same_double("first_eval_ms", a->first_eval_ms, b->first_eval_ms);
    assert_same_double("unload_ms", a->unload_ms, b->unload_ms);
    assert_same_double("reload_ms", a->reload_ms, b->reload_ms);
    assert_int_equal(a->warmup, b->warmup);
    assert_same_summary("eval", &a->eval, &b->eval);
    assert_int_equal(a->has_hw, b->has_hw);
    if (a->has_hw)
        assert_same_summary("hw", &a->hw, &b->hw);
    assert_string_equal(a->hw_reason, b->hw_reason);
    assert_string_equal(a->eval_path, b->eval_path);
    assert_same_double("flops", a->flops, b->flops);
    assert_same_double("bytes", a->bytes, b->bytes);
    assert_same_double("gflops_wall", a->gflops_wall, b->gflops_wall);
    assert_same_double("gflops_hw", a->gflops_hw, b->gflops_hw);
    assert_int_equal(a->verify_pass, b->verify_pass);
    assert_same_double("max_abs_err", a->max_abs_err, b->max_abs_err);
    assert_same_double("tolerance", a->tolerance, b->tolerance);
    assert_int_equal(a->verify_checked, b->verify_checked);
    assert_string_equal(a->stop_reason, b->stop_reason);
    assert_string_equal(a->compile_cache, b->compile_cache);
    assert_string_equal(a->thermal_state, b->thermal_state);
    assert_string_equal(a->power_source, b->power_source);
    assert_int_equal(a->worker, b->worker);
    assert_int_equal(a->attempt, b->attempt);
    assert_string_equal(a->started, b->started);
    assert_same_double("wall_s", a->wall_s, b->wall_s);
}

/* JSON text -> record (through cJSON), as a reader would. */
static int from_text(const char *text, ab_record *r, ab_err *e)
{
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    int rc = record_from_json(j, r, e);
    cJSON_Delete(j);
    return rc;
}

static void test_status_names(void **state)
{
    (void)state;
    for (int i = 0; i < AB_ST_COUNT; i++)
        assert_int_equal(status_parse(status_name((ab_status)i)), i);
    assert_string_equal(status_name(AB_ST_WRONG_OUTPUT), "wrong-output");
    assert_int_equal(status_parse("OK"), -1);
    assert_int_equal(status_parse(""), -1);
}

static void test_init_and_samples(void **state)
{
    (void)state;
    ab_record r;
    make_full(&r);
    /* key from the case, statistics from the samples, GFLOPS = flops / median ns */
    assert_string_equal(r.key,
                        "conv1x1 cin=512 cout=256 spatial=128 depth=1 io=fp16 qos=33 procedure=0 mode=rt");
    assert_int_equal(r.eval.n, 7);
    assert_true(r.eval.median == 1000.5);
    assert_true(r.eval.min == 998.0 && r.eval.max == 1200.0);
    assert_true(r.has_hw && r.hw.n == 3 && r.hw.median == 800.0);
    assert_same_double("gflops_wall", r.gflops_wall, r.flops / 1000.5);
    assert_same_double("gflops_hw", r.gflops_hw, r.flops / 800.0);
    record_free(&r);
    assert_null(r.eval_samples);

    ab_record z;
    record_init(&z, NULL);
    assert_true(isnan(z.compile_ms) && isnan(z.flops) && isnan(z.wall_s) && isnan(z.eval.median));
    assert_int_equal(z.status, AB_ST_SKIPPED);
    assert_int_equal(z.verify_pass, -1);
    record_free(&z);
}

static void test_json_round_trip(void **state)
{
    (void)state;
    ab_record a, b;
    make_full(&a);
    cJSON *j = record_to_json(&a, 1);
    char *text = cJSON_PrintUnformatted(j);
    ab_err e;
    ab_err_clear(&e);
    /* the tree itself reads back too, before any printing */
    assert_int_equal(record_from_json(j, &b, &e), AB_OK);
    assert_same_scalars(&a, &b);
    record_free(&b);
    cJSON_Delete(j);
    assert_int_equal(from_text(text, &b, &e), AB_OK);
    free(text);
    assert_same_scalars(&a, &b);
    assert_int_equal(b.n_eval_samples, 7);
    assert_memory_equal(a.eval_samples, b.eval_samples, 7 * sizeof(double));
    assert_int_equal(b.n_hw_samples, 3);
    assert_memory_equal(a.hw_samples, b.hw_samples, 3 * sizeof(double));
    record_free(&a);
    record_free(&b);
}

static void test_json_nulls_and_no_samples(void **state)
{
    (void)state;
    ab_record a, b;
    ab_case c;
    case_default(&c);
    record_init(&a, &c);
    record_set_text(&a.backend, "cpu");
    record_set_text(&a.reason, "no procedure index on this backend");
    cJSON *j = record_to_json(&a, 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "compile_ms")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "eval_ns")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "hw_ns")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "verify_pass")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "thermal_state")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(j, "has_hw")));
    assert_string_equal(cJSON_GetObjectItem(j, "status")->valuestring, "skipped");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "params"), "io")->valuestring, "fp32");
    assert_null(cJSON_GetObjectItem(j, "eval_samples_ns"));
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    assert_null(strstr(text, "nan"));
    ab_err e;
    assert_int_equal(from_text(text, &b, &e), AB_OK);
    free(text);
    assert_same_scalars(&a, &b);
    assert_int_equal(b.n_eval_samples, 0);
    record_free(&a);
    record_free(&b);
}

/* A minimal hand-written record: params come from the key. */
static void test_json_minimal_from_key(void **state)
{
    (void)state;
    ab_record r;
    ab_err e;
    const char *t = "{\"key\":\"conv1x1 cin=64 cout=32 spatial=16 depth=1 io=fp32 qos=9 "
                    "procedure=3 mode=normal\",\"status\":\"ok\"}";
    assert_int_equal(from_text(t, &r, &e), AB_OK);
    assert_int_equal(r.params.v[AX_CIN], 64);
    assert_int_equal(r.params.v[AX_COUT], 32);
    assert_int_equal(r.params.v[AX_QOS], 9);
    assert_int_equal(r.params.v[AX_PROCEDURE], 3);
    assert_int_equal(r.attempt, 1);
    assert_true(isnan(r.compile_ms));
    record_free(&r);
}

static void expect_json_error(const char *text, const char *needle)
{
    ab_record r;
    ab_err e;
    ab_err_clear(&e);
    int rc = from_text(text, &r, &e);
    if (rc != AB_EUSAGE || !strstr(e.msg, needle)) {
        print_error("%s -> rc %d \"%s\", wanted AB_EUSAGE naming %s\n", text, rc, e.msg, needle);
        fail();
    }
}

#define K "\"key\":\"conv1x1 cin=64 cout=64 spatial=64 depth=1 io=fp32 qos=21 procedure=0 mode=normal\""

static void test_json_bad_fields(void **state)
{
    (void)state;
    expect_json_error("{\"status\":\"ok\"}", "key");
    expect_json_error("{" K "}", "status");
    expect_json_error("{" K ",\"status\":\"bogus\"}", "bogus");
    expect_json_error("{" K ",\"status\":\"ok\",\"compile_ms\":\"12\"}", "compile_ms");
    expect_json_error("{" K ",\"status\":\"ok\",\"simulated\":1}", "simulated");
    expect_json_error("{" K ",\"status\":\"ok\",\"worker\":1.5}", "worker");
    expect_json_error("{" K ",\"status\":\"ok\",\"attempt\":-1}", "attempt");
    expect_json_error("{" K ",\"status\":\"ok\",\"verify_checked\":1e300}", "verify_checked");
    expect_json_error("{" K ",\"status\":\"ok\",\"params\":{\"qos\":64}}", "params.qos");
    expect_json_error("{" K ",\"status\":\"ok\",\"params\":{\"io\":\"fp64\"}}", "params.io");
    expect_json_error("{" K ",\"status\":\"ok\",\"params\":[]}", "params");
    expect_json_error("{" K ",\"status\":\"ok\",\"eval_ns\":{\"n\":3,\"median\":\"x\"}}", "eval_ns.median");
    expect_json_error("{" K ",\"status\":\"ok\",\"eval_ns\":5}", "eval_ns");
    expect_json_error("{" K ",\"status\":\"ok\",\"eval_samples_ns\":[1,\"2\"]}", "eval_samples_ns");
    expect_json_error("{\"key\":\"conv1x1 cin=banana\",\"status\":\"ok\"}", "key");
    char longkey[600];
    memset(longkey, 'a', sizeof longkey);
    memcpy(longkey, "{\"key\":\"", 8);
    strcpy(longkey + 500, "\",\"status\":\"ok\"}");
    expect_json_error(longkey, "key");
    expect_json_error("[1,2]", "object");
}

/* The CSV form: full precision, NaN empty, booleans as words. */
static void test_csv_format(void **state)
{
    (void)state;
    ab_record r;
    make_full(&r);
    r.load_ms = 0.1;
    r.unload_ms = NAN;
    char **f = record_to_csv_fields(&r, NULL);
    assert_non_null(f);
    size_t n = record_csv_ncolumns();
    for (size_t i = 0; i < n; i++) {
        const char *col = record_csv_columns()[i];
        if (strcmp(col, "load_ms") == 0)
            assert_string_equal(f[i], "0.10000000000000001");
        if (strcmp(col, "unload_ms") == 0)
            assert_string_equal(f[i], "");
        if (strcmp(col, "simulated") == 0)
            assert_string_equal(f[i], "true");
        if (strcmp(col, "verify_pass") == 0)
            assert_string_equal(f[i], "false");
        if (strcmp(col, "io") == 0)
            assert_string_equal(f[i], "fp16");
        if (strcmp(col, "flops") == 0)
            assert_string_equal(f[i], "33554432");
        if (strcmp(col, "status") == 0)
            assert_string_equal(f[i], "wrong-output");
        /* no raw samples in CSV */
        assert_null(strstr(col, "samples"));
    }
    for (size_t i = 0; i < n; i++)
        free(f[i]);
    free(f);
    record_free(&r);
}

static void free_fields(char **f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i]);
    free(f);
}

static void test_csv_round_trip_any_order(void **state)
{
    (void)state;
    ab_record a, b, c;
    make_full(&a);
    a.load_ms = NAN; /* a null in the middle */
    size_t n = record_csv_ncolumns();
    char **f = record_to_csv_fields(&a, NULL);
    ab_err e;
    ab_err_clear(&e);
    assert_int_equal(record_from_csv_fields((char *const *)record_csv_columns(), f, n, &b, NULL, &e), AB_OK);
    assert_same_scalars(&a, &b);
    assert_int_equal(b.n_eval_samples, 0);

    /* reversed columns, plus an unknown column that is ignored */
    char **h2 = calloc(n + 1, sizeof *h2), **f2 = calloc(n + 1, sizeof *f2);
    for (size_t i = 0; i < n; i++) {
        h2[i] = (char *)record_csv_columns()[n - 1 - i];
        f2[i] = f[n - 1 - i];
    }
    h2[n] = "from_the_future";
    f2[n] = "42";
    assert_int_equal(record_from_csv_fields(h2, f2, n + 1, &c, NULL, &e), AB_OK);
    assert_same_scalars(&a, &c);
    free(h2);
    free(f2);
    free_fields(f, n);
    record_free(&a);
    record_free(&b);
    record_free(&c);
}

/* A skipped record: empty statistics and hw come back as "none". */
static void test_csv_round_trip_skipped(void **state)
{
    (void)state;
    ab_record a, b;
    ab_case c;
    case_default(&c);
    record_init(&a, &c);
    record_set_text(&a.reason, "cpu: no real-time mode");
    size_t n = record_csv_ncolumns();
    char **f = record_to_csv_fields(&a, NULL);
    ab_err e;
    assert_int_equal(record_from_csv_fields((char *const *)record_csv_columns(), f, n, &b, NULL, &e), AB_OK);
    assert_same_scalars(&a, &b);
    free_fields(f, n);
    record_free(&a);
    record_free(&b);
}

static void expect_csv_error(const char *col, const char *value, const char *needle)
{
    ab_record a, b;
    make_full(&a);
    size_t n = record_csv_ncolumns();
    char **f = record_to_csv_fields(&a, NULL);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(record_csv_columns()[i], col) == 0) {
            free(f[i]);
            f[i] = strdup(value);
        }
    }
    ab_err e;
    ab_err_clear(&e);
    int rc = record_from_csv_fields((char *const *)record_csv_columns(), f, n, &b, NULL, &e);
    if (rc != AB_EUSAGE || !strstr(e.msg, needle)) {
        print_error("%s=%s -> rc %d \"%s\"\n", col, value, rc, e.msg);
        fail();
    }
    free_fields(f, n);
    record_free(&a);
}

static void test_csv_bad_fields(void **state)
{
    (void)state;
    expect_csv_error("compile_ms", "12ms", "compile_ms");
    expect_csv_error("status", "fine", "status");
    expect_csv_error("simulated", "yes", "simulated");
    expect_csv_error("qos", "64", "qos");
    expect_csv_error("io", "int8", "io");
    expect_csv_error("eval_n", "-3", "eval_n");
    expect_csv_error("worker", "1.5", "worker");
    expect_csv_error("key", "", "key");

    /* no status column at all */
    char *h[] = {"key"};
    char *f[] = {"conv1x1 cin=64 cout=64 spatial=64 depth=1 io=fp32 qos=21 procedure=0 mode=normal"};
    ab_record r;
    ab_err e;
    assert_int_equal(record_from_csv_fields(h, f, 1, &r, NULL, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "status"));
}

/* ------------------------------------------------------------ field table */

/* Sets every field the table lists to a value of its own (by walking the
 * table, so a new row is covered without touching this test). */
static void fill_by_table(ab_record *r, ab_runcols *run)
{
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = 96;
    c.v[AX_COUT] = 48;
    c.v[AX_IO] = AB_IO_FP16;
    c.v[AX_MODE] = AB_MODE_RT;
    c.v[AX_THREADS] = 3;
    record_init(r, &c);
    memset(run, 0, sizeof *run);
    const double ev[] = {10.5, 11.25, 9.75, 12.0};
    for (size_t i = 0; i < ab_record_nfields; i++) {
        const ab_field *f = &ab_record_fields[i];
        char *slot = (char *)record_field_base(r, f) + f->off; /* RF_PHASE: in the phase block */
        switch (f->type) {
        case RF_TEXT:
            if (strcmp(f->name, "key") != 0)
                record_printf((const char **)(void *)slot, "text of %s, \"quoted\"\nline", f->name);
            break;
        case RF_CHARS:
            snprintf(slot, f->size, "%.8s \"q\",\n", f->name);
            break;
        case RF_RUN:
            snprintf((char *)run + f->off, f->size, "run %s, \"x\"", f->name);
            break;
        case RF_NUM:
            *(double *)slot = 1.0 / (double)(i + 3);
            break;
        case RF_INT:
            *(int *)slot = (int)i + 7;
            break;
        case RF_COUNT:
            *(size_t *)slot = (size_t)i * 1000003u;
            break;
        case RF_BOOL:
            *(bool *)slot = true;
            break;
        case RF_TRIBOOL:
            *(int *)slot = 0;
            break;
        case RF_STATUS:
            *(ab_status *)slot = AB_ST_TIMEOUT;
            break;
        case RF_PARAMS:
            break; /* set from the case above */
        case RF_SAMPLES:
            break; /* below, through record_set_*_samples */
        case RF_SUMMARY:
            break;
        }
    }
    record_set_eval_samples(r, ev, 4);
    record_set_hw_samples(r, ev, 3);
    for (int ph = 0; ph < AB_NPHASES; ph++)
        record_set_phase_samples(r, ph, ev, 2 + (size_t)ph % 3);
}

/* Every field equal, compared by walking the table. with_samples: the
 * raw samples too (the CSV form has none). with_run: the run columns. */
static void assert_same_by_table_upto(const ab_record *a, const ab_record *b, const ab_runcols *ra,
                                      const ab_runcols *rb, int with_samples, size_t upto)
{
    for (size_t i = 0; i < upto; i++) {
        const ab_field *f = &ab_record_fields[i];
        const char *xb = record_field_cbase(a, f), *yb = record_field_cbase(b, f);
        const char *x = xb + f->off, *y = yb + f->off;
        switch (f->type) {
        case RF_TEXT:
            assert_string_equal(*(const char *const *)(const void *)x, *(const char *const *)(const void *)y);
            break;
        case RF_CHARS:
            assert_string_equal(x, y);
            break;
        case RF_RUN:
            if (ra && rb)
                assert_string_equal((const char *)ra + f->off, (const char *)rb + f->off);
            break;
        case RF_NUM:
            assert_same_double(f->name, *(const double *)x, *(const double *)y);
            break;
        case RF_INT:
        case RF_TRIBOOL:
            assert_int_equal(*(const int *)x, *(const int *)y);
            break;
        case RF_COUNT:
            assert_int_equal(*(const size_t *)x, *(const size_t *)y);
            break;
        case RF_BOOL:
            assert_int_equal(*(const bool *)x, *(const bool *)y);
            break;
        case RF_STATUS:
            assert_int_equal(*(const ab_status *)x, *(const ab_status *)y);
            break;
        case RF_PARAMS:
            assert_memory_equal(((const ab_case *)x)->v, ((const ab_case *)y)->v, sizeof a->params.v);
            break;
        case RF_SUMMARY:
            assert_same_summary(f->name, (const ab_summary *)x, (const ab_summary *)y);
            break;
        case RF_SAMPLES:
            if (with_samples) {
                size_t na = *(const size_t *)(xb + f->aux);
                assert_int_equal(na, *(const size_t *)(yb + f->aux));
                if (na)
                    assert_memory_equal(*(double *const *)x, *(double *const *)y, na * sizeof(double));
            }
            break;
        }
    }
}

static void assert_same_by_table(const ab_record *a, const ab_record *b, const ab_runcols *ra,
                                 const ab_runcols *rb, int with_samples)
{
    assert_same_by_table_upto(a, b, ra, rb, with_samples, ab_record_nfields);
}

/* The JSON object's members and the CSV header are the table, in order
 * (CSV: axes from the axis table, summaries as <prefix>_n + statistics),
 * and the columns of before the table are unchanged, in place. */
static void test_field_table_is_the_format(void **state)
{
    (void)state;
    ab_record r;
    ab_runcols run;
    fill_by_table(&r, &run);
    cJSON *j = record_to_json(&r, 1);
    const cJSON *m = j->child;
    for (size_t i = 0; i < ab_record_nfields; i++) {
        if (ab_record_fields[i].type == RF_RUN)
            continue;
        assert_non_null(m);
        assert_string_equal(m->string, ab_record_fields[i].name);
        m = m->next;
    }
    assert_null(m); /* nothing written that the table does not list */
    cJSON_Delete(j);

    size_t k = 0, n = record_csv_ncolumns();
    const char *const *cols = record_csv_columns();
    for (size_t i = 0; i < ab_record_nfields; i++) {
        const ab_field *f = &ab_record_fields[i];
        if (!f->csv || f->type == RF_SAMPLES)
            continue;
        if (f->type == RF_PARAMS) {
            for (int a = 0; a < AX_COUNT; a++)
                if (!ab_axes[a].csv_last)
                    assert_string_equal(cols[k++], ab_axes[a].name);
        } else if (f->type == RF_SUMMARY) {
            char name[64];
            snprintf(name, sizeof name, "%s_n", f->csv);
            assert_string_equal(cols[k++], name);
            for (int s = 0; s < AB_N_SUMMARY_STATS; s++) {
                snprintf(name, sizeof name, "%s_%s_ns", f->csv, ab_summary_stats[s]);
                assert_string_equal(cols[k++], name);
            }
        } else {
            assert_string_equal(cols[k++], f->csv);
        }
    }
    for (int a = 0; a < AX_COUNT; a++) /* axes added later: last */
        if (ab_axes[a].csv_last)
            assert_string_equal(cols[k++], ab_axes[a].name);
    assert_int_equal(k, n);
    assert_null(cols[n]);

    /* cases.csv as it was before the field table: the same columns, first */
    static const char *const before[] = {"key",
                                         "cin",
                                         "cout",
                                         "spatial",
                                         "depth",
                                         "io",
                                         "qos",
                                         "procedure",
                                         "mode",
                                         "threads",
                                         "index",
                                         "backend",
                                         "simulated",
                                         "status",
                                         "reason",
                                         "compile_ms",
                                         "load_ms",
                                         "first_eval_ms",
                                         "unload_ms",
                                         "reload_ms",
                                         "warmup",
                                         "eval_n",
                                         "eval_min_ns",
                                         "eval_median_ns",
                                         "eval_mean_ns",
                                         "eval_stddev_ns",
                                         "eval_p90_ns",
                                         "eval_p99_ns",
                                         "eval_max_ns",
                                         "eval_mad_ns",
                                         "eval_ci_low_ns",
                                         "eval_ci_high_ns",
                                         "has_hw",
                                         "hw_n",
                                         "hw_min_ns",
                                         "hw_median_ns",
                                         "hw_mean_ns",
                                         "hw_stddev_ns",
                                         "hw_p90_ns",
                                         "hw_p99_ns",
                                         "hw_max_ns",
                                         "hw_mad_ns",
                                         "hw_ci_low_ns",
                                         "hw_ci_high_ns",
                                         "hw_reason",
                                         "eval_path",
                                         "flops",
                                         "bytes",
                                         "gflops_wall",
                                         "gflops_hw",
                                         "verify_pass",
                                         "max_abs_err",
                                         "tolerance",
                                         "verify_checked",
                                         "stop_reason",
                                         "compile_cache",
                                         "thermal_state",
                                         "power_source",
                                         "worker",
                                         "attempt",
                                         "started",
                                         "wall_s"};
    size_t nb = sizeof before / sizeof before[0];
    assert_true(n >= nb);
    for (size_t i = 0; i < nb; i++)
        assert_string_equal(cols[i], before[i]);
    record_free(&r);
}

/* Both writers and both readers walk the same table: a record with every
 * field set comes back equal, field by field, through JSON and CSV; the
 * run-level columns come back through CSV. */
static void test_field_table_round_trip(void **state)
{
    (void)state;
    ab_record a, b, c;
    ab_runcols ra, rc;
    fill_by_table(&a, &ra);
    ab_err e;
    ab_err_clear(&e);

    cJSON *j = record_to_json(&a, 1);
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (from_text(text, &b, &e) != AB_OK)
        fail_msg("%s", e.msg);
    free(text);
    assert_same_by_table(&a, &b, NULL, NULL, 1);

    size_t n = record_csv_ncolumns();
    char **f = record_to_csv_fields(&a, &ra);
    assert_non_null(f);
    if (record_from_csv_fields((char *const *)record_csv_columns(), f, n, &c, &rc, &e) != AB_OK)
        fail_msg("%s", e.msg);
    assert_same_by_table(&a, &c, &ra, &rc, 0);
    free_fields(f, n);

    /* an old CSV (no run-level columns) reads, with the run columns empty */
    size_t nold = 0;
    while (nold < n && strcmp(record_csv_columns()[nold], "run_id") != 0)
        nold++;
    assert_true(nold < n);
    record_free(&c);
    f = record_to_csv_fields(&a, NULL);
    if (record_from_csv_fields((char *const *)record_csv_columns(), f, nold, &c, &rc, &e) != AB_OK)
        fail_msg("%s", e.msg);
    assert_string_equal(rc.run_id, "");
    assert_string_equal(rc.chip, "");
    /* ... as far as it has columns: the fields after the run columns are
     * newer than such a CSV (their defaults are checked below). */
    size_t first_run = 0;
    while (first_run < ab_record_nfields && ab_record_fields[first_run].type != RF_RUN)
        first_run++;
    assert_same_by_table_upto(&a, &c, NULL, NULL, 0, first_run);
    assert_int_equal(c.phase_repeats, 1);
    assert_int_equal(c.contended, -1);
    free_fields(f, n);
    record_free(&a);
    record_free(&b);
    record_free(&c);
}

/* A record holds a phase block only when a phase was measured: one read
 * from a file whose phases are null (or empty) has none and writes back the
 * same; one with a phase has it. */
static void test_phase_block_only_when_measured(void **state)
{
    (void)state;
    ab_record a, b;
    ab_runcols ra;
    ab_err e;
    ab_err_clear(&e);
    ab_case c;
    case_default(&c);
    record_init(&a, &c);
    a.status = AB_ST_FAILED;
    assert_null(a.ph);
    cJSON *j = record_to_json(&a, 1);
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    assert_non_null(strstr(text, "\"compile_ns\":null"));
    assert_non_null(strstr(text, "\"compile_samples_ns\":[]"));
    assert_int_equal(from_text(text, &b, &e), AB_OK);
    assert_null(b.ph);
    cJSON *j2 = record_to_json(&b, 1);
    char *text2 = cJSON_PrintUnformatted(j2);
    cJSON_Delete(j2);
    assert_string_equal(text, text2);
    free(text2);
    record_free(&b);
    /* its CSV row (compile_n "0", statistics empty) reads without one too */
    memset(&ra, 0, sizeof ra);
    char **f = record_to_csv_fields(&a, &ra);
    assert_non_null(f);
    size_t n = record_csv_ncolumns();
    assert_int_equal(record_from_csv_fields((char *const *)record_csv_columns(), f, n, &b, &ra, &e), AB_OK);
    assert_null(b.ph);
    free_fields(f, n);
    record_free(&b);
    /* a measured phase: a block, read back */
    const double t[] = {2e6, 3e6, 4e6};
    record_set_phase_samples(&a, AB_PH_LOAD, t, 3);
    assert_non_null(a.ph);
    assert_float_equal(a.load_ms, 3.0, 1e-12);
    j = record_to_json(&a, 1);
    free(text);
    text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    assert_int_equal(from_text(text, &b, &e), AB_OK);
    assert_non_null(b.ph);
    assert_int_equal(b.ph->st[AB_PH_LOAD].n, 3);
    assert_int_equal(b.ph->n_samples[AB_PH_LOAD], 3);
    assert_int_equal(b.ph->st[AB_PH_COMPILE].n, 0);
    free(text);
    record_free(&a);
    record_free(&b);
}

/* hw_source: a simulator's hw figures are a what-if, a device's are its
 * own; a file older than the field is read by the same rule. */
static void test_hw_whatif(void **state)
{
    (void)state;
    const double ns[3] = {100, 110, 120};
    for (int sim = 0; sim <= 1; sim++) {
        ab_record r;
        record_init(&r, NULL);
        r.simulated = sim;
        assert_string_equal(r.hw_source, "");
        assert_false(record_hw_whatif(&r));
        record_set_hw_samples(&r, ns, 3);
        assert_string_equal(r.hw_source, sim ? "what-if" : "device");
        assert_int_equal(record_hw_whatif(&r), sim);
        r.hw_source[0] = '\0'; /* as read from a file without the field */
        assert_int_equal(record_hw_whatif(&r), sim);
        record_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_init_and_samples),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_json_nulls_and_no_samples),
        cmocka_unit_test(test_json_minimal_from_key),
        cmocka_unit_test(test_json_bad_fields),
        cmocka_unit_test(test_csv_format),
        cmocka_unit_test(test_csv_round_trip_any_order),
        cmocka_unit_test(test_csv_round_trip_skipped),
        cmocka_unit_test(test_csv_bad_fields),
        cmocka_unit_test(test_field_table_is_the_format),
        cmocka_unit_test(test_field_table_round_trip),
        cmocka_unit_test(test_phase_block_only_when_measured),
        cmocka_unit_test(test_hw_whatif),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
