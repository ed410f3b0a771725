/* cmd_compare.c: `anebench compare BASE OTHER...`: runs (directories,
 * results.json, cases.jsonl, cases.csv) case by case, or two probe reports
 * as a capability diff. Every input is loaded and checked before anything is
 * printed, so bad input gives exit 2 and one line, never half a table. */
#include <cjson/cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/commands.h"
#include "bench/compare_render.h"
#include "harness/report.h"
#include "harness/compare.h"
#include "harness/probe_compare.h"
#include "harness/reader.h"
#include "harness/runview.h"
#include "harness/rounds.h"

typedef enum { FMT_TABLE, FMT_MD, FMT_CSV, FMT_JSON } out_format;

typedef struct opts {
    ab_cmp_opts cmp;
    out_format format;
    ab_cmp_sort sort;
    int fail_on_regression;
    const char **paths;
    int npaths;
} opts;

/* One input: a run, or a probe report (cJSON*), loaded on its own thread. */
typedef struct input {
    const char *path;
    ab_run run;
    int loaded;
    cJSON *probe;
    int rc;
    ab_err err;
} input;

static size_t npaths_sz(const opts *o)
{
    return o->npaths > 0 ? (size_t)o->npaths : 1;
}

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: anebench compare BASE OTHER... [--metric M] [--format table|md|csv|json]\n"
        "                        [--threshold PCT] [--alpha A] [--sort change|key] [--fail-on-regression]\n\n"
        "Joins runs on the case key and says, per case, whether OTHER is faster than BASE,\n"
        "slower, the same (within the threshold) or unclear (beyond it but not significant).\n"
        "Each of BASE and OTHER is a run directory, a results.json, a cases.jsonl or a cases.csv;\n"
        "two probe reports (anebench probe -o FILE) compare as a capability diff.\n\n"
        "  --metric M            what to compare (default eval):\n");
    for (int i = 0; i < CMP_M_COUNT; i++)
        fprintf(f, "                          %-10s %s\n", ab_cmp_metrics[i].name, ab_cmp_metrics[i].help);
    fprintf(f, "  --format F            table (default; colour on a terminal unless NO_COLOR is set),\n"
               "                        md (GitHub markdown), csv, json\n"
               "  --threshold PCT       change within +-PCT%% is \"same\" (default 5)\n"
               "  --alpha A             significance level of the Mann-Whitney U test (default 0.05)\n"
               "  --sort change|key     rows by biggest regression first, or by case (default key)\n"
               "  --fail-on-regression  exit 1 when any case is slower\n\n"
               "Significance: with raw samples on both sides a two-sided Mann-Whitney U test (exact for\n"
               "small samples without ties); else the runs' 95%% confidence intervals of the median\n"
               "(apart = significant); single measurements (compile, load, ...) use the threshold alone.\n"
               "Geometric-mean ratios are given over all compared cases and per value of each axis that\n"
               "varies. Cases whose status differs, or present on one side only, are listed apart.\n\n"
               "exit codes: 0 done; 1 --fail-on-regression and a case is slower; 2 bad usage or input\n");
}

static int parse_double(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || (*end && strcmp(end, "%")) || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* Option value: "--name V" or "--name=V". Returns the value or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, int *matched)
{
    size_t n = strlen(name);
    *matched = 0;
    if (strncmp(argv[*i], name, n))
        return NULL;
    if (argv[*i][n] == '=') {
        *matched = 1;
        return argv[*i] + n + 1;
    }
    if (argv[*i][n] != '\0')
        return NULL;
    *matched = 1;
    return *i + 1 < argc ? argv[++*i] : NULL;
}

/* Returns 0, 1 for --help, or AB_EUSAGE with e set. */
static int parse_args(int argc, char **argv, opts *o, ab_err *e)
{
    cmp_opts_default(&o->cmp);
    o->format = FMT_TABLE;
    o->sort = CMP_SORT_KEY;
    o->paths = calloc((size_t)argc, sizeof *o->paths);
    if (!o->paths)
        return ab_errf(e, AB_EUSAGE, "out of memory (more than this machine, or its ulimit -v, allows)");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int m;
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return 1;
        if (!strcmp(a, "--fail-on-regression")) {
            o->fail_on_regression = 1;
        } else if ((v = opt_value(argc, argv, &i, "--metric", &m)) || m) {
            int k = v ? cmp_metric_find(v) : -1;
            if (k < 0)
                return ab_errf(e, AB_EUSAGE,
                               "--metric: '%s' is not one of eval, compile, load, first-eval, unload, "
                               "reload, gflops, hw",
                               v ? v : "");
            o->cmp.metric = (ab_cmp_metric)k;
        } else if ((v = opt_value(argc, argv, &i, "--format", &m)) || m) {
            static const char *const names[] = {"table", "md", "csv", "json"};
            int k = -1;
            for (int j = 0; j < 4 && v; j++)
                if (!strcmp(v, names[j]))
                    k = j;
            if (k < 0)
                return ab_errf(e, AB_EUSAGE, "--format: '%s' is not one of table, md, csv, json", v ? v : "");
            o->format = (out_format)k;
        } else if ((v = opt_value(argc, argv, &i, "--threshold", &m)) || m) {
            if (!v || parse_double(v, &o->cmp.threshold_pct) || o->cmp.threshold_pct < 0)
                return ab_errf(e, AB_EUSAGE, "--threshold: '%s' is not a percentage >= 0", v ? v : "");
        } else if ((v = opt_value(argc, argv, &i, "--alpha", &m)) || m) {
            if (!v || parse_double(v, &o->cmp.alpha) || !(o->cmp.alpha > 0 && o->cmp.alpha < 1))
                return ab_errf(e, AB_EUSAGE, "--alpha: '%s' is not a number between 0 and 1", v ? v : "");
        } else if ((v = opt_value(argc, argv, &i, "--sort", &m)) || m) {
            if (v && !strcmp(v, "change"))
                o->sort = CMP_SORT_CHANGE;
            else if (v && !strcmp(v, "key"))
                o->sort = CMP_SORT_KEY;
            else
                return ab_errf(e, AB_EUSAGE, "--sort: '%s' is not change or key", v ? v : "");
        } else if (a[0] == '-' && a[1] != '\0') {
            return ab_errf(e, AB_EUSAGE, "compare: unknown option '%s' (see anebench compare --help)", a);
        } else {
            o->paths[o->npaths++] = a;
        }
    }
    if (o->npaths < 2)
        return ab_errf(e, AB_EUSAGE, "compare: needs BASE and at least one OTHER (got %d file%s)", o->npaths,
                       o->npaths == 1 ? "" : "s");
    return 0;
}

/* A probe report at path, or NULL (not a regular file, not JSON, not a probe). */
static cJSON *try_probe(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    size_t len = 0;
    char *text = ab_read_file(path, &len, NULL);
    if (!text)
        return NULL;
    cJSON *j = cJSON_Parse(text);
    free(text);
    if (j && !probe_is_report(j)) {
        cJSON_Delete(j);
        j = NULL;
    }
    return j;
}

static int load_input(input *in, const char *path, ab_err *e)
{
    ab_err le;
    ab_err_clear(&le);
    /* shown: no terminal control sequence from a file reaches the screen */
    if (run_load_merged_shown(&in->run, path, &le) == AB_OK) {
        in->loaded = 1; /* a run (its kind is "anebench-run"; a probe report is not one) */
        return compare_check_run(&in->run, e);
    }
    in->probe = try_probe(path);
    ab_scrub_json(in->probe);
    if (in->probe)
        return probe_check(in->probe, path, e);
    return ab_errf(e, le.code ? le.code : AB_EUSAGE, "%s", le.msg[0] ? le.msg : "cannot read input");
}

static void *load_thread(void *arg)
{
    input *in = arg;
    ab_err_clear(&in->err);
    in->rc = load_input(in, in->path, &in->err);
    return NULL;
}

/* Loads every input, as many at once as there are processors (parsing a
 * 20,000-case results.json is most of a comparison's time). Returns the
 * first failure in argument order, so the message does not depend on timing. */
static int load_all(input *in, int n, ab_err *e)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int batch = cpus > 1 ? (int)(cpus < n ? cpus : n) : 1;
    pthread_t *t = calloc((size_t)batch, sizeof *t);
    int *started = calloc((size_t)batch, sizeof *started);
    if (!t || !started)
        batch = 1;
    for (int first = 0; first < n; first += batch) {
        int m = first + batch <= n ? batch : n - first;
        for (int k = 1; k < m; k++)
            started[k] = pthread_create(&t[k], NULL, load_thread, &in[first + k]) == 0;
        load_thread(&in[first]);
        for (int k = 1; k < m; k++) {
            if (started[k])
                pthread_join(t[k], NULL);
            else
                load_thread(&in[first + k]);
        }
    }
    free(t);
    free(started);
    for (int k = 0; k < n; k++)
        if (in[k].rc != AB_OK) {
            *e = in[k].err;
            return in[k].rc;
        }
    return AB_OK;
}

static void free_input(input *in)
{
    if (in->loaded)
        run_free(&in->run);
    cJSON_Delete(in->probe);
}

static int use_colour(const opts *o)
{
    const char *nc = getenv("NO_COLOR");
    return o->format == FMT_TABLE && isatty(STDOUT_FILENO) && !(nc && *nc);
}

static void print_json(cJSON *j)
{
    char *s = cJSON_Print(j);
    if (s)
        fputs(s, stdout);
    fputc('\n', stdout);
    cJSON_free(s);
}

static int compare_probes(const opts *o, input *in)
{
    ab_probe_cmp *pc = calloc(npaths_sz(o), sizeof *pc);
    ab_err e;
    int rc = AB_OK;
    if (!pc)
        return ab_report(AB_EUSAGE, "out of memory (more than this machine, or its ulimit -v, allows)");
    for (int k = 1; k < o->npaths && rc == AB_OK; k++)
        rc = probe_compare(in[0].probe, in[k].probe, &pc[k], &e);
    if (rc != AB_OK) {
        ab_report(rc, e.msg);
    } else {
        cJSON *all = o->format == FMT_JSON ? cJSON_CreateObject() : NULL;
        cJSON *arr = NULL;
        if (all) {
            cJSON_AddNumberToObject(all, "schema_version", AB_SCHEMA_VERSION);
            cJSON_AddStringToObject(all, "kind", "anebench-probe-compare");
            arr = cJSON_AddArrayToObject(all, "comparisons");
        }
        for (int k = 1; k < o->npaths; k++) {
            const char *b = o->paths[0], *x = o->paths[k];
            if (o->format == FMT_TABLE)
                render_probe_table(stdout, &pc[k], b, x, use_colour(o));
            else if (o->format == FMT_MD)
                render_probe_md(stdout, &pc[k], b, x);
            else if (o->format == FMT_CSV)
                render_probe_csv(stdout, &pc[k], b, x);
            else
                cJSON_AddItemToArray(arr, probe_compare_to_json(&pc[k], b, x));
            if (k + 1 < o->npaths && o->format != FMT_JSON && o->format != FMT_CSV)
                fputc('\n', stdout);
        }
        if (all) {
            print_json(all);
            cJSON_Delete(all);
        }
    }
    for (int k = 1; k < o->npaths; k++)
        probe_compare_free(&pc[k]);
    free(pc);
    return rc;
}

/* Why the first case left out for want of the metric was left out, or NULL:
 * a comparison where that left nothing is a metric these runs do not have. */
static const char *lacks_metric(const ab_cmp *c)
{
    for (size_t i = 0; i < c->nuncompared; i++)
        if (!strncmp(c->uncompared[i].why, "no value", 8))
            return c->uncompared[i].why;
    return NULL;
}

static int compare_runs(const opts *o, input *in)
{
    ab_cmp *cmp = calloc(npaths_sz(o), sizeof *cmp);
    ab_cmp_context *ctx = calloc(npaths_sz(o), sizeof *ctx);
    ab_err e;
    int rc = AB_OK, slower = 0;
    if (!cmp || !ctx) {
        free(cmp);
        free(ctx);
        return ab_report(AB_EUSAGE, "out of memory (more than this machine, or its ulimit -v, allows)");
    }
    int done = 1;
    for (; done < o->npaths; done++) {
        rc = compare_records_hashed(in[0].run.recs, in[0].run.key_hash, in[0].run.n, in[done].run.recs,
                                    in[done].run.key_hash, in[done].run.n, &o->cmp, &cmp[done], &e);
        if (rc == AB_OK) { /* the reader kept the last record of each key */
            cmp[done].dup_base += in[0].run.n_superseded;
            cmp[done].dup_other += in[done].run.n_superseded;
        }
        if (rc == AB_OK && compare_joined(&cmp[done]) == 0)
            rc = ab_errf(&e, AB_EUSAGE, "no cases in common between %s and %s", o->paths[0], o->paths[done]);
        else if (rc == AB_OK && cmp[done].nrows == 0 && lacks_metric(&cmp[done]))
            rc = ab_errf(
                &e, AB_EUSAGE,
                "nothing to compare between %s and %s: none of the %zu cases in common has --metric %s "
                "on both sides (%s)",
                o->paths[0], o->paths[done], compare_joined(&cmp[done]), ab_cmp_metrics[o->cmp.metric].name,
                lacks_metric(&cmp[done]));
        if (rc != AB_OK)
            break;
        compare_sort(&cmp[done], o->sort);
        compare_context(&in[0].run, &in[done].run, &ctx[done]);
        slower |= cmp[done].counts[CMP_SLOWER] > 0;
    }
    if (rc != AB_OK) {
        ab_report(rc, e.msg);
        done++; /* free the failed one too */
    } else {
        cJSON *all = NULL, *arr = NULL;
        if (o->format == FMT_JSON) {
            all = cJSON_CreateObject();
            cJSON_AddNumberToObject(all, "schema_version", AB_SCHEMA_VERSION);
            cJSON_AddStringToObject(all, "kind", "anebench-compare");
            cJSON_AddStringToObject(all, "base", o->paths[0]);
            arr = cJSON_AddArrayToObject(all, "comparisons");
        }
        if (o->format == FMT_CSV)
            render_cmp_csv_header(stdout);
        for (int k = 1; k < o->npaths; k++) {
            ab_cmp_view v = {&cmp[k], &ctx[k], o->paths[0], o->paths[k]};
            if (o->format == FMT_TABLE)
                render_cmp_table(stdout, &v, use_colour(o));
            else if (o->format == FMT_MD)
                /* all sections together fit in one GitHub comment */
                render_cmp_md(stdout, &v, (AB_GITHUB_COMMENT_MAX - 64) / (size_t)(o->npaths - 1) - 1);
            else if (o->format == FMT_CSV)
                render_cmp_csv(stdout, &v);
            else
                cJSON_AddItemToArray(arr, compare_to_json(&cmp[k], &ctx[k], o->paths[0], o->paths[k]));
            if (k + 1 < o->npaths && (o->format == FMT_TABLE || o->format == FMT_MD))
                fputc('\n', stdout);
        }
        if (all) {
            print_json(all);
            cJSON_Delete(all);
        }
        if (o->fail_on_regression && slower) {
            fflush(stdout);
            fprintf(stderr, "anebench: regression: at least one case is slower (--fail-on-regression)\n");
            rc = AB_EFAIL;
        }
    }
    for (int k = 1; k < done && k < o->npaths; k++)
        compare_free(&cmp[k]);
    free(cmp);
    free(ctx);
    return rc;
}

int cmd_compare(int argc, char **argv)
{
    opts o;
    ab_err e;
    memset(&o, 0, sizeof o);
    ab_err_clear(&e);
    int rc = parse_args(argc, argv, &o, &e);
    if (rc == 1) {
        usage(stdout);
        free(o.paths);
        return AB_OK;
    }
    if (rc != 0) {
        free(o.paths);
        return ab_report(rc, e.msg);
    }
    input *in = calloc(npaths_sz(&o), sizeof *in);
    if (!in) {
        free(o.paths);
        return ab_report(AB_EUSAGE, "out of memory (more than this machine, or its ulimit -v, allows)");
    }
    for (int k = 0; k < o.npaths; k++)
        in[k].path = o.paths[k];
    rc = load_all(in, o.npaths, &e);
    for (int k = 0; k < o.npaths && rc == AB_OK; k++)
        if (in[k].loaded && in[k].run.truncated_tail)
            fprintf(stderr,
                    "anebench: note: %s: the journal's last line was incomplete (a run cut off "
                    "mid-write) and is left out\n",
                    o.paths[k]);
    if (rc == AB_OK) {
        int probes = 0;
        for (int k = 0; k < o.npaths; k++)
            probes += in[k].probe != NULL;
        if (probes && probes != o.npaths) {
            int p = 0, r = 0;
            while (!in[p].probe)
                p++;
            while (in[r].probe)
                r++;
            rc = ab_errf(&e, AB_EUSAGE, "%s is a probe report but %s is a run: compare probes with probes",
                         o.paths[p], o.paths[r]);
        }
        if (rc == AB_OK)
            rc = probes ? compare_probes(&o, in) : compare_runs(&o, in);
        else
            ab_report(rc, e.msg);
    } else {
        ab_report(rc, e.msg);
    }
    for (int k = 0; k < o.npaths; k++)
        free_input(&in[k]);
    free(in);
    free(o.paths);
    return rc;
}
