/* test_settings.c: the settings table: defaults, flags (including the
 * negated --no-isolate), ranges, cross-field checks, sweep-file "settings"
 * and the JSON echo. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "harness/settings.h"

static void test_defaults(void **state)
{
    (void)state;
    ab_settings s;
    settings_default(&s);
    assert_int_equal(s.warmup, 20);
    assert_int_equal(s.min_samples, 10);
    assert_int_equal(s.max_samples, 10000);
    assert_true(s.min_time == 0.1);
    assert_true(s.max_time == 2.0);
    assert_true(s.noise == 1.0);
    assert_true(s.timeout == 120);
    assert_true(s.cooldown == 0);
    assert_int_equal(s.shuffle, -1);
    assert_int_equal(s.isolate, 1);
    assert_int_equal(s.retries, 0);
    assert_int_equal(s.compiles_per_worker, 100);
    assert_int_equal(s.wait_nominal, 0);
    assert_true(s.wait_nominal_max == 300);
    assert_int_equal(s.seed, 1);
    ab_err e;
    assert_int_equal(settings_validate(&s, &e), 0);
}

static void test_find_and_flags(void **state)
{
    (void)state;
    const ab_setting_def *d = settings_find("--min-samples");
    assert_non_null(d);
    assert_string_equal(d->name, "min_samples");
    assert_ptr_equal(settings_find("min_samples"), d);
    assert_non_null(settings_find("--no-isolate"));
    assert_string_equal(settings_find("--no-isolate")->name, "isolate");
    assert_null(settings_find("--isolate"));
    assert_null(settings_find("--min_samples"));
    assert_null(settings_find("--bogus"));
    char flag[64];
    assert_string_equal(settings_flag(settings_find("wait_nominal_max"), flag, sizeof flag),
                        "--wait-nominal-max");
    /* Every table entry's flag finds it back. */
    for (size_t i = 0; i < ab_nsetting_defs; i++)
        assert_ptr_equal(settings_find(settings_flag(&ab_setting_defs[i], flag, sizeof flag)),
                         &ab_setting_defs[i]);
}

static int consume(ab_settings *s, int argc, char **argv, int *i, ab_err *e)
{
    return settings_consume(s, argc, argv, i, e);
}

static void test_consume(void **state)
{
    (void)state;
    ab_settings s;
    settings_default(&s);
    ab_err e;
    char *argv[] = {"run", "--warmup", "3", "--max-time=0.5", "--no-isolate", "--wait-nominal", "--shuffle",
                    "42",  "--seed",   "7", "--noise",        "2.5",          "--preset",       "x"};
    int argc = (int)(sizeof argv / sizeof argv[0]), i = 1;
    assert_int_equal(consume(&s, argc, argv, &i, &e), 1);
    assert_int_equal(i, 2);
    i++;
    assert_int_equal(consume(&s, argc, argv, &i, &e), 1);
    assert_int_equal(i, 3);
    i++;
    assert_int_equal(consume(&s, argc, argv, &i, &e), 1);
    i++;
    assert_int_equal(consume(&s, argc, argv, &i, &e), 1);
    i++;
    for (int k = 0; k < 3; k++, i++)
        assert_int_equal(consume(&s, argc, argv, &i, &e), 1);
    assert_int_equal(i, 12);
    assert_int_equal(consume(&s, argc, argv, &i, &e), 0); /* --preset is not a setting */
    assert_int_equal(s.warmup, 3);
    assert_true(s.max_time == 0.5);
    assert_int_equal(s.isolate, 0);
    assert_int_equal(s.wait_nominal, 1);
    assert_int_equal(s.shuffle, 42);
    assert_int_equal(s.seed, 7);
    assert_true(s.noise == 2.5);
}

static void expect_consume_error(char *arg, char *next, const char *token)
{
    ab_settings s;
    settings_default(&s);
    ab_err e;
    ab_err_clear(&e);
    char *argv[] = {"run", arg, next};
    int i = 1, argc = next ? 3 : 2;
    assert_int_equal(settings_consume(&s, argc, argv, &i, &e), -AB_EUSAGE);
    assert_int_equal(e.code, AB_EUSAGE);
    if (!strstr(e.msg, token))
        fail_msg("message '%s' does not name '%s'", e.msg, token);
    assert_null(strchr(e.msg, '\n'));
}

static void test_bad_values(void **state)
{
    (void)state;
    expect_consume_error("--warmup", NULL, "--warmup");
    expect_consume_error("--warmup", "x", "x");
    expect_consume_error("--warmup", "1.5", "1.5");
    expect_consume_error("--warmup", "-1", "-1");
    expect_consume_error("--min-samples", "0", "0");
    expect_consume_error("--max-time", "0", "--max-time");
    expect_consume_error("--max-time", "nan", "nan");
    expect_consume_error("--max-time", "inf", "inf");
    expect_consume_error("--max-time", "", "--max-time");
    expect_consume_error("--noise", "101", "101");
    expect_consume_error("--noise=abc", NULL, "abc");
    expect_consume_error("--retries", "11", "11");
    expect_consume_error("--shuffle", "-2", "-2");
    expect_consume_error("--timeout", " 5", "5");
    expect_consume_error("--no-isolate=1", NULL, "--no-isolate");
    expect_consume_error("--wait-nominal=maybe", NULL, "maybe");
    expect_consume_error("--seed", "99999999999999999999", "99999999999999999999");
}

static void test_validate(void **state)
{
    (void)state;
    ab_settings s;
    settings_default(&s);
    ab_err e;
    s.min_samples = 20;
    s.max_samples = 10;
    assert_int_equal(settings_validate(&s, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "--min-samples 20"));
    assert_non_null(strstr(e.msg, "--max-samples 10"));
    s.max_samples = 20;
    assert_int_equal(settings_validate(&s, &e), 0);
    s.min_time = 3;
    assert_int_equal(settings_validate(&s, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "--min-time 3"));
}

static void test_apply_json(void **state)
{
    (void)state;
    ab_settings s;
    settings_default(&s);
    ab_err e;
    cJSON *o = cJSON_Parse("{\"warmup\": 0, \"max_samples\": 10, \"max_time\": 0.3, "
                           "\"isolate\": false, \"wait_nominal\": true}");
    assert_int_equal(settings_apply_json(&s, o, "f.json", &e), 0);
    cJSON_Delete(o);
    assert_int_equal(s.warmup, 0);
    assert_int_equal(s.max_samples, 10);
    assert_true(s.max_time == 0.3);
    assert_int_equal(s.isolate, 0);
    assert_int_equal(s.wait_nominal, 1);
    assert_int_equal(settings_apply_json(&s, NULL, "f.json", &e), 0);

    const char *bad[][2] = {
        {"{\"bogus\": 1}", "bogus"},     {"{\"min-samples\": 1}", "min-samples"},
        {"{\"warmup\": 1.5}", "1.5"},    {"{\"warmup\": \"5\"}", "warmup"},
        {"{\"qos\": 5}", "qos"},         {"{\"noise\": 200}", "200"},
        {"{\"isolate\": 1}", "isolate"}, {"[1]", "settings"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o = cJSON_Parse(bad[i][0]);
        assert_non_null(o);
        ab_err_clear(&e);
        assert_int_equal(settings_apply_json(&s, o, "f.json", &e), AB_EUSAGE);
        cJSON_Delete(o);
        assert_non_null(strstr(e.msg, "f.json"));
        if (!strstr(e.msg, bad[i][1]))
            fail_msg("message '%s' does not name '%s'", e.msg, bad[i][1]);
    }
}

static void test_to_json(void **state)
{
    (void)state;
    ab_settings s;
    settings_default(&s);
    s.isolate = 0;
    s.seed = 123456789012L;
    cJSON *o = settings_to_json(&s);
    assert_non_null(o);
    assert_int_equal(cJSON_GetArraySize(o), (int)ab_nsetting_defs);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(o, "isolate")));
    assert_true(cJSON_GetObjectItem(o, "seed")->valuedouble == 123456789012.0);
    assert_true(cJSON_GetObjectItem(o, "max_time")->valuedouble == 2.0);
    /* The echo reads back to the same settings. */
    ab_settings t;
    settings_default(&t);
    ab_err e;
    assert_int_equal(settings_apply_json(&t, o, "echo", &e), 0);
    assert_memory_equal(&s, &t, sizeof s);
    cJSON_Delete(o);
}

static void test_help(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    settings_help(f);
    fclose(f);
    char flag[64];
    for (size_t i = 0; i < ab_nsetting_defs; i++)
        assert_non_null(strstr(buf, settings_flag(&ab_setting_defs[i], flag, sizeof flag)));
    assert_non_null(strstr(buf, "default 10000"));
    free(buf);
}

/* A flag in conflict with a sweep file's setting wins where it is the only
 * one given, and the note names where the other value came from. */
static void test_reconcile(void **state)
{
    (void)state;
    ab_settings s;
    ab_settings_from f;
    ab_err e;
    char notes[512] = "";
    settings_default(&s);
    memset(&f, 0, sizeof f);
    s.max_time = 0.3;
    settings_from_set(&f, settings_find("max_time"), "preset quick");
    s.min_time = 0.5;
    settings_from_set(&f, settings_find("min_time"), SETTINGS_FROM_FLAG);
    assert_int_equal(settings_reconcile(&s, &f, notes, sizeof notes, &e), 0);
    assert_true(s.max_time == 0.5 && s.min_time == 0.5);
    assert_string_equal(notes, "--max-time 0.3 from preset quick raised to 0.5 to meet --min-time 0.5\n");

    /* The flag on the other half: the file's minimum is lowered. */
    settings_default(&s);
    memset(&f, 0, sizeof f);
    notes[0] = '\0';
    s.min_samples = 30;
    settings_from_set(&f, settings_find("min_samples"), "preset full");
    s.max_samples = 10;
    settings_from_set(&f, settings_find("max_samples"), SETTINGS_FROM_FLAG);
    assert_int_equal(settings_reconcile(&s, &f, notes, sizeof notes, &e), 0);
    assert_int_equal(s.min_samples, 10);
    assert_non_null(strstr(notes, "--min-samples 30 from preset full lowered to 10"));

    /* Both from the command line: the user's own contradiction. */
    s.min_samples = 20;
    settings_from_set(&f, settings_find("min_samples"), SETTINGS_FROM_FLAG);
    assert_int_equal(settings_reconcile(&s, &f, notes, sizeof notes, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "--min-samples 20 is greater than --max-samples 10"));

    /* Neither: a file against a default, both named with their origin. */
    settings_default(&s);
    memset(&f, 0, sizeof f);
    s.min_time = 3;
    settings_from_set(&f, settings_find("min_time"), "sweep file x.json");
    assert_int_equal(settings_reconcile(&s, &f, notes, sizeof notes, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "--min-time 3 from sweep file x.json is greater than --max-time 2 (the default)"));
}

/* One parser for run and list: a negated flag given a value is refused
 * (it would read "--no-isolate=true" as isolation on), and a match hands
 * back the setting and its text without applying it. */
static void test_match(void **state)
{
    (void)state;
    ab_err e;
    const ab_setting_def *d = NULL;
    const char *v = NULL;
    char *argv[] = {"run", "--no-isolate=true", "--max-time", "0.5", "--no-isolate"};
    int i = 1;
    assert_int_equal(settings_match(5, argv, &i, &d, &v, &e), -AB_EUSAGE);
    assert_non_null(strstr(e.msg, "--no-isolate takes no value"));
    i = 2;
    assert_int_equal(settings_match(5, argv, &i, &d, &v, &e), 1);
    assert_int_equal(i, 3);
    assert_string_equal(d->name, "max_time");
    assert_string_equal(v, "0.5");
    i = 4;
    assert_int_equal(settings_match(5, argv, &i, &d, &v, &e), 1);
    assert_string_equal(d->name, "isolate");
    assert_null(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults), cmocka_unit_test(test_find_and_flags),
        cmocka_unit_test(test_consume),  cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_validate), cmocka_unit_test(test_apply_json),
        cmocka_unit_test(test_to_json),  cmocka_unit_test(test_help),
        cmocka_unit_test(test_reconcile), cmocka_unit_test(test_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
