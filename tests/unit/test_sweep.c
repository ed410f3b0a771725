/* test_sweep.c: sweep files, presets, --axis / --zip overrides, enumeration
 * (order, zip, duplicates, size cap, memory guard) and the selection options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "bench/selection.h"
#include "harness/case.h"
#include "harness/sweep.h"

static int load(ab_sweep *s, const char *text, ab_err *e)
{
    ab_err_clear(e);
    return sweep_load_text(s, text, strlen(text), "t.json", e);
}

/* Loads text, enumerates, and returns the keys joined by '|'. */
static char *keys_of(const ab_sweep *s, size_t *n)
{
    ab_case *cases;
    ab_err e;
    if (sweep_enumerate(s, 0, &cases, n, &e))
        fail_msg("enumerate: %s", e.msg);
    char *out = calloc(*n + 1, AB_KEY_MAX);
    for (size_t i = 0; i < *n; i++) {
        char key[AB_KEY_MAX];
        assert_int_equal(cases[i].index, i);
        case_key(&cases[i], key, sizeof key);
        if (i)
            strcat(out, "|");
        strcat(out, key + strlen("conv1x1 "));
    }
    free(cases);
    return out;
}

static void test_load_and_order(void **state)
{
    (void)state;
    ab_sweep s;
    sweep_init(&s);
    ab_err e;
    assert_int_equal(load(&s,
                          "{\"name\": \"t\", \"description\": \"d\", \"sweeps\": [{\"axes\": "
                          "{\"spatial\": [32, 64], \"cin\": \"64..128*2\", \"io\": [\"fp16\"]}}],"
                          " \"settings\": {\"warmup\": 0}}",
                          &e),
                     0);
    assert_string_equal(s.name, "t");
    assert_string_equal(s.description, "d");
    assert_int_equal(s.nsubs, 1);
    assert_non_null(s.settings);
    size_t n;
    char *keys = keys_of(&s, &n);
    assert_int_equal(n, 4);
    /* Axis-table order, last axis fastest: cin outer, spatial inner. */
    assert_string_equal(keys, "cin=64 cout=64 spatial=32 depth=1 io=fp16 qos=21 procedure=0 mode=normal|"
                              "cin=64 cout=64 spatial=64 depth=1 io=fp16 qos=21 procedure=0 mode=normal|"
                              "cin=128 cout=128 spatial=32 depth=1 io=fp16 qos=21 procedure=0 mode=normal|"
                              "cin=128 cout=128 spatial=64 depth=1 io=fp16 qos=21 procedure=0 mode=normal");
    free(keys);
    sweep_free(&s);
}

static void test_value_forms(void **state)
{
    (void)state;
    ab_sweep s;
    sweep_init(&s);
    ab_err e;
    assert_int_equal(load(&s,
                          "{\"sweeps\": [{\"axes\": {\"qos\": [1, \"5..7\", 9], "
                          "\"depth\": 2, \"mode\": \"normal,rt\"}}]}",
                          &e),
                     0);
    const ab_values *q = &s.subs[0].axes[AX_QOS];
    assert_true(q->set);
    assert_int_equal(q->n, 5);
    long want[] = {1, 5, 6, 7, 9};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(q->v[i], want[i]);
    assert_int_equal(s.subs[0].axes[AX_DEPTH].n, 1);
    assert_int_equal(s.subs[0].axes[AX_DEPTH].v[0], 2);
    assert_int_equal(s.subs[0].axes[AX_MODE].n, 2);
    assert_false(s.subs[0].axes[AX_CIN].set);
    sweep_free(&s);
}

static void expect_load_error(const char *text, const char *token)
{
    ab_sweep s;
    sweep_init(&s);
    ab_err e;
    assert_int_equal(load(&s, text, &e), AB_EUSAGE);
    assert_int_equal(s.nsubs, 0); /* nothing half-loaded */
    assert_non_null(strstr(e.msg, "t.json"));
    assert_null(strchr(e.msg, '\n'));
    if (!strstr(e.msg, token))
        fail_msg("message '%s' does not name '%s'", e.msg, token);
    sweep_free(&s);
}

static void test_bad_files(void **state)
{
    (void)state;
    expect_load_error("", "end of input");
    expect_load_error("{\"sweeps\": [ {\"axes\": {\"cin\": 64}} ]", "line 1");
    expect_load_error("{\"sweeps\": [}", "near '}'");
    expect_load_error("{\"sweeps\":\n  [{\"axes\": {\"cin\": 64}}] } trailing", "line 2");
    expect_load_error("{\"sweeps\": [{\"axes\": {}}]} trailing", "trailing");
    expect_load_error("[]", "top level");
    expect_load_error("{}", "sweeps");
    expect_load_error("{\"sweeps\": []}", "sweeps");
    expect_load_error("{\"sweeps\": {}}", "sweeps");
    expect_load_error("{\"sweeps\": [{}], \"colour\": 1}", "colour");
    expect_load_error("{\"sweeps\": [{\"axis\": {}}]}", "axis");
    expect_load_error("{\"sweeps\": [{\"axes\": {\"cim\": 64}}]}", "cim");
    expect_load_error("{\"sweeps\": [{\"axes\": {\"qos\": 64}}]}", "64");
    expect_load_error("{\"sweeps\": [{}, {\"axes\": {\"qos\": \"1..70\"}}]}", "sweeps[1]");
    expect_load_error("{\"sweeps\": [{\"axes\": {\"cin\": 1.5}}]}", "1.5");
    expect_load_error("{\"sweeps\": [{\"axes\": {\"cin\": true}}]}", "cin");
    expect_load_error("{\"sweeps\": [{\"axes\": {\"cin\": []}}]}", "empty");
    expect_load_error("{\"sweeps\": [{\"axes\": {\"cin\": [[64]]}}]}", "cin");
    expect_load_error("{\"sweeps\": [{\"axes\": {\"io\": [1]}}]}", "'1'");
    expect_load_error("{\"sweeps\": [{\"axes\": {\"cin\": 64, \"cin\": 128}}]}", "cin");
    expect_load_error("{\"sweeps\": [{\"axes\": 5}]}", "axes");
    expect_load_error("{\"sweeps\": [5]}", "sweeps[0]");
    expect_load_error("{\"name\": 5, \"sweeps\": [{}]}", "name");
    expect_load_error("{\"sweeps\": [{}], \"settings\": {\"warmup\": -1}}", "-1");
    expect_load_error("{\"sweeps\": [{}], \"settings\": {\"wamrup\": 1}}", "wamrup");
    expect_load_error("{\"sweeps\": [{\"zip\": [[\"cin\"]]}]}", "two axes");
    expect_load_error("{\"sweeps\": [{\"zip\": [[\"cin\", \"foo\"]]}]}", "foo");
    expect_load_error("{\"sweeps\": [{\"zip\": [[\"cin\", \"cin\"]]}]}", "cin");
    expect_load_error("{\"sweeps\": [{\"zip\": [[\"cin\", \"cout\"], [\"cin\", \"qos\"]]}]}", "cin");
    expect_load_error("{\"sweeps\": [{\"zip\": [\"cin\", \"cout\"]}]}", "zip");
    expect_load_error("{\"sweeps\": [{\"zip\": [[1, 2]]}]}", "zip");
}

static void test_zip(void **state)
{
    (void)state;
    ab_sweep s;
    sweep_init(&s);
    ab_err e;
    assert_int_equal(load(&s,
                          "{\"sweeps\": [{\"axes\": {\"cin\": \"64,128,256\", \"spatial\": "
                          "\"10,20,30\", \"qos\": \"1,2\"}, \"zip\": [[\"spatial\", \"cin\"]]}]}",
                          &e),
                     0);
    size_t n;
    char *keys = keys_of(&s, &n);
    assert_int_equal(n, 6);
    assert_non_null(strstr(keys, "cin=64 cout=64 spatial=10 depth=1 io=fp32 qos=1 "));
    assert_non_null(strstr(keys, "cin=256 cout=256 spatial=30 depth=1 io=fp32 qos=2 "));
    assert_null(strstr(keys, "cin=64 cout=64 spatial=20"));
    /* The zip dimension sits at cin (first axis), qos varies fastest. */
    assert_true(strncmp(keys,
                        "cin=64 cout=64 spatial=10 depth=1 io=fp32 qos=1 procedure=0 "
                        "mode=normal|cin=64 cout=64 spatial=10 depth=1 io=fp32 qos=2",
                        100) == 0);
    free(keys);

    /* Length mismatch, from an override, is reported at enumeration. */
    assert_int_equal(sweep_set_axis(&s, "spatial=1,2", &e), 0);
    ab_case *cases;
    assert_int_equal(sweep_enumerate(&s, 0, &cases, &n, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "zip cin,spatial"));
    assert_non_null(strstr(e.msg, "3 values"));
    assert_non_null(strstr(e.msg, "spatial has 2"));
    sweep_free(&s);
}

static void test_axis_and_zip_overrides(void **state)
{
    (void)state;
    ab_sweep s;
    sweep_init(&s);
    ab_err e;
    /* No file: --axis creates the one sub-sweep. */
    assert_int_equal(sweep_set_axis(&s, "cin=64,128", &e), 0);
    assert_int_equal(sweep_set_axis(&s, "cout=32,16", &e), 0);
    assert_int_equal(sweep_zip(&s, "cin,cout", &e), 0);
    size_t n;
    char *keys = keys_of(&s, &n);
    assert_int_equal(n, 2);
    assert_true(strncmp(keys, "cin=64 cout=32 ", 15) == 0);
    assert_non_null(strstr(keys, "|cin=128 cout=16 "));
    free(keys);
    /* Zip groups merge when they share an axis. */
    assert_int_equal(sweep_set_axis(&s, "qos=1,2", &e), 0);
    assert_int_equal(sweep_zip(&s, "qos,cout", &e), 0);
    assert_true(s.subs[0].zip_group[AX_CIN] == s.subs[0].zip_group[AX_QOS]);
    keys = keys_of(&s, &n);
    assert_int_equal(n, 2);
    free(keys);
    sweep_free(&s);

    /* --axis overrides the axis in every sub-sweep, others untouched. */
    assert_int_equal(load(&s,
                          "{\"sweeps\": [{\"axes\": {\"cin\": 64}}, {\"axes\": {\"cin\": 512, "
                          "\"depth\": \"1,4\"}}]}",
                          &e),
                     0);
    assert_int_equal(sweep_set_axis(&s, "cin=32", &e), 0);
    keys = keys_of(&s, &n);
    assert_int_equal(n, 2); /* cin=32 depth=1 appears in both: kept once */
    assert_string_equal(keys, "cin=32 cout=32 spatial=64 depth=1 io=fp32 qos=21 procedure=0 mode=normal|"
                              "cin=32 cout=32 spatial=64 depth=4 io=fp32 qos=21 procedure=0 mode=normal");
    free(keys);
    sweep_free(&s);
}

static void expect_override_error(int zip, const char *arg, const char *token)
{
    ab_sweep s;
    sweep_init(&s);
    ab_err e;
    ab_err_clear(&e);
    int rc = zip ? sweep_zip(&s, arg, &e) : sweep_set_axis(&s, arg, &e);
    assert_int_equal(rc, AB_EUSAGE);
    assert_non_null(strstr(e.msg, zip ? "--zip" : "--axis"));
    if (!strstr(e.msg, token))
        fail_msg("message '%s' does not name '%s'", e.msg, token);
    sweep_free(&s);
}

static void test_override_errors(void **state)
{
    (void)state;
    ab_sweep s;
    sweep_init(&s);
    ab_err e;
    assert_int_equal(sweep_set_axis(&s, "qos=64", &e), AB_EUSAGE);
    assert_string_equal(e.msg, "--axis qos: value 64 out of range 0..63");
    sweep_free(&s);
    expect_override_error(0, "cin", "'cin'");
    expect_override_error(0, "foo=1", "'foo'");
    expect_override_error(0, "=1", "''");
    expect_override_error(0, "procedure=16", "16");
    expect_override_error(0, "cin=0", "0");
    expect_override_error(0, "spatial=-5", "-5");
    expect_override_error(0, "cin=", "empty");
    expect_override_error(1, "cin", "two axes");
    expect_override_error(1, "cin,bogus", "bogus");
    expect_override_error(1, "cin,cin", "cin");
    expect_override_error(1, "cin,", "''");
}

static void test_duplicates(void **state)
{
    (void)state;
    ab_sweep s;
    sweep_init(&s);
    ab_err e;
    assert_int_equal(load(&s,
                          "{\"sweeps\": [{\"axes\": {\"cin\": \"64,64,128\"}},"
                          "{\"axes\": {\"cin\": 128, \"cout\": 128}}, {\"axes\": {\"qos\": 21}}]}",
                          &e),
                     0);
    size_t n;
    char *keys = keys_of(&s, &n);
    /* 64, 128 from the first; the second's 128/128 and the third (default
     * cin=256) : 256 is new. */
    assert_int_equal(n, 3);
    assert_true(strncmp(keys, "cin=64 ", 7) == 0);
    assert_non_null(strstr(keys, "|cin=128 cout=128 "));
    assert_non_null(strstr(keys, "|cin=256 cout=256 "));
    free(keys);
    sweep_free(&s);
}

static void test_invalid_cases_kept(void **state)
{
    (void)state;
    ab_sweep s;
    sweep_init(&s);
    ab_err e;
    assert_int_equal(load(&s,
                          "{\"sweeps\": [{\"axes\": {\"cin\": 64, \"cout\": \"64,128\", "
                          "\"depth\": 4}}]}",
                          &e),
                     0);
    ab_case *cases;
    size_t n;
    assert_int_equal(sweep_enumerate(&s, 0, &cases, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_null(case_invalid_reason(&cases[0]));
    assert_non_null(case_invalid_reason(&cases[1]));
    free(cases);
    sweep_free(&s);
}

static void test_memory_guard_and_cap(void **state)
{
    (void)state;
    ab_sweep s;
    sweep_init(&s);
    ab_err e;
    assert_int_equal(load(&s,
                          "{\"sweeps\": [{\"axes\": {\"cin\": \"256,65536\", "
                          "\"spatial\": 65536}}]}",
                          &e),
                     0);
    ab_case *cases;
    size_t n;
    double limit = 1e9; /* the 256-channel case needs ~0.2 GB, the other ~100 GB */
    assert_int_equal(sweep_enumerate(&s, limit, &cases, &n, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "cin=65536"));
    assert_non_null(strstr(e.msg, "GiB"));
    assert_null(cases);
    assert_int_equal(sweep_set_axis(&s, "cin=256", &e), 0);
    assert_int_equal(sweep_enumerate(&s, limit, &cases, &n, &e), 0);
    assert_int_equal(n, 1);
    free(cases);
    sweep_free(&s);

    sweep_init(&s);
    assert_int_equal(load(&s,
                          "{\"sweeps\": [{\"axes\": {\"cin\": \"1..65536\", \"spatial\": "
                          "\"1..65536\", \"cout\": \"1..65536\"}}]}",
                          &e),
                     0);
    assert_int_equal(sweep_enumerate(&s, 0, &cases, &n, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "more than 1000000 cases"));
    sweep_free(&s);
}

/* Issue 11: a setting given twice is an error (docs/sweep-files.md says
 * so; it was kept silently), a NUL byte is named as one (it read "end of
 * input"), and a case just over the memory limit shows figures that differ
 * ("needs 11.8 GiB, more than the 11.8 GiB limit"). */
static void test_hostile_details(void **state)
{
    (void)state;
    expect_load_error("{\"sweeps\": [{}], \"settings\": {\"warmup\": 1, \"warmup\": 2}}", "warmup");
    expect_load_error("{\"sweeps\": [{}], \"settings\": {\"warmup\": 1, \"warmup\": 2}}", "twice");
    ab_sweep s;
    sweep_init(&s);
    ab_err e;
    static const char nul[] = "{\"sweeps\": \0[{}]}";
    assert_int_equal(sweep_load_text(&s, nul, sizeof nul - 1, "t.json", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "NUL byte"));
    assert_null(strstr(e.msg, "end of input"));
    sweep_free(&s);

    sweep_init(&s);
    assert_int_equal(load(&s, "{\"sweeps\": [{\"axes\": {\"cin\": 4096, \"spatial\": 65536}}]}", &e), 0);
    ab_case *cases;
    size_t n;
    assert_int_equal(sweep_enumerate(&s, 0, &cases, &n, &e), 0);
    double need = case_mem_bytes(&cases[0]);
    free(cases);
    assert_int_equal(sweep_enumerate(&s, need - 4096, &cases, &n, &e), AB_EUSAGE);
    const char *a = strstr(e.msg, "needs "), *b = strstr(e.msg, "more than the ");
    assert_non_null(a);
    assert_non_null(b);
    a += 6;
    b += 14;
    size_t la = strcspn(a, " "), lb = strcspn(b, " ");
    assert_false(la == lb && !memcmp(a, b, la)); /* the two figures differ */
    sweep_free(&s);
}

/* Issue 11: a 1 MB sweep file of 95,000 keys took 30 s to be refused (the
 * duplicate-key check compared every pair; 52 s here); it must take well
 * under 3 s (0.35 s here for `anebench list` on such a file). */
static void test_many_keys_fast(void **state)
{
    (void)state;
    size_t nkeys = 95000, cap = nkeys * 16 + 64, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)snprintf(text + len, cap - len, "{\"sweeps\":[{}]");
    for (size_t i = 0; i < nkeys; i++) /* 880 KB: under the 1 MB a sweep file may have */
        len += (size_t)snprintf(text + len, cap - len, ",\"k%zx\":1", i);
    len += (size_t)snprintf(text + len, cap - len, "}");
    ab_sweep s;
    sweep_init(&s);
    ab_err e;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(sweep_load_text(&s, text, len, "big.json", &e), AB_EUSAGE);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_non_null(strstr(e.msg, "k0"));
    double sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(sec < 3.0);
    sweep_free(&s);
    free(text);
}

static void test_empty_sweep(void **state)
{
    (void)state;
    ab_sweep s;
    sweep_init(&s);
    size_t n;
    char *keys = keys_of(&s, &n);
    assert_int_equal(n, 1);
    assert_string_equal(keys, "cin=256 cout=256 spatial=64 depth=1 io=fp32 qos=21 procedure=0 mode=normal");
    free(keys);
}

/* A temp preset directory for ANEBENCH_PRESETS. */
static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup_presets(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/anebench-presets-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    write_file("zz-test-tiny.json", "{\"description\": \"tiny\", \"sweeps\": [{\"axes\": "
                                    "{\"cin\": \"8,16\"}}], \"settings\": {\"max_time\": 0.25}}");
    write_file("zz-test-broken.json", "{\"sweeps\": [{\"axes\": {\"qos\": 99}}]}");
    setenv("ANEBENCH_PRESETS", tmpdir, 1);
    return 0;
}

static int teardown_presets(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/zz-test-tiny.json", tmpdir);
    unlink(path);
    snprintf(path, sizeof path, "%s/zz-test-broken.json", tmpdir);
    unlink(path);
    rmdir(tmpdir);
    unsetenv("ANEBENCH_PRESETS");
    return 0;
}

static void test_presets(void **state)
{
    (void)state;
    char path[4096];
    ab_err e;
    assert_int_equal(sweep_preset_path("zz-test-tiny", path, sizeof path, &e), 0);
    assert_non_null(strstr(path, tmpdir));
    ab_sweep s;
    sweep_init(&s);
    assert_int_equal(sweep_load_file(&s, path, &e), 0);
    assert_string_equal(s.name, "zz-test-tiny"); /* unnamed: from the file name */
    sweep_free(&s);

    char **names;
    size_t n = sweep_preset_names(&names);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        found += !strcmp(names[i], "zz-test-tiny");
        if (i)
            assert_true(strcmp(names[i - 1], names[i]) < 0);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    assert_int_equal(found, 1);

    assert_int_equal(sweep_preset_path("no-such", path, sizeof path, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "'no-such'"));
    assert_non_null(strstr(e.msg, "zz-test-tiny"));
    assert_int_equal(sweep_preset_path("../etc/passwd", path, sizeof path, &e), AB_EUSAGE);
    assert_int_equal(sweep_load_file(&s, "/nonexistent/x.json", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "/nonexistent/x.json"));
}

static void test_selection(void **state)
{
    (void)state;
    ab_selection sel;
    selection_init(&sel);
    ab_err e;
    char *argv[] = {"list", "--preset", "zz-test-tiny", "--axis=qos=1,2", "--zip", "cin,qos", "--quiet"};
    int argc = 7, i;
    for (i = 1; i < argc; i++) {
        int rc = selection_consume(&sel, argc, argv, &i, &e);
        assert_true(rc == 1 || (rc == 0 && i == 6));
    }
    ab_settings set;
    settings_default(&set);
    ab_case *cases;
    size_t n;
    assert_int_equal(selection_resolve(&sel, &set, 0, &cases, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_int_equal(cases[0].v[AX_CIN], 8);
    assert_int_equal(cases[0].v[AX_QOS], 1);
    assert_int_equal(cases[1].v[AX_CIN], 16);
    assert_int_equal(cases[1].v[AX_QOS], 2);
    assert_true(set.max_time == 0.25); /* the file's settings applied */
    free(cases);
    cJSON *j = selection_to_json(&sel);
    char *text = cJSON_PrintUnformatted(j);
    assert_string_equal(text, "{\"preset\":\"zz-test-tiny\",\"sweep_file\":null,"
                              "\"axis\":[\"qos=1,2\"],\"zip\":[\"cin,qos\"]}");
    free(text);
    cJSON_Delete(j);
    selection_free(&sel);

    /* A broken preset names the file and the token. */
    selection_init(&sel);
    char *argv2[] = {"list", "--preset", "zz-test-broken"};
    i = 1;
    assert_int_equal(selection_consume(&sel, 3, argv2, &i, &e), 1);
    assert_int_equal(selection_resolve(&sel, &set, 0, &cases, &n, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "zz-test-broken.json"));
    assert_non_null(strstr(e.msg, "99"));
    selection_free(&sel);

    /* Missing values and conflicting sources. */
    selection_init(&sel);
    char *argv3[] = {"list", "--axis"};
    i = 1;
    assert_int_equal(selection_consume(&sel, 2, argv3, &i, &e), -AB_EUSAGE);
    assert_non_null(strstr(e.msg, "--axis"));
    char *argv4[] = {"list", "--sweep", "a.json", "--preset", "quick"};
    i = 1;
    assert_int_equal(selection_consume(&sel, 5, argv4, &i, &e), 1);
    i++;
    assert_int_equal(selection_consume(&sel, 5, argv4, &i, &e), -AB_EUSAGE);
    assert_non_null(strstr(e.msg, "--preset"));
    selection_free(&sel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_and_order),
        cmocka_unit_test(test_value_forms),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_zip),
        cmocka_unit_test(test_axis_and_zip_overrides),
        cmocka_unit_test(test_override_errors),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_invalid_cases_kept),
        cmocka_unit_test(test_memory_guard_and_cap),
        cmocka_unit_test(test_hostile_details),
        cmocka_unit_test(test_many_keys_fast),
        cmocka_unit_test(test_empty_sweep),
        cmocka_unit_test_setup_teardown(test_presets, setup_presets, teardown_presets),
        cmocka_unit_test_setup_teardown(test_selection, setup_presets, teardown_presets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
