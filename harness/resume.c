/* resume.c: loading, checking and tidying an interrupted run directory
 * before `anebench run --resume` continues it (see resume.h). */
#include "harness/resume.h"

#include <cjson/cJSON.h>
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/reader.h"
#include "harness/sink.h"

int resume_status_retried(ab_status st)
{
    return st == AB_ST_CRASHED || st == AB_ST_TIMEOUT || st == AB_ST_FAILED;
}

void resume_free(ab_resume *rs)
{
    if (rs->meta)
        cJSON_Delete(rs->meta);
    for (size_t i = 0; i < rs->n_kept; i++)
        record_free(&rs->kept[i]);
    free(rs->kept);
    memset(rs, 0, sizeof *rs);
}

typedef struct keyref {
    const char *key;
    size_t pos;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
    const keyref *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Keeps the last record of each key, in journal order. */
static int drop_duplicates(ab_resume *rs, ab_err *e)
{
    size_t n = rs->n_kept;
    if (n < 2)
        return AB_OK;
    keyref *refs = malloc(n * sizeof *refs);
    char *drop = calloc(n, 1);
    if (!refs || !drop) {
        free(refs);
        free(drop);
        return ab_errf(e, AB_EFAIL, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        refs[i] = (keyref){rs->kept[i].key, i};
    qsort(refs, n, sizeof *refs, keyref_cmp);
    for (size_t i = 0; i + 1 < n; i++)
        if (!strcmp(refs[i].key, refs[i + 1].key))
            drop[refs[i].pos] = 1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (drop[i]) {
            record_free(&rs->kept[i]);
            rs->n_duplicates++;
        } else {
            rs->kept[k++] = rs->kept[i];
        }
    }
    rs->n_kept = k;
    free(refs);
    free(drop);
    return AB_OK;
}

int resume_load(ab_resume *rs, const char *dir, ab_err *e)
{
    memset(rs, 0, sizeof *rs);
    ab_strlcpy(rs->dir, dir, sizeof rs->dir);
    char path[1100];
    snprintf(path, sizeof path, "%s/run.json", dir);
    size_t len = 0;
    char *text = ab_read_file(path, &len, e);
    if (!text)
        return ab_errf(e, AB_EUSAGE, "--resume: '%s' is not a run directory (no readable run.json)", dir);
    rs->meta = cJSON_ParseWithLength(text, len);
    free(text);
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(rs->meta, "kind");
    if (!cJSON_IsObject((cJSON *)rs->meta) || !cJSON_IsString(kind) ||
        strcmp(kind->valuestring, "anebench-run")) {
        resume_free(rs);
        return ab_errf(e, AB_EUSAGE, "--resume: %s is not an anebench run.json", path);
    }
    snprintf(path, sizeof path, "%s/cases.jsonl", dir);
    struct stat st;
    if (stat(path, &st) != 0)
        return AB_OK; /* interrupted before the first case finished */
    ab_run run;
    memset(&run, 0, sizeof run);
    if (run_load_jsonl(&run, path, e) != AB_OK) {
        run_free(&run);
        char msg[sizeof e->msg];
        ab_strlcpy(msg, e->msg, sizeof msg);
        resume_free(rs);
        return ab_errf(e, AB_EUSAGE, "--resume: %s", msg);
    }
    rs->truncated_tail = run.truncated_tail;
    rs->kept = run.recs; /* taken over */
    rs->n_kept = run.n;
    run.recs = NULL;
    run.n = 0;
    run_free(&run);
    return drop_duplicates(rs, e);
}

/* ---- checking --------------------------------------------------------- */

static void add_difference(char *buf, size_t n, int *count, const char *path, const cJSON *was,
                           const cJSON *now)
{
    (*count)++;
    if (*count > 3) {
        if (*count == 4)
            strncat(buf, ", ...", n - strlen(buf) - 1);
        return;
    }
    char *a = was ? cJSON_PrintUnformatted(was) : NULL;
    char *b = now ? cJSON_PrintUnformatted(now) : NULL;
    char item[400];
    snprintf(item, sizeof item, "%s%s was %.80s, now %.80s", *count > 1 ? "; " : "", path, a ? a : "absent",
             b ? b : "absent");
    strncat(buf, item, n - strlen(buf) - 1);
    cJSON_free(a);
    cJSON_free(b);
}

static void compare_member(const cJSON *old_obj, const cJSON *now_obj, const char *section, const char *name,
                           char *buf, size_t n, int *count)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(old_obj, name);
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(now_obj, name);
    if (!a && !b)
        return;
    if (a && b && cJSON_Compare(a, b, 1))
        return;
    char path[128];
    snprintf(path, sizeof path, "%s.%s", section, name);
    add_difference(buf, n, count, path, a, b);
}

int resume_check(const void *old_meta, const void *now_meta, ab_err *e)
{
    static const char *const host_keys[] = {"hostname", "cpu_model",  "chip",
                                            "cores",    "ane_family", "ane_subtype"};
    char diff[400] = "";
    int count = 0;
    const cJSON *oh = cJSON_GetObjectItemCaseSensitive(old_meta, "host");
    const cJSON *nh = cJSON_GetObjectItemCaseSensitive(now_meta, "host");
    for (size_t i = 0; i < sizeof host_keys / sizeof host_keys[0]; i++)
        compare_member(oh, nh, "host", host_keys[i], diff, sizeof diff, &count);
    compare_member(cJSON_GetObjectItemCaseSensitive(old_meta, "backend"),
                   cJSON_GetObjectItemCaseSensitive(now_meta, "backend"), "backend", "name", diff,
                   sizeof diff, &count);
    /* Every setting either side has. */
    const cJSON *os = cJSON_GetObjectItemCaseSensitive(old_meta, "settings");
    const cJSON *ns = cJSON_GetObjectItemCaseSensitive(now_meta, "settings");
    const cJSON *it;
    cJSON_ArrayForEach(it, ns) if (it->string)
        compare_member(os, ns, "settings", it->string, diff, sizeof diff, &count);
    cJSON_ArrayForEach(it, os) if (it->string && !cJSON_GetObjectItemCaseSensitive(ns, it->string))
        compare_member(os, ns, "settings", it->string, diff, sizeof diff, &count);
    if (count == 0)
        return AB_OK;
    return ab_errf(e, AB_EUSAGE, "--resume: this run differs from its run.json: %s (--force resumes anyway)",
                   diff);
}

/* ---- planning ------------------------------------------------------------ */

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void resume_plan(ab_resume *rs, ab_case *cases, size_t n, int retry_failed, size_t *n_todo)
{
    if (retry_failed) {
        size_t k = 0;
        for (size_t i = 0; i < rs->n_kept; i++) {
            if (resume_status_retried(rs->kept[i].status)) {
                record_free(&rs->kept[i]);
                rs->n_retry++;
            } else {
                rs->kept[k++] = rs->kept[i];
            }
        }
        rs->n_kept = k;
    }
    const char **done = malloc((rs->n_kept ? rs->n_kept : 1) * sizeof *done);
    size_t nd = 0;
    if (done)
        for (size_t i = 0; i < rs->n_kept; i++)
            done[nd++] = rs->kept[i].key;
    qsort(done, nd, sizeof *done, str_cmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char key[AB_KEY_MAX];
        case_key(&cases[i], key, sizeof key);
        const char *kp = key;
        if (nd && bsearch(&kp, done, nd, sizeof *done, str_cmp))
            continue;
        cases[k++] = cases[i];
    }
    free(done);
    *n_todo = k;
}

/* ---- rewriting the journal and the CSV ------------------------------------ */

static int write_jsonl(const ab_resume *rs, ab_err *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return ab_errf(e, AB_EFAIL, "out of memory");
    int rc = AB_OK;
    for (size_t i = 0; i < rs->n_kept && rc == AB_OK; i++) {
        cJSON *j = record_to_json(&rs->kept[i], 1);
        char *line = j ? cJSON_PrintUnformatted(j) : NULL;
        if (!line)
            rc = ab_errf(e, AB_EFAIL, "out of memory");
        else
            fprintf(f, "%s\n", line);
        cJSON_free(line);
        cJSON_Delete(j);
    }
    fclose(f);
    char path[1100];
    snprintf(path, sizeof path, "%s/cases.jsonl", rs->dir);
    if (rc == AB_OK)
        rc = ab_write_file_atomic(path, buf, len, e);
    free(buf);
    return rc;
}

static void csv_row(FILE *f, char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        const char *s = fields[i] ? fields[i] : "";
        if (*s) /* empty stays empty: that is null */
            csv_fwrite(f, s, strlen(s));
    }
    fputc('\n', f);
}

static int write_csv(const ab_resume *rs, ab_err *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return ab_errf(e, AB_EFAIL, "out of memory");
    size_t nc = record_csv_ncolumns();
    csv_row(f, (char *const *)record_csv_columns, nc);
    int rc = AB_OK;
    for (size_t i = 0; i < rs->n_kept && rc == AB_OK; i++) {
        char **fields = record_to_csv_fields(&rs->kept[i]);
        if (!fields) {
            rc = ab_errf(e, AB_EFAIL, "out of memory");
            break;
        }
        csv_row(f, fields, nc);
        for (size_t c = 0; c < nc; c++)
            free(fields[c]);
        free(fields);
    }
    fclose(f);
    char path[1100];
    snprintf(path, sizeof path, "%s/cases.csv", rs->dir);
    if (rc == AB_OK)
        rc = ab_write_file_atomic(path, buf, len, e);
    free(buf);
    return rc;
}

int resume_rewrite(const ab_resume *rs, ab_err *e)
{
    int rc = write_jsonl(rs, e);
    return rc ? rc : write_csv(rs, e);
}
