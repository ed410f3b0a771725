/* test_reader.c: loading result files back, good and bad. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/reader.h"
#include "harness/runview.h"
#include "harness/sink.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ab-test-reader-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(const char *name)
{
    static char buf[600];
    snprintf(buf, sizeof buf, "%s/%s", tmpdir, name);
    return buf;
}

static void write_text(const char *name, const char *text)
{
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* One journal line for a case with cin = cin. */
static char *record_line(long cin, int with_newline)
{
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = cin;
    ab_record r;
    record_init(&r, &c);
    record_set_text(&r.backend, "cpu");
    r.status = AB_ST_OK;
    double ns[] = {10, 11, 12};
    record_set_eval_samples(&r, ns, 3);
    cJSON *j = record_to_json(&r, 1);
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    record_free(&r);
    size_t n = strlen(s);
    s = realloc(s, n + 2);
    if (with_newline)
        strcpy(s + n, "\n");
    return s;
}

/* A journal of n lines, optionally followed by extra text. */
static void write_journal(const char *name, int n, const char *extra)
{
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    for (int i = 0; i < n; i++) {
        char *l = record_line(64L << i, 1);
        fputs(l, f);
        free(l);
    }
    if (extra)
        fputs(extra, f);
    fclose(f);
}

static void expect_error(int rc, const ab_err *e, const char *n1, const char *n2)
{
    if (rc != AB_EUSAGE || !strstr(e->msg, n1) || (n2 && !strstr(e->msg, n2)) || strchr(e->msg, '\n')) {
        print_error("rc %d, \"%s\"; wanted AB_EUSAGE with \"%s\" and \"%s\"\n", rc, e->msg, n1, n2 ? n2 : "");
        fail();
    }
}

static void test_jsonl(void **state)
{
    (void)state;
    ab_run run;
    ab_err e;
    write_journal("good.jsonl", 3, "\n   \n"); /* blank lines are ignored */
    assert_int_equal(run_load(&run, path_of("good.jsonl"), &e), AB_OK);
    assert_int_equal(run.n, 3);
    assert_int_equal(run.truncated_tail, 0);
    assert_false(run.has_info);
    assert_int_equal(run.recs[2].params.v[AX_CIN], 256);
    assert_int_equal(run.recs[2].n_eval_samples, 3);
    run_free(&run);
}

static void test_jsonl_truncated_tail(void **state)
{
    (void)state;
    ab_run run;
    ab_err e;
    /* the writer died mid-line: a valid-looking prefix without '\n' */
    char *partial = record_line(1024, 0);
    partial[strlen(partial) / 2] = '\0';
    write_journal("tail.jsonl", 2, partial);
    free(partial);
    assert_int_equal(run_load_jsonl(&run, path_of("tail.jsonl"), &e), AB_OK);
    assert_int_equal(run.n, 2);
    assert_int_equal(run.truncated_tail, 1);
    run_free(&run);

    /* even a complete record without its '\n' was not finished */
    char *whole = record_line(1024, 0);
    write_journal("tail2.jsonl", 1, whole);
    free(whole);
    assert_int_equal(run_load_jsonl(&run, path_of("tail2.jsonl"), &e), AB_OK);
    assert_int_equal(run.n, 1);
    assert_int_equal(run.truncated_tail, 1);
    run_free(&run);
}

static void test_jsonl_corrupt_middle(void **state)
{
    (void)state;
    ab_run run;
    ab_err e;
    char *l1 = record_line(64, 1), *l3 = record_line(256, 1);
    char text[8192];
    snprintf(text, sizeof text, "%s{\"key\": broken\n%s", l1, l3);
    write_text("mid.jsonl", text);
    ab_err_clear(&e);
    int rc = run_load_jsonl(&run, path_of("mid.jsonl"), &e);
    char want[700];
    snprintf(want, sizeof want, "%s:2:", path_of("mid.jsonl"));
    expect_error(rc, &e, want, "JSON");
    assert_int_equal(run.n, 0);

    /* valid JSON, bad record */
    snprintf(text, sizeof text,
             "%s%s{\"key\":\"conv1x1 cin=8 cout=8 spatial=8 depth=1 io=fp32 qos=21 procedure=0 "
             "mode=normal\",\"status\":\"great\"}\n",
             l1, l3);
    write_text("badrec.jsonl", text);
    ab_err_clear(&e);
    rc = run_load_jsonl(&run, path_of("badrec.jsonl"), &e);
    snprintf(want, sizeof want, "%s:3:", path_of("badrec.jsonl"));
    expect_error(rc, &e, want, "status");
    free(l1);
    free(l3);

    /* a NUL byte inside a line */
    FILE *f = fopen(path_of("nul.jsonl"), "wb");
    fwrite("{\"key\":\"a\0b\"}\n", 1, 15, f);
    fclose(f);
    ab_err_clear(&e);
    expect_error(run_load_jsonl(&run, path_of("nul.jsonl"), &e), &e, "nul.jsonl:1:", NULL);
}

static void test_results_json(void **state)
{
    (void)state;
    ab_run run;
    ab_err e;
    char *l1 = record_line(64, 0);
    char text[8192];
    snprintf(text, sizeof text,
             "{\"schema_version\": 1, \"kind\": \"anebench-run\", \"run_id\": \"r\",\n"
             " \"cases\": [%s]}\n",
             l1);
    write_text("good.json", text);
    assert_int_equal(run_load(&run, path_of("good.json"), &e), AB_OK);
    assert_int_equal(run.n, 1);
    assert_true(run.has_info);
    assert_string_equal(run.info.run_id, "r");
    assert_null(cJSON_GetObjectItem(run.info.doc, "cases"));
    run_free(&run);

    snprintf(text, sizeof text, "{\"schema_version\": 2, \"kind\": \"anebench-run\", \"cases\": [%s]}", l1);
    write_text("v2.json", text);
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("v2.json"), &e), &e, "v2.json", "schema_version 2");

    write_text("probe.json", "{\"schema_version\": 1, \"kind\": \"anebench-probe\", \"probes\": []}");
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("probe.json"), &e), &e, "probe.json", "anebench-probe");

    write_text("nover.json", "{\"kind\": \"anebench-run\", \"cases\": []}");
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("nover.json"), &e), &e, "nover.json", "schema_version");

    write_text("nocases.json", "{\"schema_version\": 1, \"kind\": \"anebench-run\"}");
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("nocases.json"), &e), &e, "nocases.json", "cases");

    write_text("syntax.json", "{\"schema_version\": 1,\n\"kind\": \"anebench-run\",\n\"cases\": [}");
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("syntax.json"), &e), &e, "syntax.json:3", NULL);

    snprintf(text, sizeof text,
             "{\"schema_version\": 1, \"kind\": \"anebench-run\", \"cases\": [%s, {\"key\": 5}]}", l1);
    write_text("badcase.json", text);
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("badcase.json"), &e), &e, "badcase.json", "cases[1]");
    free(l1);
}

/* The case l with its members in reverse order (readers must not rely on
 * the writer's order). */
static char *reversed_members(const char *l)
{
    cJSON *in = cJSON_Parse(l), *out = cJSON_CreateObject();
    assert_non_null(in);
    while (in->child) {
        cJSON *last = in->child;
        while (last->next)
            last = last->next;
        const char *name = last->string;
        cJSON_AddItemToObject(out, name, cJSON_DetachItemViaPointer(in, last));
    }
    cJSON_Delete(in);
    char *s = cJSON_Print(out);
    cJSON_Delete(out);
    return s;
}

/* results.json is read case by case where its shape allows: every layout
 * a JSON writer may give it loads the same records, and what is not JSON
 * is still refused. */
static void test_results_json_layouts(void **state)
{
    (void)state;
    char *l1 = record_line(64, 0), *l2 = record_line(128, 0), *r2 = reversed_members(l2);
    const char *head = "\"schema_version\": 1, \"kind\": \"anebench-run\"";
    const char *good[] = {
        "{%s, \"cases\": [%s,%s]}",
        "{\"cases\":\n[\n  %2$s ,\n  %3$s\n]\n, %1$s, \"run_id\": \"r\"}",
        "{\"settings\": {\"cases\": [1, 2]}, \"note\": \"\\\"cases\\\": [{\", %s, \"cases\": [%s, %s]}",
    };
    char text[16384];
    ab_run run;
    ab_err e;
    for (size_t g = 0; g < sizeof good / sizeof *good; g++) {
        for (int rev = 0; rev < 2; rev++) {
            snprintf(text, sizeof text, good[g], head, l1, rev ? r2 : l2);
            write_text("layout.json", text);
            ab_err_clear(&e);
            int rc = run_load(&run, path_of("layout.json"), &e);
            if (rc != AB_OK)
                print_error("layout %zu (reversed %d): %s\n", g, rev, e.msg);
            assert_int_equal(rc, AB_OK);
            assert_int_equal(run.n, 2);
            assert_int_equal(run.recs[0].params.v[AX_CIN], 64);
            assert_int_equal(run.recs[1].params.v[AX_CIN], 128);
            assert_int_equal(run.recs[1].status, AB_ST_OK);
            assert_string_equal(run.recs[1].backend, "cpu");
            assert_int_equal(run.recs[1].n_eval_samples, 3);
            assert_true(run.recs[1].eval.median == 11.0);
            assert_null(cJSON_GetObjectItem(run.info.doc, "cases"));
            assert_non_null(cJSON_GetObjectItem(run.info.doc, "kind"));
            run_free(&run);
        }
    }

    snprintf(text, sizeof text, "{%s, \"cases\": [ ]}", head);
    write_text("empty.json", text);
    assert_int_equal(run_load(&run, path_of("empty.json"), &e), AB_OK);
    assert_int_equal(run.n, 0);
    run_free(&run);

    const char *bad[] = {
        "{%s, \"cases\": [%s,%s,]}", /* trailing comma */
        "{%s, \"cases\": [%s %s]}",  /* missing comma */
        "{%s, \"cases\": [%s,%s]",   /* unclosed document */
        "{%s, \"cases\": [%s,%s]}}", /* one brace too many: cJSON ignores what follows, we do not */
    };
    for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
        snprintf(text, sizeof text, bad[b], head, l1, l2);
        write_text("bad.json", text);
        ab_err_clear(&e);
        int rc = run_load(&run, path_of("bad.json"), &e);
        if (b == 3) { /* text after the document is refused (issue 11: it was dropped silently) */
            expect_error(rc, &e, "bad.json:1", "text after the end of the JSON document");
            continue;
        }
        expect_error(rc, &e, "bad.json", "not valid JSON");
    }
    free(l1);
    free(l2);
    free(r2);
}

/* Writes a CSV of n records with the columns in reverse order (libcsv). */
static void write_reversed_csv(const char *name, int n)
{
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    size_t nc = record_csv_ncolumns();
    for (size_t i = 0; i < nc; i++) {
        if (i)
            fputc(',', f);
        const char *col = record_csv_columns()[nc - 1 - i];
        csv_fwrite(f, col, strlen(col));
    }
    fputc('\n', f);
    for (int k = 0; k < n; k++) {
        ab_case c;
        case_default(&c);
        c.v[AX_CIN] = c.v[AX_COUT] = 32L << k;
        c.v[AX_QOS] = 9;
        ab_record r;
        record_init(&r, &c);
        record_set_text(&r.backend, "cpu");
        r.status = AB_ST_OK;
        r.flops = 1e6;
        double ns[] = {5, 6, 7};
        record_set_eval_samples(&r, ns, 3);
        record_set_text(&r.reason, "line one\nline two, \"quoted\"");
        char **fields = record_to_csv_fields(&r, NULL);
        for (size_t i = 0; i < nc; i++) {
            if (i)
                fputc(',', f);
            const char *v = fields[nc - 1 - i];
            if (v[0])
                csv_fwrite(f, v, strlen(v));
        }
        fputc('\n', f);
        for (size_t i = 0; i < nc; i++)
            free(fields[i]);
        free(fields);
        record_free(&r);
    }
    fclose(f);
}

static void test_csv(void **state)
{
    (void)state;
    ab_run run;
    ab_err e;
    write_reversed_csv("rev.csv", 3);
    assert_int_equal(run_load(&run, path_of("rev.csv"), &e), AB_OK);
    assert_int_equal(run.n, 3);
    assert_int_equal(run.recs[1].params.v[AX_CIN], 64);
    assert_int_equal(run.recs[1].params.v[AX_QOS], 9);
    assert_int_equal(run.recs[1].eval.n, 3);
    assert_true(run.recs[1].eval.median == 6.0);
    assert_true(run.recs[1].gflops_wall == 1e6 / 6.0);
    assert_string_equal(run.recs[2].reason, "line one\nline two, \"quoted\"");
    run_free(&run);

    /* a CSV with just the two required columns; params from the key */
    write_text(
        "min.csv",
        "status,key\nok,conv1x1 cin=48 cout=48 spatial=8 depth=1 io=fp16 qos=21 procedure=0 mode=normal\n");
    assert_int_equal(run_load_csv(&run, path_of("min.csv"), &e), AB_OK);
    assert_int_equal(run.n, 1);
    assert_int_equal(run.recs[0].params.v[AX_IO], AB_IO_FP16);
    run_free(&run);
}

static void test_csv_bad(void **state)
{
    (void)state;
    ab_run run;
    ab_err e;
    const char *K = "conv1x1 cin=48 cout=48 spatial=8 depth=1 io=fp32 qos=21 procedure=0 mode=normal";
    char text[1024];

    snprintf(text, sizeof text, "key,status\n\"%s\",ok\n\"%s\",ok,extra\n", K, K);
    write_text("count.csv", text);
    ab_err_clear(&e);
    expect_error(run_load_csv(&run, path_of("count.csv"), &e), &e, "count.csv", "row 3");

    snprintf(text, sizeof text, "key,status\n\"%s,ok\n", K);
    write_text("quote.csv", text);
    ab_err_clear(&e);
    expect_error(run_load_csv(&run, path_of("quote.csv"), &e), &e, "quote.csv", "malformed");

    snprintf(text, sizeof text, "key,status,compile_ms\n\"%s\",ok,fast\n", K);
    write_text("num.csv", text);
    ab_err_clear(&e);
    expect_error(run_load_csv(&run, path_of("num.csv"), &e), &e, "num.csv", "compile_ms");

    snprintf(text, sizeof text, "key,status,key\n\"%s\",ok,x\n", K);
    write_text("dup.csv", text);
    ab_err_clear(&e);
    expect_error(run_load_csv(&run, path_of("dup.csv"), &e), &e, "dup.csv", "duplicate");

    write_text("empty.csv", "");
    ab_err_clear(&e);
    expect_error(run_load_csv(&run, path_of("empty.csv"), &e), &e, "empty.csv", NULL);
}

/* A copy of s with its first "from" replaced by "to" (the test fails if none). */
static char *with_text(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    assert_non_null(at);
    size_t n = strlen(s) + strlen(to) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return out;
}

/* The duplicate-key check is made as a record is read (every member of
 * every object a field read shows there is none) and looked for in full
 * when reading cannot show it: a key given twice deep in a record (a
 * summary, params, a member the reader does not know), in a journal line
 * and in a results.json case, is still named, and before a bad field of
 * the same record; a member the reader does not know, given once, is no
 * error. */
static void test_dup_keys_deep(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to, *want; /* want NULL: loads */
    } edits[] = {
        {"\"eval_ns\":{\"n\":3,", "\"eval_ns\":{\"n\":3,\"n\":4,", "\"n\" given twice in eval_ns"},
        {"\"params\":{", "\"params\":{\"cin\":1,", "\"cin\" given twice in params"},
        {"{\"key\"", "{\"extra\":{\"a\":1,\"a\":2},\"key\"", "\"a\" given twice in extra"},
        {"{\"key\"", "{\"worker\":\"x\",\"b\":1,\"b\":2,\"key\"", "\"b\" given twice"},
        {"{\"key\"", "{\"extra\":{\"a\":[{\"b\":1}]},\"key\"", NULL},
        {"\"eval_ns\":{\"n\":3,", "\"eval_ns\":{\"n\":3,\"extra\":1,", NULL},
    };
    char *l1 = record_line(64, 0);
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        char *line = with_text(l1, edits[i].from, edits[i].to);
        size_t n = strlen(line) + 128;
        char *text = malloc(n);
        assert_non_null(text);
        for (int form = 0; form < 2; form++) {
            const char *name = form ? "deep.json" : "deep.jsonl";
            if (form)
                snprintf(text, n, "{\"schema_version\": 1, \"kind\": \"anebench-run\", \"cases\": [%s]}\n",
                         line);
            else
                snprintf(text, n, "%s\n", line);
            write_text(name, text);
            ab_run run;
            ab_err e;
            ab_err_clear(&e);
            int rc = run_load(&run, path_of(name), &e);
            if (edits[i].want) {
                expect_error(rc, &e, form ? "cases[0]" : "deep.jsonl:1", edits[i].want);
            } else {
                assert_int_equal(rc, AB_OK);
                assert_int_equal(run.n, 1);
                run_free(&run);
            }
        }
        free(text);
        free(line);
    }
    free(l1);
}

/* Issue 11, item 9 and its messages: a key given twice (in a journal line,
 * a case or the header of results.json) and text after the JSON are
 * refused, naming them; a CSV with a byte-order mark loads; a schema
 * version is shown as it is (1.0000001 read "1 is not supported"); a case
 * recorded twice keeps its last record (runview), and text from a file
 * loses its terminal control sequences before it is shown. */
static void test_hostile_inputs(void **state)
{
    (void)state;
    ab_run run;
    ab_err e;
    char *l1 = record_line(64, 0);
    char text[8192];
    /* a duplicate key inside a journal record */
    snprintf(text, sizeof text, "{\"status\": \"failed\", %s\n", l1 + 1);
    write_text("dupkey.jsonl", text);
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("dupkey.jsonl"), &e), &e, "dupkey.jsonl:1", "\"status\" given twice");
    /* text after a journal record */
    snprintf(text, sizeof text, "%s {\"more\": 1}\n", l1);
    write_text("after.jsonl", text);
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("after.jsonl"), &e), &e, "after.jsonl:1", "text after");
    /* results.json: text after the document, a duplicate key in a case or the header */
    snprintf(text, sizeof text, "{\"schema_version\": 1, \"kind\": \"anebench-run\", \"cases\": [%s]}\n{}\n",
             l1);
    write_text("trail.json", text);
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("trail.json"), &e), &e, "trail.json:2", "text after");
    snprintf(
        text, sizeof text,
        "{\"schema_version\": 1, \"kind\": \"anebench-run\", \"cases\": [%s, {\"status\": \"failed\", %s]}",
        l1, l1 + 1);
    write_text("dupcase.json", text);
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("dupcase.json"), &e), &e, "cases[1]", "\"status\" given twice");
    snprintf(text, sizeof text,
             "{\"schema_version\": 1, \"kind\": \"anebench-run\", \"kind\": \"x\", \"cases\": [%s]}", l1);
    write_text("duphead.json", text);
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("duphead.json"), &e), &e, "duphead.json", "\"kind\" given twice");
    snprintf(text, sizeof text, "{\"schema_version\": 1.0000001, \"kind\": \"anebench-run\", \"cases\": []}");
    write_text("v1x.json", text);
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("v1x.json"), &e), &e, "schema_version 1.0000001", NULL);
    /* a key repeated with the same value (an earlier anebench wrote
     * backend.engine twice) is not ambiguous: read */
    snprintf(text, sizeof text, "{\"status\": \"ok\", %s\n", l1 + 1);
    write_text("samekey.jsonl", text);
    ab_err_clear(&e);
    assert_int_equal(run_load(&run, path_of("samekey.jsonl"), &e), AB_OK);
    run_free(&run);
    /* a NUL byte in results.json is named (cJSON reads it as white space) */
    static const char nul[] = "{\"schema_version\": 1,\n\"kind\": \"anebench-run\", \0 \"cases\": []}";
    FILE *nf = fopen(path_of("nul.json"), "wb");
    assert_non_null(nf);
    fwrite(nul, 1, sizeof nul - 1, nf);
    fclose(nf);
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("nul.json"), &e), &e, "nul.json:2", "NUL byte");
    /* a CSV with a UTF-8 byte-order mark */
    write_text("bom.csv",
               "\xEF\xBB\xBFstatus,key\nok,conv1x1 cin=48 cout=48 spatial=8 depth=1 io=fp16 qos=21 "
               "procedure=0 mode=normal\n");
    ab_err_clear(&e);
    assert_int_equal(run_load(&run, path_of("bom.csv"), &e), AB_OK);
    assert_int_equal(run.n, 1);
    run_free(&run);
    /* a case recorded twice: the last record is kept, and counted */
    write_journal("twice.jsonl", 2, NULL);
    char *again = record_line(64, 1);
    FILE *f = fopen(path_of("twice.jsonl"), "ab");
    assert_non_null(f);
    fputs(again, f);
    fclose(f);
    free(again);
    assert_int_equal(run_load(&run, path_of("twice.jsonl"), &e), AB_OK);
    assert_int_equal(run.n, 2);
    assert_int_equal(run.n_superseded, 1);
    assert_int_equal(run.recs[0].params.v[AX_CIN], 128);
    /* terminal control sequences from a file are made harmless */
    record_set_text(&run.recs[0].reason, "red \x1b[31m and CSI \xc2\x9b"
                                         "2J, caf\xc3\xa9");
    run_scrub_text(&run);
    assert_string_equal(run.recs[0].reason, "red ?[31m and CSI ??2J, caf\xc3\xa9");
    run_free(&run);
    free(l1);
}

static void test_directories_and_dispatch(void **state)
{
    (void)state;
    ab_run run;
    ab_err e;
    ab_rundir d;
    assert_int_equal(rundir_create(&d, tmpdir, "dir1", "cpu", &e), AB_OK);
    cJSON *meta = cJSON_Parse("{\"schema_version\":1,\"kind\":\"anebench-run\",\"run_id\":\"dir1\"}");
    ab_runinfo ri;
    assert_int_equal(runinfo_from_json(meta, "run.json", &ri, &e), AB_OK);
    assert_int_equal(rundir_write_meta(&d, &ri, &e), AB_OK);
    for (int i = 0; i < 2; i++) {
        ab_case c;
        case_default(&c);
        c.v[AX_SPATIAL] = 16 << i;
        ab_record r;
        record_init(&r, &c);
        r.status = AB_ST_SKIPPED;
        assert_int_equal(rundir_append(&d, &r, &e), AB_OK);
        record_free(&r);
    }
    /* before finish: run.json + journal */
    assert_int_equal(run_load(&run, d.path, &e), AB_OK);
    assert_int_equal(run.n, 2);
    assert_true(run.has_info);
    run_free(&run);
    assert_int_equal(rundir_finish(&d, &ri, &e), AB_OK);
    runinfo_free(&ri);
    rundir_close(&d);
    /* after: results.json */
    assert_int_equal(run_load(&run, d.path, &e), AB_OK);
    assert_int_equal(run.n, 2);
    assert_int_equal(run.recs[1].params.v[AX_SPATIAL], 32);
    run_free(&run);

    /* a run.json from another schema is refused even beside a journal */
    assert_int_equal(mkdir(path_of("dir2"), 0755), 0);
    write_text("dir2/run.json", "{\"schema_version\": 7, \"kind\": \"anebench-run\"}");
    write_journal("dir2/cases.jsonl", 1, NULL);
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("dir2"), &e), &e, "run.json", "schema_version 7");

    assert_int_equal(mkdir(path_of("dir3"), 0755), 0);
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("dir3"), &e), &e, "dir3", "not a run directory");

    write_text("notes.txt", "hello");
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("notes.txt"), &e), &e, "notes.txt", NULL);
    ab_err_clear(&e);
    expect_error(run_load(&run, path_of("missing.json"), &e), &e, "missing.json", NULL);
    cJSON_Delete(meta);
}

/* Hostile input: byte mutations of valid files never crash a loader and
 * either load or fail with one line. A small deterministic sweep; the fuzz
 * target goes further. */
static void test_mutations_do_not_crash(void **state)
{
    (void)state;
    write_journal("seed.jsonl", 2, NULL);
    write_reversed_csv("seed.csv", 2);
    const char *seeds[] = {"seed.jsonl", "seed.csv"};
    unsigned x = 12345;
    for (int s = 0; s < 2; s++) {
        ab_err e;
        size_t len;
        char *orig = ab_read_file(path_of(seeds[s]), &len, &e);
        assert_non_null(orig);
        const char *name = s ? "mut.csv" : "mut.jsonl";
        for (int iter = 0; iter < 150; iter++) {
            char *m = malloc(len + 1);
            memcpy(m, orig, len);
            size_t mlen = len;
            for (int k = 0; k < 4; k++) {
                x = x * 1103515245u + 12345u;
                size_t pos = (x >> 8) % len;
                x = x * 1103515245u + 12345u;
                static const char bytes[] = "\"\n,{}[]:0\\\x01\xff";
                m[pos] = bytes[(x >> 8) % (sizeof bytes - 1)];
            }
            x = x * 1103515245u + 12345u;
            if (iter % 3 == 0)
                mlen = (x >> 8) % len; /* and truncations */
            FILE *f = fopen(path_of(name), "wb");
            fwrite(m, 1, mlen, f);
            fclose(f);
            free(m);
            ab_run run;
            ab_err_clear(&e);
            int rc = run_load(&run, path_of(name), &e);
            if (rc == AB_OK)
                run_free(&run);
            else
                assert_null(strchr(e.msg, '\n'));
        }
        free(orig);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_jsonl_truncated_tail),
        cmocka_unit_test(test_jsonl_corrupt_middle),
        cmocka_unit_test(test_results_json),
        cmocka_unit_test(test_results_json_layouts),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_bad),
        cmocka_unit_test(test_hostile_inputs),
        cmocka_unit_test(test_dup_keys_deep),
        cmocka_unit_test(test_directories_and_dispatch),
        cmocka_unit_test(test_mutations_do_not_crash),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
