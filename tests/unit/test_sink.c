/* test_sink.c: the run directory: create, append, finish, refusals, and a
 * full disk (RLIMIT_FSIZE) that must leave the journal whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/reader.h"
#include "harness/sink.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ab-test-sink-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void make_record(ab_record *r, long cin, ab_status st)
{
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = cin;
    c.v[AX_COUT] = cin;
    record_init(r, &c);
    record_set_text(&r->backend, "null");
    r->status = st;
    r->flops = 2.0 * (double)cin * (double)cin * 64;
    if (st == AB_ST_OK) {
        double ns[50];
        for (int i = 0; i < 50; i++)
            ns[i] = 100.0 + (double)((i * 37) % 11);
        record_set_eval_samples(r, ns, 50);
        r->compile_ms = 0.25;
        strcpy(r->stop_reason, "max-samples");
    } else {
        record_set_text(&r->reason, "not supported, \"really\"");
    }
}

static cJSON *make_meta(void)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "schema_version", 1);
    cJSON_AddStringToObject(m, "kind", "anebench-run");
    cJSON_AddStringToObject(m, "run_id", "run1");
    cJSON_AddNumberToObject(m, "case_count", 3);
    return m;
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ab_err e;
    return ab_read_file(path, len, &e);
}

static int count_char(const char *s, char c)
{
    int n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

static void test_create_append_finish(void **state)
{
    (void)state;
    ab_rundir d;
    ab_err e;
    ab_err_clear(&e);
    assert_int_equal(rundir_create(&d, tmpdir, "run1", "null", &e), AB_OK);
    cJSON *meta = make_meta();
    ab_runinfo ri;
    assert_int_equal(runinfo_from_json(meta, "run.json", &ri, &e), AB_OK);
    assert_int_equal(rundir_write_meta(&d, &ri, &e), AB_OK);

    size_t len;
    char *csv = slurp(d.path, "cases.csv", &len);
    assert_non_null(csv);
    assert_int_equal(count_char(csv, '\n'), 1); /* header only */
    assert_non_null(strstr(csv, "\"key\",\"cin\""));
    free(csv);

    const long cins[3] = {64, 128, 256};
    for (int i = 0; i < 3; i++) {
        ab_record r;
        make_record(&r, cins[i], i == 1 ? AB_ST_SKIPPED : AB_ST_OK);
        assert_int_equal(rundir_append(&d, &r, &e), AB_OK);
        record_free(&r);
    }
    assert_int_equal(d.ncases, 3);
    assert_int_equal(rundir_finish(&d, &ri, &e), AB_OK);
    rundir_close(&d);

    /* the journal: three lines, each a complete JSON record with samples */
    char *jl = slurp(d.path, "cases.jsonl", &len);
    assert_non_null(jl);
    assert_int_equal(count_char(jl, '\n'), 3);
    char *line = jl;
    for (int i = 0; i < 3; i++) {
        char *nl = strchr(line, '\n');
        cJSON *j = cJSON_ParseWithLength(line, (size_t)(nl - line));
        assert_non_null(j);
        assert_non_null(cJSON_GetObjectItem(j, "eval_samples_ns"));
        cJSON_Delete(j);
        line = nl + 1;
    }
    free(jl);

    /* results.json = meta + cases, no temporary left */
    char *res = slurp(d.path, "results.json", &len);
    assert_non_null(res);
    cJSON *doc = cJSON_Parse(res);
    free(res);
    assert_non_null(doc);
    assert_string_equal(cJSON_GetObjectItem(doc, "run_id")->valuestring, "run1");
    cJSON *cases = cJSON_GetObjectItem(doc, "cases");
    assert_int_equal(cJSON_GetArraySize(cases), 3);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(cases, 1), "status")->valuestring, "skipped");
    cJSON_Delete(doc);
    char tmpname[1200];
    snprintf(tmpname, sizeof tmpname, "%s/results.json.tmp", d.path);
    assert_int_equal(access(tmpname, F_OK), -1);

    /* and every file reads back */
    ab_run run;
    assert_int_equal(run_load(&run, d.path, &e), AB_OK);
    assert_int_equal(run.n, 3);
    assert_int_equal(run.recs[2].params.v[AX_CIN], 256);
    assert_int_equal(run.recs[0].n_eval_samples, 50);
    run_free(&run);
    snprintf(tmpname, sizeof tmpname, "%s/cases.csv", d.path);
    assert_int_equal(run_load_csv(&run, tmpname, &e), AB_OK);
    assert_int_equal(run.n, 3);
    assert_string_equal(run.recs[1].reason, "not supported, \"really\"");
    assert_int_equal(run.recs[0].eval.n, 50);
    run_free(&run);
    cJSON_Delete(meta);
    runinfo_free(&ri);
}

static void test_run_id(void **state)
{
    (void)state;
    ab_rundir d;
    ab_err e;
    assert_int_equal(rundir_create(&d, tmpdir, NULL, "ane-sim:m5", &e), AB_OK);
    rundir_close(&d);
    const char *base = strrchr(d.path, '/') + 1;
    /* <yyyymmdd>T<hhmmss>-<host>-ane-sim-m5 */
    assert_true(strlen(base) > 16);
    for (int i = 0; i < 15; i++)
        assert_true(i == 8 ? base[i] == 'T' : (base[i] >= '0' && base[i] <= '9'));
    assert_int_equal(base[15], '-');
    assert_null(strchr(base, ':'));
    const char *tail = base + strlen(base) - strlen("-ane-sim-m5");
    assert_string_equal(tail, "-ane-sim-m5");
}

static void test_existing_refused(void **state)
{
    (void)state;
    ab_rundir d;
    ab_err e;
    assert_int_equal(rundir_create(&d, tmpdir, "twice", "cpu", &e), AB_OK);
    ab_record r;
    make_record(&r, 64, AB_ST_OK);
    assert_int_equal(rundir_append(&d, &r, &e), AB_OK);
    record_free(&r);
    rundir_close(&d);

    ab_rundir d2;
    ab_err_clear(&e);
    assert_int_equal(rundir_create(&d2, tmpdir, "twice", "cpu", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "twice"));
    assert_non_null(strstr(e.msg, "exists"));
    assert_null(strchr(e.msg, '\n'));
    /* the old run is untouched */
    ab_run run;
    char path[600];
    snprintf(path, sizeof path, "%s/twice", tmpdir);
    assert_int_equal(run_load(&run, path, &e), AB_OK);
    assert_int_equal(run.n, 1);
    run_free(&run);
}

static void test_unwritable_parent_refused(void **state)
{
    (void)state;
    ab_rundir d;
    ab_err e;
    /* a parent below a regular file can never be made (works as root too) */
    char file[600], parent[700];
    snprintf(file, sizeof file, "%s/plainfile", tmpdir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(parent, sizeof parent, "%s/sub", file);
    ab_err_clear(&e);
    assert_int_equal(rundir_create(&d, parent, "x", "cpu", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, file));

    /* a read-only parent (meaningless for root, who may write anyway) */
    if (geteuid() != 0) {
        snprintf(parent, sizeof parent, "%s/readonly", tmpdir);
        assert_int_equal(mkdir(parent, 0555), 0);
        ab_err_clear(&e);
        assert_int_equal(rundir_create(&d, parent, "x", "cpu", &e), AB_EUSAGE);
        assert_non_null(strstr(e.msg, parent));
        chmod(parent, 0755);
    }

    /* nothing half made: the missing parents created on the way are removed
     * when a deeper level fails (a name over NAME_MAX) */
    char longname[300];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    char deep[1000];
    snprintf(deep, sizeof deep, "%s/newparent/%s", tmpdir, longname);
    ab_err_clear(&e);
    assert_int_equal(rundir_create(&d, deep, "x", "cpu", &e), AB_EUSAGE);
    snprintf(parent, sizeof parent, "%s/newparent", tmpdir);
    assert_int_equal(access(parent, F_OK), -1);

    /* missing parents are made when they can be */
    snprintf(parent, sizeof parent, "%s/a/b/c", tmpdir);
    assert_int_equal(rundir_create(&d, parent, "ok", "cpu", &e), AB_OK);
    rundir_close(&d);
}

/* Disk full: the file-size limit stops the third record's journal line part
 * way; the append must fail naming the file and the journal must still hold
 * exactly the two complete records, with the CSV in step. */
static void test_full_disk_keeps_journal(void **state)
{
    (void)state;
    ab_rundir d;
    ab_err e;
    assert_int_equal(rundir_create(&d, tmpdir, "full", "null", &e), AB_OK);
    for (int i = 0; i < 2; i++) {
        ab_record r;
        make_record(&r, 64 << i, AB_ST_OK);
        assert_int_equal(rundir_append(&d, &r, &e), AB_OK);
        record_free(&r);
    }
    char jpath[1200], cpath[1200];
    snprintf(jpath, sizeof jpath, "%s/cases.jsonl", d.path);
    snprintf(cpath, sizeof cpath, "%s/cases.csv", d.path);
    struct stat js, cs;
    assert_int_equal(stat(jpath, &js), 0);
    assert_int_equal(stat(cpath, &cs), 0);

    void (*old)(int) = signal(SIGXFSZ, SIG_IGN);
    struct rlimit saved, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    lim = saved;
    lim.rlim_cur = (rlim_t)js.st_size + 100; /* the next line is far longer */
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);

    ab_record r;
    make_record(&r, 512, AB_ST_OK);
    ab_err_clear(&e);
    int rc = rundir_append(&d, &r, &e);
    setrlimit(RLIMIT_FSIZE, &saved);
    signal(SIGXFSZ, old);
    record_free(&r);

    assert_int_not_equal(rc, AB_OK);
    assert_non_null(strstr(e.msg, "cases.jsonl"));
    assert_int_equal(d.ncases, 2);
    rundir_close(&d);

    struct stat js2, cs2;
    assert_int_equal(stat(jpath, &js2), 0);
    assert_int_equal(stat(cpath, &cs2), 0);
    assert_int_equal(js2.st_size, js.st_size);
    assert_int_equal(cs2.st_size, cs.st_size);
    ab_run run;
    assert_int_equal(run_load_jsonl(&run, jpath, &e), AB_OK);
    assert_int_equal(run.n, 2);
    assert_int_equal(run.truncated_tail, 0);
    run_free(&run);
    assert_int_equal(run_load_csv(&run, cpath, &e), AB_OK);
    assert_int_equal(run.n, 2);
    run_free(&run);
}

/* Resume: an incomplete last line is cut before appending, the CSV header
 * is not repeated, and the count continues. */
static void test_open_append(void **state)
{
    (void)state;
    ab_rundir d;
    ab_err e;
    assert_int_equal(rundir_create(&d, tmpdir, "resume", "null", &e), AB_OK);
    ab_record r;
    make_record(&r, 64, AB_ST_OK);
    assert_int_equal(rundir_append(&d, &r, &e), AB_OK);
    record_free(&r);
    rundir_close(&d);
    char jpath[1200];
    snprintf(jpath, sizeof jpath, "%s/cases.jsonl", d.path);
    FILE *f = fopen(jpath, "a");
    fputs("{\"key\":\"conv1x1 cin=1", f); /* a crash mid-record */
    fclose(f);

    char path[1100];
    ab_strlcpy(path, d.path, sizeof path);
    assert_int_equal(rundir_open_append(&d, path, &e), AB_OK);
    assert_int_equal(d.ncases, 1);
    make_record(&r, 128, AB_ST_OK);
    assert_int_equal(rundir_append(&d, &r, &e), AB_OK);
    record_free(&r);
    rundir_close(&d);

    ab_run run;
    assert_int_equal(run_load_jsonl(&run, jpath, &e), AB_OK);
    assert_int_equal(run.n, 2);
    assert_int_equal(run.truncated_tail, 0);
    assert_int_equal(run.recs[1].params.v[AX_CIN], 128);
    run_free(&run);
    size_t len;
    char *csv = slurp(path, "cases.csv", &len);
    assert_int_equal(count_char(csv, '\n'), 3); /* one header, two rows */
    free(csv);

    /* a directory that is not there */
    assert_int_equal(rundir_open_append(&d, "/nonexistent/run", &e), AB_EUSAGE);
}

static void test_write_atomic(void **state)
{
    (void)state;
    char path[600];
    ab_err e;
    snprintf(path, sizeof path, "%s/atomic.txt", tmpdir);
    assert_int_equal(ab_write_file_atomic(path, "first\n", 6, &e), AB_OK);
    assert_int_equal(ab_write_file_atomic(path, "second\n", 7, &e), AB_OK);
    size_t len;
    char *t = ab_read_file(path, &len, &e);
    assert_string_equal(t, "second\n");
    free(t);
    strcat(path, ".tmp");
    assert_int_equal(access(path, F_OK), -1);
    ab_err_clear(&e);
    assert_int_not_equal(ab_write_file_atomic("/nonexistent/dir/x.json", "x", 1, &e), AB_OK);
    assert_non_null(strstr(e.msg, "/nonexistent/dir/x.json"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_append_finish),
        cmocka_unit_test(test_run_id),
        cmocka_unit_test(test_existing_refused),
        cmocka_unit_test(test_unwritable_parent_refused),
        cmocka_unit_test(test_full_disk_keeps_journal),
        cmocka_unit_test(test_open_append),
        cmocka_unit_test(test_write_atomic),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
