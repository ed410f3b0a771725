/* resume.c: loading, checking and tidying an interrupted run directory
 * before `anebench run --resume` continues it (see resume.h). */
#include "harness/resume.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/reader.h"
#include "harness/settings.h"
#include "harness/sink.h"

int resume_status_retried(ab_status st)
{
    return st == AB_ST_CRASHED || st == AB_ST_TIMEOUT || st == AB_ST_FAILED;
}

void resume_free(ab_resume *rs)
{
    runinfo_free(&rs->info);
    for (size_t i = 0; i < rs->n_kept; i++)
        record_free(&rs->kept[i]);
    free(rs->kept);
    memset(rs, 0, sizeof *rs);
}

int resume_load(ab_resume *rs, const char *dir, ab_err *e)
{
    memset(rs, 0, sizeof *rs);
    runinfo_init(&rs->info);
    ab_strlcpy(rs->dir, dir, sizeof rs->dir);
    char path[1100];
    snprintf(path, sizeof path, "%s/run.json", dir);
    struct stat st;
    if (stat(path, &st) != 0)
        return ab_errf(e, AB_EUSAGE, "--resume: '%s' is not a run directory (no readable run.json)", dir);
    ab_err re;
    ab_err_clear(&re);
    if (runinfo_read(path, &rs->info, &re) != AB_OK) {
        resume_free(rs);
        return ab_errf(e, AB_EUSAGE, "--resume: %s is not an anebench run.json (%s)", path, re.msg);
    }
    snprintf(path, sizeof path, "%s/cases.jsonl", dir);
    if (stat(path, &st) != 0)
        return AB_OK; /* interrupted before the first case finished */
    /* The reading path keeps the last record of each key, in journal order. */
    ab_run run;
    if (run_load_jsonl(&run, path, &re) != AB_OK) {
        resume_free(rs);
        return ab_errf(e, AB_EUSAGE, "--resume: %s", re.msg);
    }
    rs->truncated_tail = run.truncated_tail;
    rs->n_duplicates = run.n_superseded;
    rs->kept = run_take_records(&run, &rs->n_kept);
    if (!rs->kept && run.n) {
        run_free(&run);
        resume_free(rs);
        return ab_errf(e, AB_EUSAGE,
                       "--resume: %s: out of memory (more than this machine, or its ulimit -v, allows)",
                       path);
    }
    run_free(&run);
    return AB_OK;
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

/* A setting this build has and the run's older build did not (e.g. repeat),
 * now at its default (a number, a bool, or an enum's name): the old run
 * behaved as the default does, so it is no difference. Absent now, or off its default, it still is one. */
static int added_at_default(const cJSON *old_settings, const cJSON *now)
{
    const ab_setting_def *d = settings_find(now->string);
    if (!d || cJSON_GetObjectItemCaseSensitive(old_settings, now->string))
        return 0;
    if (cJSON_IsString(now)) /* an enum setting (weights_layout): its name */
        return strcmp(now->valuestring, d->def) == 0;
    double def = strtod(d->def, NULL);
    if (cJSON_IsBool(now))
        return (cJSON_IsTrue(now) ? 1.0 : 0.0) == def;
    return cJSON_IsNumber(now) && now->valuedouble == def;
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
    cJSON_ArrayForEach(it, ns) if (it->string && !added_at_default(os, it))
        compare_member(os, ns, "settings", it->string, diff, sizeof diff, &count);
    cJSON_ArrayForEach(it, os) if (it->string && !cJSON_GetObjectItemCaseSensitive(ns, it->string))
        compare_member(os, ns, "settings", it->string, diff, sizeof diff, &count);
    if (count == 0)
        return AB_OK;
    return ab_errf(e, AB_EUSAGE, "--resume: this run differs from its run.json: %s (--force resumes anyway)",
                   diff);
}

/* ---- planning ------------------------------------------------------------ */

/* A case done: its key and round (--repeat). */
typedef struct done_case {
    const char *key;
    int round;
} done_case;

static int done_cmp(const void *a, const void *b)
{
    const done_case *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->round > y->round) - (x->round < y->round);
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
    done_case *done = malloc((rs->n_kept ? rs->n_kept : 1) * sizeof *done);
    size_t nd = 0;
    if (done)
        for (size_t i = 0; i < rs->n_kept; i++)
            done[nd++] = (done_case){rs->kept[i].key, rs->kept[i].round};
    qsort(done, nd, sizeof *done, done_cmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char key[AB_KEY_MAX];
        case_key(&cases[i], key, sizeof key);
        done_case want = {key, cases[i].round > 1 ? cases[i].round : 1};
        if (nd && bsearch(&want, done, nd, sizeof *done, done_cmp))
            continue;
        cases[k++] = cases[i];
    }
    free(done);
    *n_todo = k;
}

/* ---- rewriting the journal and the CSV ------------------------------------ */

int resume_rewrite(const ab_resume *rs, ab_err *e)
{
    return rundir_rewrite(rs->dir, &rs->info, rs->kept, rs->n_kept, e);
}
