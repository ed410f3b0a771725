/* test_compare.c: joining two runs, classing cases, geometric means, the
 * cases listed apart, GFLOPS direction, sorting and the metadata header,
 * on records built in memory. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "harness/compare.h"
#include "harness/probe_compare.h"

#define KEY(cin, spatial, qos)                                                                               \
    "conv1x1 cin=" #cin " cout=" #cin " spatial=" #spatial " depth=1 io=fp32 qos=" #qos                      \
    " procedure=0 mode=normal"

/* A record with every measurement absent, as record_init leaves it. Its
 * texts are borrowed (string literals): these records are never freed. */
static void blank(ab_record *r, const char *key, ab_status st)
{
    memset(r, 0, sizeof *r);
    r->key = key;
    r->backend = "cpu";
    r->reason = r->hw_reason = "";
    r->status = st;
    r->compile_ms = r->load_ms = r->first_eval_ms = r->unload_ms = r->reload_ms = NAN;
    r->gflops_wall = r->gflops_hw = r->max_abs_err = r->tolerance = NAN;
    r->eval.median = r->eval.ci_low = r->eval.ci_high = NAN;
    r->hw.median = r->hw.ci_low = r->hw.ci_high = NAN;
    r->flops = 2.0 * 256 * 256 * 64;
}

/* Eval summary only (no raw samples): median and its CI, n. */
static void eval_summary(ab_record *r, double median, double lo, double hi, size_t n)
{
    r->eval.n = n;
    r->eval.median = median;
    r->eval.ci_low = lo;
    r->eval.ci_high = hi;
    r->gflops_wall = r->flops / median;
}

/* Raw samples: median*(1 + spread*(i/(n-1) - 0.5)), i = 0..n-1; the record
 * owns a copy (freed by drop). */
static void eval_samples(ab_record *r, double median, double spread, size_t n)
{
    r->eval_samples = malloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++)
        r->eval_samples[i] = median * (1.0 + spread * ((double)i / (double)(n - 1) - 0.5));
    r->n_eval_samples = n;
    eval_summary(r, median, median * (1 - spread / 4), median * (1 + spread / 4), n);
}

static void drop(ab_record *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(r[i].eval_samples);
}

static const ab_cmp_row *row_of(const ab_cmp *c, const char *key)
{
    for (size_t i = 0; i < c->nrows; i++)
        if (!strcmp(c->rows[i].base->key, key))
            return &c->rows[i];
    fail_msg("no row for %s", key);
    return NULL;
}

static ab_cmp_opts opts(ab_cmp_metric m)
{
    ab_cmp_opts o;
    cmp_opts_default(&o);
    o.metric = m;
    return o;
}

/* Keys on one side only; keys in both are joined whatever the order. */
static void test_join(void **state)
{
    (void)state;
    ab_record b[3], o[3];
    blank(&b[0], KEY(64, 32, 21), AB_ST_OK);
    blank(&b[1], KEY(128, 32, 21), AB_ST_OK);
    blank(&b[2], KEY(256, 32, 21), AB_ST_OK);
    blank(&o[0], KEY(512, 32, 21), AB_ST_OK);
    blank(&o[1], KEY(256, 32, 21), AB_ST_OK);
    blank(&o[2], KEY(128, 32, 21), AB_ST_OK);
    for (int i = 0; i < 3; i++) {
        eval_summary(&b[i], 1000, NAN, NAN, 10);
        eval_summary(&o[i], 1010, NAN, NAN, 10);
    }
    ab_cmp c;
    ab_cmp_opts op = opts(CMP_M_EVAL);
    assert_int_equal(compare_records(b, 3, o, 3, &op, &c, NULL), AB_OK);
    assert_int_equal(c.nrows, 2);
    assert_int_equal(compare_joined(&c), 2);
    assert_int_equal(c.nbase_only, 1);
    assert_string_equal(c.base_only[0]->key, KEY(64, 32, 21));
    assert_int_equal(c.nother_only, 1);
    assert_string_equal(c.other_only[0]->key, KEY(512, 32, 21));
    /* key order is axis-value order: cin 128 before 256 */
    assert_string_equal(c.rows[0].base->key, KEY(128, 32, 21));
    assert_ptr_equal(c.rows[0].other, &o[2]);
    assert_true(fabs(c.rows[0].ratio - 1.01) < 1e-12);
    assert_true(fabs(c.rows[0].change_pct - 1.0) < 1e-9);
    compare_free(&c);
}

/* Raw samples on both sides: the U test decides. */
/* A join of many records (enough for compare to split it in two halves on
 * two threads): every case lands in the one list its statuses and sides
 * say, once, paired with the other side's record of its key, each list in
 * key order, the counts summed over both halves. Cases cycle through: ok
 * on both sides (a row), ok / failed (status differs), failed on both (not
 * compared), base only; other also has keys base lacks. */
static void test_join_many(void **state)
{
    (void)state;
    enum { N = 30001 };
    ab_record *b = calloc(N, sizeof *b), *o = calloc(N + 100, sizeof *o);
    char(*keys)[128] = calloc(N + 100, sizeof *keys);
    assert_true(b && o && keys);
    size_t no = 0;
    for (size_t i = 0; i < N + 100; i++)
        snprintf(keys[i], sizeof keys[i],
                 "conv1x1 cin=%zu cout=%zu spatial=64 depth=1 io=fp32 qos=21 procedure=0 "
                 "mode=normal",
                 1 + i, 1 + i);
    for (size_t i = 0; i < N; i++) {
        int kind = (int)(i % 4);
        blank(&b[i], keys[i], kind == 2 ? AB_ST_FAILED : AB_ST_OK);
        eval_summary(&b[i], 100.0, 99.0, 101.0, 10);
        if (kind == 3)
            continue; /* base only */
        blank(&o[no], keys[i], kind == 0 ? AB_ST_OK : AB_ST_FAILED);
        eval_summary(&o[no++], i % 8 == 0 ? 200.0 : 100.0, i % 8 == 0 ? 199.0 : 99.0,
                     i % 8 == 0 ? 201.0 : 101.0, 10);
    }
    for (size_t i = N; i < N + 100; i++)
        blank(&o[no++], keys[i], AB_ST_OK);
    ab_cmp_opts opt;
    cmp_opts_default(&opt);
    ab_cmp c;
    ab_err e;
    assert_int_equal(compare_records(b, N, o, no, &opt, &c, &e), AB_OK);
    size_t want[4] = {(N + 3) / 4, (N + 2) / 4, (N + 1) / 4, N / 4};
    assert_int_equal(c.nrows, want[0]);
    assert_int_equal(c.ndiffers, want[1]);
    assert_int_equal(c.nuncompared, want[2]);
    assert_int_equal(c.nbase_only, want[3]);
    assert_int_equal(c.nother_only, 100);
    assert_int_equal(c.counts[CMP_SLOWER], (N + 7) / 8);
    assert_int_equal(c.counts[CMP_SAME], want[0] - (N + 7) / 8);
    for (size_t i = 0; i < c.nrows; i++) {
        assert_ptr_equal(c.rows[i].base, &b[4 * i]);
        assert_string_equal(c.rows[i].other->key, c.rows[i].base->key);
    }
    for (size_t i = 0; i < c.ndiffers; i++) {
        assert_ptr_equal(c.differs[i].base, &b[4 * i + 1]);
        assert_string_equal(c.differs[i].other->key, b[4 * i + 1].key);
    }
    for (size_t i = 0; i < c.nuncompared; i++)
        assert_ptr_equal(c.uncompared[i].base, &b[4 * i + 2]);
    for (size_t i = 0; i < c.nbase_only; i++)
        assert_ptr_equal(c.base_only[i], &b[4 * i + 3]);
    compare_free(&c);
    free(b);
    free(o);
    free(keys);
}

static void test_classes_with_samples(void **state)
{
    (void)state;
    ab_record b[4], o[4];
    const char *keys[4] = {KEY(64, 32, 21), KEY(128, 32, 21), KEY(256, 32, 21), KEY(512, 32, 21)};
    for (int i = 0; i < 4; i++) {
        blank(&b[i], keys[i], AB_ST_OK);
        blank(&o[i], keys[i], AB_ST_OK);
    }
    eval_samples(&b[0], 1000, 0.02, 30); /* faster: -20% */
    eval_samples(&o[0], 800, 0.02, 30);
    eval_samples(&b[1], 1000, 0.02, 30); /* slower: +20% */
    eval_samples(&o[1], 1200, 0.02, 30);
    eval_samples(&b[2], 1000, 0.02, 30); /* same: +2% */
    eval_samples(&o[2], 1020, 0.02, 30);
    eval_samples(&b[3], 1000, 1.0, 3); /* unclear: +20% on 3 wide samples each */
    eval_samples(&o[3], 1200, 1.0, 3);
    ab_cmp c;
    ab_cmp_opts op = opts(CMP_M_EVAL);
    assert_int_equal(compare_records(b, 4, o, 4, &op, &c, NULL), AB_OK);
    const ab_cmp_row *r = row_of(&c, keys[0]);
    assert_int_equal(r->cls, CMP_FASTER);
    assert_int_equal(r->test, CMP_TEST_MWU);
    assert_true(r->p < 1e-6);
    assert_int_equal(row_of(&c, keys[1])->cls, CMP_SLOWER);
    assert_int_equal(row_of(&c, keys[2])->cls, CMP_SAME);
    r = row_of(&c, keys[3]);
    assert_int_equal(r->cls, CMP_UNCLEAR);
    assert_true(r->p >= 0.05);
    assert_int_equal(c.counts[CMP_FASTER], 1);
    assert_int_equal(c.counts[CMP_SLOWER], 1);
    assert_int_equal(c.counts[CMP_SAME], 1);
    assert_int_equal(c.counts[CMP_UNCLEAR], 1);
    compare_free(&c);

    /* A looser threshold turns the +-20% cases into "same". */
    op.threshold_pct = 25;
    assert_int_equal(compare_records(b, 4, o, 4, &op, &c, NULL), AB_OK);
    assert_int_equal(c.counts[CMP_SAME], 4);
    compare_free(&c);
    drop(b, 4);
    drop(o, 4);
}

/* No samples: the medians' CIs decide; one CI alone tests the other value. */
static void test_classes_by_ci(void **state)
{
    (void)state;
    ab_record b[4], o[4];
    const char *keys[4] = {KEY(64, 32, 21), KEY(128, 32, 21), KEY(256, 32, 21), KEY(512, 32, 21)};
    for (int i = 0; i < 4; i++) {
        blank(&b[i], keys[i], AB_ST_OK);
        blank(&o[i], keys[i], AB_ST_OK);
    }
    eval_summary(&b[0], 1000, 990, 1010, 50); /* CIs apart: slower */
    eval_summary(&o[0], 1100, 1090, 1110, 50);
    eval_summary(&b[1], 1000, 900, 1150, 50); /* CIs overlap: unclear */
    eval_summary(&o[1], 1100, 1050, 1200, 50);
    eval_summary(&b[2], 1000, 990, 1010, 50); /* other has no CI, outside base's: faster */
    eval_summary(&o[2], 800, NAN, NAN, 10);
    eval_summary(&b[3], 1000, 800, 1300, 50); /* other inside base's CI: unclear */
    eval_summary(&o[3], 1200, NAN, NAN, 10);
    ab_cmp c;
    ab_cmp_opts op = opts(CMP_M_EVAL);
    assert_int_equal(compare_records(b, 4, o, 4, &op, &c, NULL), AB_OK);
    const ab_cmp_row *r = row_of(&c, keys[0]);
    assert_int_equal(r->test, CMP_TEST_CI);
    assert_true(isnan(r->p));
    assert_int_equal(r->cls, CMP_SLOWER);
    assert_int_equal(row_of(&c, keys[1])->cls, CMP_UNCLEAR);
    assert_int_equal(row_of(&c, keys[2])->cls, CMP_FASTER);
    assert_int_equal(row_of(&c, keys[3])->cls, CMP_UNCLEAR);
    compare_free(&c);
}

/* Single measurements (compile): no test, the threshold alone decides. */
static void test_phase_metric(void **state)
{
    (void)state;
    ab_record b[2], o[2];
    blank(&b[0], KEY(64, 32, 21), AB_ST_OK);
    blank(&o[0], KEY(64, 32, 21), AB_ST_OK);
    blank(&b[1], KEY(128, 32, 21), AB_ST_OK);
    blank(&o[1], KEY(128, 32, 21), AB_ST_OK);
    b[0].compile_ms = 10.0;
    o[0].compile_ms = 12.0;
    b[1].compile_ms = 10.0; /* other side never compiled: uncompared */
    ab_cmp c;
    ab_cmp_opts op = opts(CMP_M_COMPILE);
    assert_int_equal(compare_records(b, 2, o, 2, &op, &c, NULL), AB_OK);
    assert_int_equal(c.nrows, 1);
    assert_int_equal(c.rows[0].test, CMP_TEST_NONE);
    assert_int_equal(c.rows[0].cls, CMP_SLOWER);
    assert_int_equal(c.nuncompared, 1);
    assert_string_equal(c.uncompared[0].why, "no value on the other side");
    compare_free(&c);
}

/* GFLOPS: higher is better, so a higher OTHER is "faster", and the same
 * pair of records classes the same way under eval and gflops. */
static void test_gflops_direction(void **state)
{
    (void)state;
    ab_record b[1], o[1];
    blank(&b[0], KEY(256, 64, 21), AB_ST_OK);
    blank(&o[0], KEY(256, 64, 21), AB_ST_OK);
    eval_samples(&b[0], 70000, 0.02, 40);
    eval_samples(&o[0], 60000, 0.02, 40);
    ab_cmp c;
    ab_cmp_opts op = opts(CMP_M_GFLOPS);
    assert_int_equal(compare_records(b, 1, o, 1, &op, &c, NULL), AB_OK);
    assert_true(c.rows[0].ratio > 1.0);
    assert_true(fabs(c.rows[0].ratio - 70000.0 / 60000.0) < 1e-12);
    assert_int_equal(c.rows[0].test, CMP_TEST_MWU);
    assert_int_equal(c.rows[0].cls, CMP_FASTER);
    compare_free(&c);
    op = opts(CMP_M_EVAL);
    assert_int_equal(compare_records(b, 1, o, 1, &op, &c, NULL), AB_OK);
    assert_true(c.rows[0].ratio < 1.0);
    assert_int_equal(c.rows[0].cls, CMP_FASTER);
    compare_free(&c);
    /* and the other way round: lower GFLOPS is slower */
    op = opts(CMP_M_GFLOPS);
    assert_int_equal(compare_records(o, 1, b, 1, &op, &c, NULL), AB_OK);
    assert_int_equal(c.rows[0].cls, CMP_SLOWER);
    compare_free(&c);
    drop(b, 1);
    drop(o, 1);
}

/* Geometric means over all rows and per value of each varying axis; cases
 * whose status differs or that failed on both sides stay out of them. */
static void test_geomeans_and_apart(void **state)
{
    (void)state;
    enum { N = 6 };
    ab_record b[N], o[N];
    const char *keys[N] = {KEY(256, 32, 0),  KEY(256, 64, 0), KEY(512, 32, 0),
                           KEY(512, 64, 21), KEY(64, 32, 21), KEY(64, 64, 21)};
    const double ratio[4] = {2.0, 1.5, 0.5, 0.8};
    for (int i = 0; i < N; i++) {
        blank(&b[i], keys[i], AB_ST_OK);
        blank(&o[i], keys[i], AB_ST_OK);
        eval_summary(&b[i], 1000, NAN, NAN, 10);
        eval_summary(&o[i], 1000 * (i < 4 ? ratio[i] : 100.0), NAN, NAN, 10);
    }
    o[4].status = AB_ST_FAILED; /* status differs */
    o[4].reason = "compile failed";
    b[5].status = o[5].status = AB_ST_SKIPPED; /* both skipped */
    ab_cmp c;
    ab_cmp_opts op = opts(CMP_M_EVAL);
    assert_int_equal(compare_records(b, N, o, N, &op, &c, NULL), AB_OK);
    assert_int_equal(c.nrows, 4);
    assert_int_equal(c.ndiffers, 1);
    assert_string_equal(c.differs[0].base->key, keys[4]);
    assert_int_equal(c.differs[0].other->status, AB_ST_FAILED);
    assert_int_equal(c.nuncompared, 1);
    assert_string_equal(c.uncompared[0].why, "not ok on either side");
    assert_int_equal(compare_joined(&c), 6);
    assert_true(fabs(c.geomean - pow(2.0 * 1.5 * 0.5 * 0.8, 0.25)) < 1e-12);

    /* cin varies (256, 512), cout with it, spatial (32, 64), qos (0, 21);
     * depth, io, procedure, mode do not. */
    int seen[AX_COUNT] = {0};
    for (size_t i = 0; i < c.ngroups; i++)
        seen[c.groups[i].axis]++;
    assert_int_equal(seen[AX_CIN], 2);
    assert_int_equal(seen[AX_COUT], 2);
    assert_int_equal(seen[AX_SPATIAL], 2);
    assert_int_equal(seen[AX_QOS], 2);
    assert_int_equal(seen[AX_DEPTH] + seen[AX_IO] + seen[AX_PROCEDURE] + seen[AX_MODE], 0);
    struct {
        int axis;
        const char *label;
        size_t n;
        double gm;
    } want[] = {
        {AX_CIN, "256", 2, sqrt(2.0 * 1.5)},     {AX_CIN, "512", 2, sqrt(0.5 * 0.8)},
        {AX_SPATIAL, "32", 2, sqrt(2.0 * 0.5)},  {AX_SPATIAL, "64", 2, sqrt(1.5 * 0.8)},
        {AX_QOS, "0", 3, cbrt(2.0 * 1.5 * 0.5)}, {AX_QOS, "21", 1, 0.8},
    };
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        int found = 0;
        for (size_t i = 0; i < c.ngroups; i++)
            if (c.groups[i].axis == want[w].axis && !strcmp(c.groups[i].label, want[w].label)) {
                found = 1;
                assert_int_equal(c.groups[i].n, want[w].n);
                assert_true(fabs(c.groups[i].geomean - want[w].gm) < 1e-12);
            }
        if (!found)
            fail_msg("no group %d=%s", want[w].axis, want[w].label);
    }
    /* groups: axis order, values ascending */
    for (size_t i = 1; i < c.ngroups; i++)
        assert_true(c.groups[i - 1].axis < c.groups[i].axis ||
                    (c.groups[i - 1].axis == c.groups[i].axis && c.groups[i - 1].value < c.groups[i].value));
    compare_free(&c);
}

/* --sort change: biggest regression first (for GFLOPS: biggest drop). */
static void test_sort(void **state)
{
    (void)state;
    ab_record b[3], o[3];
    const char *keys[3] = {KEY(64, 32, 21), KEY(128, 32, 21), KEY(256, 32, 21)};
    const double f[3] = {0.5, 3.0, 1.2};
    for (int i = 0; i < 3; i++) {
        blank(&b[i], keys[i], AB_ST_OK);
        blank(&o[i], keys[i], AB_ST_OK);
        eval_summary(&b[i], 1000, NAN, NAN, 10);
        eval_summary(&o[i], 1000 * f[i], NAN, NAN, 10);
    }
    ab_cmp c;
    ab_cmp_opts op = opts(CMP_M_EVAL);
    assert_int_equal(compare_records(b, 3, o, 3, &op, &c, NULL), AB_OK);
    compare_sort(&c, CMP_SORT_CHANGE);
    assert_string_equal(c.rows[0].base->key, keys[1]);
    assert_string_equal(c.rows[1].base->key, keys[2]);
    assert_string_equal(c.rows[2].base->key, keys[0]);
    compare_sort(&c, CMP_SORT_KEY);
    assert_string_equal(c.rows[0].base->key, keys[0]);
    compare_free(&c);
    op = opts(CMP_M_GFLOPS);
    assert_int_equal(compare_records(b, 3, o, 3, &op, &c, NULL), AB_OK);
    compare_sort(&c, CMP_SORT_CHANGE);
    assert_string_equal(c.rows[0].base->key, keys[1]); /* 1/3 the GFLOPS: worst */
    assert_string_equal(c.rows[2].base->key, keys[0]);
    compare_free(&c);
}

/* A key seen twice in one run (a resumed journal): the later record wins. */
static void test_duplicates(void **state)
{
    (void)state;
    ab_record b[2], o[1];
    blank(&b[0], KEY(64, 32, 21), AB_ST_FAILED);
    blank(&b[1], KEY(64, 32, 21), AB_ST_OK);
    blank(&o[0], KEY(64, 32, 21), AB_ST_OK);
    eval_summary(&b[1], 1000, NAN, NAN, 10);
    eval_summary(&o[0], 1000, NAN, NAN, 10);
    ab_cmp c;
    ab_cmp_opts op = opts(CMP_M_EVAL);
    assert_int_equal(compare_records(b, 2, o, 1, &op, &c, NULL), AB_OK);
    assert_int_equal(c.dup_base, 1);
    assert_int_equal(c.nrows, 1);
    assert_ptr_equal(c.rows[0].base, &b[1]);
    compare_free(&c);
}

static void test_bad_options(void **state)
{
    (void)state;
    ab_record b[1];
    blank(&b[0], KEY(64, 32, 21), AB_ST_OK);
    ab_cmp c;
    ab_err e;
    ab_cmp_opts op = opts(CMP_M_EVAL);
    op.alpha = 1.5;
    assert_int_equal(compare_records(b, 1, b, 1, &op, &c, &e), AB_EUSAGE);
    op = opts(CMP_M_EVAL);
    op.threshold_pct = -1;
    assert_int_equal(compare_records(b, 1, b, 1, &op, &c, &e), AB_EUSAGE);
    assert_int_equal(cmp_metric_find("gflops"), CMP_M_GFLOPS);
    assert_int_equal(cmp_metric_find("first-eval"), CMP_M_FIRST_EVAL);
    assert_int_equal(cmp_metric_find("bogus"), -1);
}

/* The header: fields from run.json, simulated-vs-real and backend notes. */
static void test_context(void **state)
{
    (void)state;
    ab_record rb, ro;
    blank(&rb, KEY(64, 32, 21), AB_ST_OK);
    blank(&ro, KEY(64, 32, 21), AB_ST_OK);
    ab_run base = {.recs = &rb, .n = 1}, other = {.recs = &ro, .n = 1};
    snprintf(base.origin, sizeof base.origin, "m5-sim");
    snprintf(other.origin, sizeof other.origin, "m5-ref");
    cJSON *mb = cJSON_Parse(
        "{\"schema_version\":1,\"kind\":\"anebench-run\",\"started\":\"2026-11-25T10:00:00Z\","
        "\"host\":{\"chip\":null,\"cpu_model\":\"Xeon\",\"os_build\":\"6.1\"},"
        "\"backend\":{\"name\":\"ane-sim:m5\",\"engine\":\"ane\",\"simulated\":true,\"family\":\"H16\"},"
        "\"tool\":{\"version\":\"0.1.0\",\"git\":\"abc\"}}");
    cJSON *mo =
        cJSON_Parse("{\"schema_version\":1,\"kind\":\"anebench-run\",\"started\":\"2026-03-01T00:00:00Z\","
                    "\"host\":{\"chip\":\"Apple M5\",\"os_build\":\"25.3.0\",\"ane_family\":\"H16\"},"
                    "\"backend\":{\"name\":\"ane\",\"engine\":\"ane\",\"simulated\":false},"
                    "\"tool\":{\"version\":\"0.1.0\",\"git\":\"abc\"}}");
    assert_int_equal(runinfo_from_json(mb, "base", &base.info, NULL), AB_OK);
    assert_int_equal(runinfo_from_json(mo, "other", &other.info, NULL), AB_OK);
    base.has_info = other.has_info = 1;
    ab_cmp_context ctx;
    compare_context(&base, &other, &ctx);
    assert_int_equal(ctx.simulated_mix, 1);
    assert_int_equal(ctx.backends_differ, 1);
    assert_int_equal(ctx.engines_differ, 0);
    assert_non_null(strstr(ctx.note[0], "simulated"));
    assert_non_null(strstr(ctx.note[0], "ane-sim:m5"));
    int chip = -1, harness = -1, family = -1;
    for (int i = 0; i < CMP_META_FIELDS; i++) {
        if (!strcmp(ctx.f[i].name, "ane family"))
            family = i;
        if (!strcmp(ctx.f[i].name, "chip"))
            chip = i;
        if (!strcmp(ctx.f[i].name, "harness"))
            harness = i;
    }
    assert_true(chip >= 0 && harness >= 0 && family >= 0);
    assert_string_equal(ctx.f[family].base, "H16"); /* from backend.family: host.ane_family absent */
    assert_string_equal(ctx.f[family].other, "H16");
    assert_false(ctx.f[family].differs);
    assert_string_equal(ctx.f[chip].base, "Xeon");
    assert_string_equal(ctx.f[chip].other, "Apple M5");
    assert_true(ctx.f[chip].differs);
    assert_false(ctx.f[harness].differs);
    assert_int_equal(compare_check_run(&base, NULL), AB_OK);

    /* Bare journals: the records say the backend; cpu vs ane is a different engine. */
    base.has_info = other.has_info = 0;
    ro.backend = "ane-sim:m4";
    ro.simulated = true;
    compare_context(&base, &other, &ctx);
    assert_int_equal(ctx.simulated_mix, 1);
    assert_int_equal(ctx.engines_differ, 1);
    int any = 0;
    for (int i = 0; i < 3; i++)
        any |= strstr(ctx.note[i], "different engines: cpu") != NULL;
    assert_true(any);

    /* Checks: schema version, kind (by the run info's reader), empty runs. */
    ab_err e;
    ab_runinfo bad;
    cJSON_ReplaceItemInObject(mb, "schema_version", cJSON_CreateNumber(2));
    assert_int_equal(runinfo_from_json(mb, "m5-sim", &bad, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "schema_version 2"));
    assert_non_null(strstr(e.msg, "m5-sim"));
    runinfo_free(&bad);
    cJSON_ReplaceItemInObject(mo, "kind", cJSON_CreateString("anebench-probe"));
    assert_int_equal(runinfo_from_json(mo, "m5-ref", &bad, &e), AB_EUSAGE);
    runinfo_free(&bad);
    runinfo_free(&base.info);
    runinfo_free(&other.info);
    base.n = 0;
    assert_int_equal(compare_check_run(&base, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "no cases"));
    cJSON_Delete(mb);
    cJSON_Delete(mo);
}

/* The JSON form carries the same counts and rows. */
static void test_json(void **state)
{
    (void)state;
    ab_record b[2], o[2];
    blank(&b[0], KEY(64, 32, 21), AB_ST_OK);
    blank(&o[0], KEY(64, 32, 21), AB_ST_OK);
    blank(&b[1], KEY(128, 32, 21), AB_ST_OK);
    blank(&o[1], KEY(128, 32, 21), AB_ST_TIMEOUT);
    eval_summary(&b[0], 1000, NAN, NAN, 10);
    eval_summary(&o[0], 2000, NAN, NAN, 10);
    eval_summary(&b[1], 1000, NAN, NAN, 10);
    ab_cmp c;
    ab_cmp_opts op = opts(CMP_M_EVAL);
    assert_int_equal(compare_records(b, 2, o, 2, &op, &c, NULL), AB_OK);
    cJSON *j = compare_to_json(&c, NULL, "a", "b");
    char *text = cJSON_PrintUnformatted(j);
    cJSON *back = cJSON_Parse(text);
    assert_non_null(back);
    cJSON *s = cJSON_GetObjectItem(back, "summary");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "counts"), "slower")->valueint, 1);
    assert_true(cJSON_GetObjectItem(s, "geomean_ratio")->valuedouble == 2.0);
    cJSON *rows = cJSON_GetObjectItem(back, "cases");
    assert_int_equal(cJSON_GetArraySize(rows), 1);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 0), "p")));
    cJSON *d = cJSON_GetObjectItem(back, "status_differs");
    assert_int_equal(cJSON_GetArraySize(d), 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(d, 0), "other_status")->valuestring,
                        "timeout");
    free(text);
    cJSON_Delete(j);
    cJSON_Delete(back);
    compare_free(&c);
}

/* Probe reports: result changes, figures that differ, a probe on one side. */
static void test_probe_diff(void **state)
{
    (void)state;
    cJSON *a = cJSON_Parse(
        "{\"schema_version\":1,\"kind\":\"anebench-probe\",\"backend\":\"ane-sim:m4\",\"simulated\":true,"
        "\"device\":{\"chip\":\"Apple M4\",\"family\":\"H16\",\"cores\":16},"
        "\"probes\":[{\"name\":\"realtime\",\"result\":\"unsupported\",\"finding\":\"refused\",\"figures\":{}"
        "},"
        "{\"name\":\"qos-sweep\",\"result\":\"pass\",\"figures\":{\"eval_ms\":0.097,\"n\":8,\"label\":\"x\"}}"
        ","
        "{\"name\":\"class-census\",\"result\":\"pass\"}]}");
    cJSON *b = cJSON_Parse(
        "{\"schema_version\":1,\"kind\":\"anebench-probe\",\"backend\":\"ane\",\"simulated\":false,"
        "\"device\":{\"chip\":\"Apple M5\",\"family\":\"H16\",\"cores\":16},"
        "\"probes\":[{\"name\":\"qos-sweep\",\"result\":\"pass\",\"figures\":{\"eval_ms\":0.069,\"n\":8,"
        "\"new\":1}},{\"name\":\"realtime\",\"result\":\"pass\",\"finding\":\"works\"},"
        "{\"name\":\"perf-stats\",\"result\":\"partial\"}]}");
    assert_non_null(a);
    assert_non_null(b);
    ab_err e;
    assert_int_equal(probe_check(a, "a.json", &e), AB_OK);
    assert_int_equal(probe_check(b, "b.json", &e), AB_OK);
    ab_probe_cmp pc;
    assert_int_equal(probe_compare(a, b, &pc, &e), AB_OK);
    assert_int_equal(pc.nrows, 4); /* realtime, qos-sweep, class-census, perf-stats */
    assert_string_equal(pc.rows[0].name, "realtime");
    assert_true(pc.rows[0].differs);
    assert_string_equal(pc.rows[0].base_result, "unsupported");
    assert_string_equal(pc.rows[0].other_result, "pass");
    assert_string_equal(pc.rows[0].other_finding, "works");
    const ab_probe_row *q = &pc.rows[1];
    assert_string_equal(q->name, "qos-sweep");
    assert_false(q->differs);
    assert_int_equal(q->nfigs, 4); /* eval_ms, n, label, new */
    assert_int_equal(q->nfigs_differ, 3);
    assert_true(q->figs[0].differs);           /* eval_ms 0.097 -> 0.069 */
    assert_false(q->figs[1].differs);          /* n 8 -> 8 */
    assert_string_equal(q->figs[2].other, ""); /* label only in BASE */
    assert_string_equal(q->figs[3].base, "");  /* new only in OTHER */
    assert_true(pc.rows[2].differs);           /* class-census absent in OTHER */
    assert_string_equal(pc.rows[2].other_result, "");
    assert_string_equal(pc.rows[3].name, "perf-stats");
    assert_string_equal(pc.rows[3].base_result, "");
    assert_int_equal(pc.ndiffer, 3);
    assert_true(pc.simulated_mix);
    int chip = -1;
    for (int i = 0; i < PROBE_META_FIELDS; i++)
        if (!strcmp(pc.f[i].name, "chip"))
            chip = i;
    assert_true(chip >= 0 && pc.f[chip].differs);
    probe_compare_free(&pc);

    cJSON_ReplaceItemInObject(b, "schema_version", cJSON_CreateNumber(3));
    assert_int_equal(probe_check(b, "b.json", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "b.json"));
    cJSON_DeleteItemFromObject(a, "probes");
    assert_int_equal(probe_check(a, "a.json", &e), AB_EUSAGE);
    assert_false(probe_is_report(cJSON_GetObjectItem(b, "device")));
    cJSON_Delete(a);
    cJSON_Delete(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_join_many),
        cmocka_unit_test(test_classes_with_samples),
        cmocka_unit_test(test_classes_by_ci),
        cmocka_unit_test(test_phase_metric),
        cmocka_unit_test(test_gflops_direction),
        cmocka_unit_test(test_geomeans_and_apart),
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_context),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_probe_diff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
