/* test_report.c: the summary side of sharing results on runs built in
 * memory: headline figures and
 * the case each came from, the markdown budget (cut rows said, hard cut
 * last), escaping of text from results files in markdown and HTML,
 * export redaction and the hardware hash, and the leaderboard's one row
 * per machine in an order independent of the inputs'. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "harness/export.h"
#include "harness/leaderboard.h"
#include "harness/report.h"
#include "harness/runsummary.h"

static ab_record *add_rec(ab_run *run, long cin, long spatial, long qos, long proc, double median)
{
    run->recs = realloc(run->recs, (run->n + 1) * sizeof *run->recs);
    assert_non_null(run->recs);
    ab_record *r = &run->recs[run->n++];
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = cin;
    c.v[AX_SPATIAL] = spatial;
    c.v[AX_QOS] = qos;
    c.v[AX_PROCEDURE] = proc;
    record_init(r, &c);
    record_set_text(&r->backend, "ane-sim:m5");
    r->simulated = 1;
    r->status = AB_ST_OK;
    r->flops = 2.0 * cin * cin * spatial;
    r->eval.n = 20;
    r->eval.median = median;
    r->gflops_wall = r->flops / median;
    r->compile_ms = 10;
    r->load_ms = 2;
    r->first_eval_ms = 0.5;
    r->reload_ms = 1;
    return r;
}

static void set_meta(ab_run *run, const char *hostname, const char *started, double peak)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "schema_version", AB_SCHEMA_VERSION);
    cJSON_AddStringToObject(m, "kind", "anebench-run");
    cJSON_AddStringToObject(m, "run_id", "20261125T170000-box-ane-sim-m5");
    cJSON_AddStringToObject(m, "started", started);
    cJSON *a = cJSON_AddArrayToObject(m, "argv");
    cJSON_AddItemToArray(a, cJSON_CreateString("anebench"));
    cJSON_AddItemToArray(a, cJSON_CreateString("--out=/home/alice/runs"));
    cJSON *h = cJSON_AddObjectToObject(m, "host");
    cJSON_AddStringToObject(h, "hostname", hostname);
    cJSON_AddStringToObject(h, "cpu_model", "AMD EPYC");
    cJSON_AddNumberToObject(h, "cores", 2);
    cJSON_AddNumberToObject(h, "mem_bytes", 8e9);
    cJSON *b = cJSON_AddObjectToObject(m, "backend");
    cJSON_AddStringToObject(b, "name", "ane-sim:m5");
    cJSON_AddBoolToObject(b, "simulated", 1);
    cJSON_AddStringToObject(b, "chip", "Apple M5");
    cJSON_AddNumberToObject(b, "peak_gflops", peak);
    cJSON *s = cJSON_AddObjectToObject(m, "selection");
    cJSON_AddStringToObject(s, "preset", "quick");
    ab_err e;
    assert_int_equal(runinfo_from_json(m, "test", &run->info, &e), AB_OK);
    run->has_info = 1;
    cJSON_Delete(m);
}

static void test_headline(void **state)
{
    (void)state;
    ab_run run = {0};
    set_meta(&run, "box", "2026-11-25T17:00:00Z", 1000);
    add_rec(&run, 64, 64, 21, 0, 4000)->load_ms = 9;               /* first run: its load is the first load */
    add_rec(&run, 64, 256, 21, 0, 3000);                           /* the dispatch floor */
    add_rec(&run, 512, 256, 21, 0, 100000);                        /* the peak: 1342 GFLOPS against 699 */
    add_rec(&run, 128, 64, 21, 0, 1)->status = AB_ST_WRONG_OUTPUT; /* not counted */
    const ab_record *fast = &run.recs[1], *peak = &run.recs[2];
    ab_recview v;
    ab_runenv env;
    ab_headline h;
    assert_int_equal(recview_init(&v, &run), 0);
    runenv_read(&run, &env);
    headline_compute(&v, &env, &h);
    assert_int_equal(h.n, 4);
    assert_int_equal(h.status[AB_ST_OK], 3);
    assert_int_equal(h.npeak, 1);
    assert_ptr_equal(h.peak[0].rec, peak);
    assert_float_equal(h.peak[0].gflops, 2.0 * 512 * 512 * 256 / 100000, 1e-9);
    assert_float_equal(h.pct_of_peak, 100 * h.peak[0].gflops / 1000, 1e-9);
    assert_ptr_equal(h.floor_rec, fast);
    assert_float_equal(h.floor_ns, 3000, 0);
    assert_float_equal(h.first_load_ms, 9, 0);
    assert_float_equal(h.compile_ms, 10, 0);
    assert_float_equal(h.load_ms, 2, 0); /* median of 9, 2, 2 */
    assert_true(env.simulated);
    assert_string_equal(env.sim_chip, "Apple M5");
    recview_free(&v);
    run_free(&run);
}

/* Markdown table lines hold as many unescaped '|' as their header. */
static void check_md_tables(const char *md)
{
    int want = -1;
    for (const char *line = md; *line;) {
        size_t l = strcspn(line, "\n");
        if (line[0] == '|') {
            int bars = 0;
            for (size_t i = 0; i < l; i++)
                if (line[i] == '|' && (i == 0 || line[i - 1] != '\\'))
                    bars++;
            if (want < 0)
                want = bars;
            assert_int_equal(bars, want);
        } else {
            want = -1;
        }
        line += l + (line[l] == '\n');
    }
}

static void check_tags(const char *md)
{
    /* no raw HTML but <details> and <summary> */
    int open = 0;
    for (const char *p = md; (p = strchr(p, '<')); p++) {
        if (p > md && p[-1] == '\\')
            continue;
        if (!strncmp(p, "<details>", 9) || !strncmp(p, "<summary>", 9) || !strncmp(p, "</summary>", 10))
            open += !strncmp(p, "<details>", 9);
        else if (!strncmp(p, "</details>", 10))
            open--;
        else
            fail_msg("raw HTML in markdown: %.40s", p);
    }
    assert_int_equal(open, 0);
}

static void test_escaping(void **state)
{
    (void)state;
    ab_run run = {0};
    set_meta(&run, "box", "2026-11-25T17:00:00Z", 1000);
    add_rec(&run, 64, 64, 21, 0, 1000);
    ab_record *bad = add_rec(&run, 128, 64, 21, 0, 1000);
    bad->status = AB_ST_FAILED;
    record_set_text(&bad->reason, "compile: a|b <script>alert(1)</script> **x** `y`\nz");
    ab_report_opts o = {.fmt = DOC_MD};
    size_t len;
    ab_err e;
    char *md = report_render(&run, 1, &o, &len, &e);
    assert_non_null(md);
    assert_int_equal(strlen(md), len);
    assert_null(strstr(md, "<script>"));
    assert_non_null(strstr(md, "\\<script\\>"));
    assert_non_null(strstr(md, "| failed | compile | a\\|b"));
    check_md_tables(md);
    check_tags(md);
    free(md);
    o.fmt = DOC_HTML;
    char *html = report_render(&run, 1, &o, &len, &e);
    assert_non_null(html);
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(html, "Content-Security-Policy"));
    free(html);
    run_free(&run);
}

/* Cases measured under contention (issue 12): the headline counts them and
 * every table marks their cells with '!', in md, txt and html, for one run
 * and for several; records that do not say (older runs) get no row. */
static void test_contended(void **state)
{
    (void)state;
    ab_run runs[2];
    memset(runs, 0, sizeof runs);
    for (int k = 0; k < 2; k++) {
        set_meta(&runs[k], "box", "2026-11-25T17:00:00Z", 1000);
        add_rec(&runs[k], 64, 64, 21, 0, 1000)->contended = 0;
        add_rec(&runs[k], 128, 64, 21, 0, 1000)->contended = 0;
        ab_record *busy = add_rec(&runs[k], 256, 64, 21, 0, 1000);
        busy->contended = 1;
        record_set_text(&busy->contention, "load average 3.1 on 2 cores");
    }
    size_t len;
    ab_err e;
    ab_report_opts o = {.fmt = DOC_MD};
    char *md = report_render(&runs[0], 1, &o, &len, &e);
    assert_non_null(md);
    assert_non_null(strstr(
        md, "| measured under contention | 1 of 3 cases | over the cases whose records say (host load; "));
    /* the sweep's cells: cin 256 (8389 GFLOPS) marked, cin 64 not */
    assert_non_null(strstr(md, "| cin=256 | 8389 \\! |"));
    assert_non_null(strstr(md, "| cin=64 | 524.3 |"));
    check_md_tables(md);
    free(md);
    o.fmt = DOC_TXT;
    char *txt = report_render(&runs[0], 1, &o, &len, &e);
    assert_non_null(txt);
    assert_non_null(strstr(txt, "1 of 3 cases"));
    assert_non_null(strstr(txt, "8389 !"));
    free(txt);
    o.fmt = DOC_HTML;
    char *html = report_render(&runs[0], 1, &o, &len, &e);
    assert_non_null(html);
    assert_non_null(strstr(html, "1 of 3 cases"));
    assert_non_null(strstr(html, "8389 !"));
    free(html);
    /* several runs: the count per run, the mark in the joined table */
    o.fmt = DOC_MD;
    md = report_render(runs, 2, &o, &len, &e);
    assert_non_null(md);
    assert_non_null(strstr(md, "| measured under contention | 1 of 3 cases | 1 of 3 cases |"));
    assert_non_null(strstr(md, "| 8389 \\! | 8389 \\! |"));
    assert_non_null(strstr(md, "\\! marks a case measured under contention"));
    free(md);
    /* records that do not say: no row, no mark */
    for (size_t i = 0; i < runs[0].n; i++)
        runs[0].recs[i].contended = -1;
    md = report_render(&runs[0], 1, &o, &len, &e);
    assert_non_null(md);
    assert_null(strstr(md, "contention"));
    assert_null(strstr(md, "\\!"));
    free(md);
    run_free(&runs[0]);
    run_free(&runs[1]);
}

/* 63 QoS x 15 procedures x 3 sizes, all off their defaults: one sweep of
 * 945 rows, far over a small budget. */
static void big_run(ab_run *run)
{
    set_meta(run, "box", "2026-11-25T17:00:00Z", 1000);
    for (long q = 0; q < 64; q++)
        for (long p = 1; p < 16; p++)
            for (long c = 64; c <= 256; c *= 2)
                if (q != 21)
                    add_rec(run, c, 64, q, p, 1000 + q * 16 + p);
}

static void test_budget(void **state)
{
    (void)state;
    ab_run run = {0};
    big_run(&run);
    ab_report_opts o = {.fmt = DOC_MD, .budget = 6000};
    size_t len;
    ab_err e;
    char *md = report_render(&run, 1, &o, &len, &e);
    assert_non_null(md);
    assert_true(len <= 6000);
    assert_non_null(strstr(md, "Left out: "));
    assert_non_null(strstr(md, "to fit in one GitHub comment"));
    assert_non_null(strstr(md, "`--all`"));
    check_md_tables(md);
    check_tags(md);
    free(md);

    o.all = 1; /* every row, no budget */
    md = report_render(&run, 1, &o, &len, &e);
    assert_true(len > 6000);
    assert_null(strstr(md, "Left out: "));
    free(md);

    o.all = 0; /* the default budget is GitHub's */
    o.budget = 0;
    md = report_render(&run, 1, &o, &len, &e);
    assert_true(len <= AB_GITHUB_COMMENT_MAX);
    free(md);

    o.budget = 700; /* even one row per table is too long: cut, and said */
    md = report_render(&run, 1, &o, &len, &e);
    assert_true(len <= 700);
    assert_int_equal(strlen(md), len);
    assert_non_null(strstr(md, "The report is cut here"));
    check_tags(md);
    free(md);

    o.budget = 0;
    o.top = 5; /* the user's own limit is said as such */
    md = report_render(&run, 1, &o, &len, &e);
    assert_non_null(strstr(md, "(--top 5)"));
    assert_non_null(strstr(md, "5 of 945 rows shown"));
    free(md);
    run_free(&run);
}

static void test_redact(void **state)
{
    (void)state;
    cJSON *j =
        cJSON_Parse("{\"argv\":[\"anebench\",\"--out\",\"/home/alice/x/mbp-run\",\"--sweep=~/s.json\"],"
                    "\"run_id\":\"20261125T170000-mbp-ane-sim-m5\",\"reason\":\"hw/wall of llvm on MBP: "
                    "see /tmp/a/b.\",\"key\":\"conv1x1 mbp\",\"n\":3}");
    const char *words[] = {"mbp", "alice"}, *repl[] = {"redacted-host", "redacted-user"};
    export_redact(j, words, repl, 2);
    char *s = cJSON_PrintUnformatted(j);
    assert_string_equal(
        s, "{\"argv\":[\"anebench\",\"--out\",\"redacted-path/redacted-host-run\","
           "\"--sweep=redacted-path/s.json\"],\"run_id\":\"20261125T170000-redacted-host-ane-sim-m5\","
           "\"reason\":\"hw/wall of llvm on redacted-host: see redacted-path/b.\","
           "\"key\":\"conv1x1 mbp\",\"n\":3}");
    free(s);
    cJSON_Delete(j);
}

static void test_hardware_hash(void **state)
{
    (void)state;
    ab_run a = {0}, b = {0};
    set_meta(&a, "one", "2026-11-25T17:00:00Z", 1000);
    set_meta(&b, "two", "2026-11-26T17:00:00Z", 1000); /* another name, same hardware */
    char ha[64], hb[64];
    export_hardware_hash(&a.info, ha, sizeof ha);
    export_hardware_hash(&b.info, hb, sizeof hb);
    assert_string_equal(ha, hb);
    assert_int_equal(strlen(ha), strlen("fnv1a64:") + 16);
    b.info.cores = 8;
    export_hardware_hash(&b.info, hb, sizeof hb);
    assert_string_not_equal(ha, hb);
    run_free(&a);
    run_free(&b);
}

static void test_leaderboard(void **state)
{
    (void)state;
    ab_run runs[3];
    memset(runs, 0, sizeof runs);
    set_meta(&runs[0], "box", "2026-11-25T17:00:00Z", 1000); /* older, of the same machine */
    add_rec(&runs[0], 64, 64, 21, 0, 100);
    set_meta(&runs[1], "box", "2026-11-26T17:00:00Z", 1000); /* newest: its row */
    add_rec(&runs[1], 64, 64, 21, 0, 1000);
    set_meta(&runs[2], "other", "2026-11-26T17:00:00Z", 1000);
    runs[2].info.cores = 8;
    add_rec(&runs[2], 64, 64, 21, 0, 500);
    size_t len, len2;
    ab_err e;
    char *csv = leaderboard_render(runs, 3, LB_CSV, &len, &e);
    assert_non_null(csv);
    /* header + two machines; the newest run of the first machine (2*64*64*64 / 1000 ns = 524.288
     * GFLOPS, not the older 5242.88), 2 submissions */
    int lines = 0;
    for (const char *p = csv; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 3);
    assert_non_null(strstr(csv, "\"524.28800000000001\""));
    assert_null(strstr(csv, "\"5242.88"));
    assert_non_null(strstr(csv, ",\"2\"\n"));
    /* the other machine (1048.576 GFLOPS) ranks first */
    assert_true(strstr(csv, "\"1048.576") < strstr(csv, "\"524.288"));
    ab_run rev[3] = {runs[2], runs[0], runs[1]};
    char *csv2 = leaderboard_render(rev, 3, LB_CSV, &len2, &e);
    assert_int_equal(len, len2);
    assert_memory_equal(csv, csv2, len);
    free(csv);
    free(csv2);
    for (int i = 0; i < 3; i++)
        run_free(&runs[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headline),      cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_budget),        cmocka_unit_test(test_redact),
        cmocka_unit_test(test_hardware_hash), cmocka_unit_test(test_leaderboard),
        cmocka_unit_test(test_contended),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
