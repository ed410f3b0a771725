/* test_resume.c: harness/resume.c: what differs between two run.json files
 * is named; finished cases are skipped and --retry-failed ones re-run; a
 * journal with a cut-off tail and a superseded record loads to one record
 * per case; the rewrite leaves files the readers load back identically. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/reader.h"
#include "harness/resume.h"
#include "harness/rounds.h"

static cJSON *meta(const char *host, const char *backend, double max_time, int retries)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "kind", "anebench-run");
    cJSON *h = cJSON_AddObjectToObject(m, "host");
    cJSON_AddStringToObject(h, "hostname", host);
    cJSON_AddStringToObject(h, "cpu_model", "x86");
    cJSON_AddNumberToObject(h, "cores", 2);
    cJSON_AddStringToObject(h, "thermal_state", "nominal"); /* changes over a night: not compared */
    cJSON *b = cJSON_AddObjectToObject(m, "backend");
    cJSON_AddStringToObject(b, "name", backend);
    cJSON *s = cJSON_AddObjectToObject(m, "settings");
    cJSON_AddNumberToObject(s, "max_time", max_time);
    cJSON_AddNumberToObject(s, "retries", retries);
    return m;
}

static void test_check_names_differences(void **state)
{
    (void)state;
    ab_err e;
    cJSON *a = meta("mac1", "cpu", 0.5, 0);
    cJSON *same = meta("mac1", "cpu", 0.5, 0);
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(same, "host"), "thermal_state",
                              cJSON_CreateString("serious"));
    assert_int_equal(resume_check(a, same, &e), AB_OK);

    cJSON *t = meta("mac1", "cpu", 2, 0);
    assert_int_equal(resume_check(a, t, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "settings.max_time was 0.5, now 2"));
    assert_null(strchr(e.msg, '\n'));

    cJSON *h = meta("mac2", "ane", 0.5, 0);
    assert_int_equal(resume_check(a, h, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "host.hostname"));
    assert_non_null(strstr(e.msg, "backend.name was \"cpu\", now \"ane\""));

    /* A setting one side lacks counts; past three differences, "...". */
    cJSON *many = meta("mac2", "ane", 1, 3);
    cJSON_AddNumberToObject(cJSON_GetObjectItem(many, "settings"), "cooldown", 1);
    assert_int_equal(resume_check(a, many, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, ", ..."));
    cJSON *fewer = meta("mac1", "cpu", 0.5, 0);
    cJSON_DeleteItemFromObject(cJSON_GetObjectItem(fewer, "settings"), "retries");
    assert_int_equal(resume_check(a, fewer, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "settings.retries was 0, now absent"));
    /* A setting the run's older build lacked: no difference at its default
     * (repeat 1: the old run ran one round), one off it. */
    cJSON *newer = meta("mac1", "cpu", 0.5, 0);
    cJSON_AddNumberToObject(cJSON_GetObjectItem(newer, "settings"), "repeat", 1);
    assert_int_equal(resume_check(a, newer, &e), AB_OK);
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(newer, "settings"), "repeat", cJSON_CreateNumber(2));
    assert_int_equal(resume_check(a, newer, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "settings.repeat was absent, now 2"));
    /* An enum setting (weights_layout, written as its name) likewise. */
    cJSON *layout = meta("mac1", "cpu", 0.5, 0);
    cJSON_AddStringToObject(cJSON_GetObjectItem(layout, "settings"), "weights_layout", "single");
    assert_int_equal(resume_check(a, layout, &e), AB_OK);
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(layout, "settings"), "weights_layout",
                              cJSON_CreateString("per-file"));
    assert_int_equal(resume_check(a, layout, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "settings.weights_layout was absent, now \"per-file\""));
    cJSON_Delete(layout);
    cJSON_Delete(newer);
    cJSON_Delete(a);
    cJSON_Delete(same);
    cJSON_Delete(t);
    cJSON_Delete(h);
    cJSON_Delete(many);
    cJSON_Delete(fewer);
}

static ab_case case_cin(long cin, size_t index)
{
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = cin;
    c.v[AX_COUT] = cin;
    c.index = index;
    return c;
}

static void kept_record(ab_resume *rs, long cin, ab_status st)
{
    rs->kept = realloc(rs->kept, (rs->n_kept + 1) * sizeof *rs->kept);
    ab_case c = case_cin(cin, 0);
    record_init(&rs->kept[rs->n_kept], &c);
    rs->kept[rs->n_kept].status = st;
    rs->n_kept++;
}

static void test_plan(void **state)
{
    (void)state;
    for (int retry = 0; retry <= 1; retry++) {
        ab_resume rs;
        memset(&rs, 0, sizeof rs);
        kept_record(&rs, 10, AB_ST_OK);
        kept_record(&rs, 30, AB_ST_CRASHED);
        kept_record(&rs, 20, AB_ST_SKIPPED);
        kept_record(&rs, 40, AB_ST_WRONG_OUTPUT); /* not retried: the backend answered */
        ab_case cases[5];
        for (size_t i = 0; i < 5; i++)
            cases[i] = case_cin((long)(i + 1) * 10, i);
        size_t n = 0;
        resume_plan(&rs, cases, 5, retry, &n);
        if (!retry) {
            assert_int_equal(n, 1);
            assert_int_equal(cases[0].v[AX_CIN], 50);
            assert_int_equal(rs.n_kept, 4);
        } else {
            assert_int_equal(n, 2);
            assert_int_equal(cases[0].v[AX_CIN], 30);
            assert_int_equal(cases[0].index, 2);
            assert_int_equal(cases[1].v[AX_CIN], 50);
            assert_int_equal(rs.n_kept, 3);
            assert_int_equal(rs.n_retry, 1);
        }
        resume_free(&rs);
    }
}

static char *record_line(long cin, ab_status st)
{
    ab_case c = case_cin(cin, 0);
    ab_record r;
    record_init(&r, &c);
    r.status = st;
    cJSON *j = record_to_json(&r, 1);
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    record_free(&r);
    return s;
}

static void test_load_and_rewrite(void **state)
{
    (void)state;
    char dir[] = "/tmp/ab_resume_test.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/run.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"schema_version\": 1, \"kind\": \"anebench-run\", \"settings\": {}}", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/cases.jsonl", dir);
    f = fopen(path, "w");
    char *a = record_line(8, AB_ST_CRASHED), *b = record_line(16, AB_ST_OK), *a2 = record_line(8, AB_ST_OK),
         *c = record_line(24, AB_ST_OK);
    fprintf(f, "%s\n%s\n%s\n%.*s", a, b, a2, (int)(strlen(c) / 2), c); /* last line cut off */
    fclose(f);
    free(a);
    free(b);
    free(a2);
    free(c);

    ab_resume rs;
    ab_err e;
    if (resume_load(&rs, dir, &e) != AB_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(rs.truncated_tail, 1);
    assert_int_equal(rs.n_duplicates, 1);
    assert_int_equal(rs.n_kept, 2);
    /* The later record of cin=8 supersedes the earlier, in its own place. */
    assert_int_equal(rs.kept[0].params.v[AX_CIN], 16);
    assert_int_equal(rs.kept[1].params.v[AX_CIN], 8);
    assert_int_equal(rs.kept[1].status, AB_ST_OK);

    if (resume_rewrite(&rs, &e) != AB_OK)
        fail_msg("%s", e.msg);
    ab_run run;
    memset(&run, 0, sizeof run);
    if (run_load_jsonl(&run, path, &e) != AB_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(run.n, 2);
    assert_int_equal(run.truncated_tail, 0);
    assert_string_equal(run.recs[0].key, rs.kept[0].key);
    assert_string_equal(run.recs[1].key, rs.kept[1].key);
    run_free(&run);
    snprintf(path, sizeof path, "%s/cases.csv", dir);
    memset(&run, 0, sizeof run);
    if (run_load_csv(&run, path, &e) != AB_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(run.n, 2);
    assert_string_equal(run.recs[1].key, rs.kept[1].key);
    assert_int_equal(run.recs[1].status, AB_ST_OK);
    run_free(&run);
    resume_free(&rs);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* A record line of cin in a round; round 0: a line without "round" (an
 * older file). */
static char *round_line(long cin, int round, ab_status st)
{
    ab_case c = case_cin(cin, 0);
    c.round = round;
    ab_record r;
    record_init(&r, &c);
    r.status = st;
    cJSON *j = record_to_json(&r, 1);
    if (round == 0)
        cJSON_DeleteItemFromObjectCaseSensitive(j, "round");
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    record_free(&r);
    return s;
}

/* --repeat: a key's records of two rounds are both kept (last-wins within a
 * round only), and the plan runs the (key, round) pairs not journaled. */
static void test_rounds(void **state)
{
    (void)state;
    char dir[] = "/tmp/ab_resume_rounds.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/run.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"schema_version\": 1, \"kind\": \"anebench-run\", \"settings\": {}}", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/cases.jsonl", dir);
    f = fopen(path, "w");
    char *lines[] = {round_line(8, 0, AB_ST_OK), /* round 1, written before rounds existed */
                     round_line(16, 1, AB_ST_OK), round_line(8, 2, AB_ST_CRASHED), round_line(8, 2, AB_ST_OK)};
    for (size_t i = 0; i < 4; i++) {
        fprintf(f, "%s\n", lines[i]);
        free(lines[i]);
    }
    fclose(f);
    ab_resume rs;
    ab_err e;
    if (resume_load(&rs, dir, &e) != AB_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(rs.n_kept, 3);
    assert_int_equal(rs.n_duplicates, 1); /* the crashed round 2 of cin=8 */
    assert_int_equal(rs.kept[0].params.v[AX_CIN], 8);
    assert_int_equal(rs.kept[0].round, 1);
    assert_int_equal(rs.kept[1].params.v[AX_CIN], 16);
    assert_int_equal(rs.kept[2].params.v[AX_CIN], 8);
    assert_int_equal(rs.kept[2].round, 2);
    assert_int_equal(rs.kept[2].status, AB_ST_OK);

    /* Two rounds of cin 8, 16, 24, round after round (rounds_expand). */
    ab_case *cases = malloc(3 * sizeof *cases);
    for (size_t i = 0; i < 3; i++)
        cases[i] = case_cin((long)(i + 1) * 8, i);
    size_t n = 3;
    assert_int_equal(rounds_expand(&cases, &n, 2, &e), AB_OK);
    assert_int_equal(n, 6);
    assert_int_equal(cases[3].round, 2);
    assert_int_equal(cases[3].v[AX_CIN], 8);
    size_t todo = 0;
    resume_plan(&rs, cases, n, 0, &todo);
    assert_int_equal(todo, 3);
    assert_int_equal(cases[0].v[AX_CIN], 24);
    assert_int_equal(cases[0].round, 1);
    assert_int_equal(cases[1].v[AX_CIN], 16);
    assert_int_equal(cases[1].round, 2);
    assert_int_equal(cases[2].v[AX_CIN], 24);
    assert_int_equal(cases[2].round, 2);
    free(cases);

    /* The rewritten journal keeps both rounds of cin=8. */
    if (resume_rewrite(&rs, &e) != AB_OK)
        fail_msg("%s", e.msg);
    ab_run run;
    memset(&run, 0, sizeof run);
    if (run_load_jsonl(&run, path, &e) != AB_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(run.n, 3);
    assert_int_equal(run.recs[0].round, 1);
    assert_int_equal(run.recs[2].round, 2);
    assert_string_equal(run.recs[0].key, run.recs[2].key);
    run_free(&run);
    resume_free(&rs);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_not_a_run(void **state)
{
    (void)state;
    ab_resume rs;
    ab_err e;
    assert_int_equal(resume_load(&rs, "/nonexistent/run", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "/nonexistent/run"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_names_differences),
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_load_and_rewrite),
        cmocka_unit_test(test_rounds),
        cmocka_unit_test(test_not_a_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
