/* run_args.c: the options of `anebench run`, and the command line a resume
 * rebuilds from run.json (see run_args.h). */
#include "bench/run_args.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "harness/platform.h"
#include "harness/rounds.h"

int run_opts_init(run_opts *o, int argc)
{
    memset(o, 0, sizeof *o);
    selection_init(&o->sel);
    o->backend_spec = "auto";
    o->out_parent = "results";
    o->pend = calloc((size_t)argc + 1, sizeof *o->pend);
    return o->pend ? 0 : -1;
}

void run_opts_free(run_opts *o)
{
    selection_free(&o->sel);
    free(o->pend);
    o->pend = NULL;
}

int run_selection_given(const ab_selection *sel)
{
    return sel->preset[0] || sel->sweep_file[0] || sel->n_axis || sel->n_zip;
}

/* Value of "--opt V" / "--opt=V" at argv[*i]; NULL when argv[*i] is not opt. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt, ab_err *e, int *bad)
{
    size_t n = strlen(opt);
    const char *a = argv[*i];
    if (strncmp(a, opt, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        ab_errf(e, AB_EUSAGE, "%s needs a value", opt);
        *bad = 1;
        return NULL;
    }
    return argv[++*i];
}

/* Parses argv[1..argc) (argv[0] is "run"). */
int run_parse_opts(run_opts *o, int argc, char **argv, ab_err *e)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int bad = 0;
        int c = selection_consume(&o->sel, argc, argv, &i, e);
        if (c < 0)
            return AB_EUSAGE;
        if (c > 0)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            o->help = 1;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            o->quiet = 1;
        } else if (!strcmp(a, "--force")) {
            o->force = 1;
        } else if (!strcmp(a, "--retry-failed")) {
            o->retry_failed = 1;
        } else if ((v = opt_value(argc, argv, &i, "--backend", e, &bad)) != NULL) {
            o->backend_spec = v;
        } else if ((v = opt_value(argc, argv, &i, "--out", e, &bad)) != NULL) {
            if (!*v) /* an unset shell variable, most likely: not "here" */
                return ab_errf(e, AB_EUSAGE, "--out: empty path (give a directory, e.g. --out results)");
            o->out_parent = v;
            o->out_given = 1;
        } else if ((v = opt_value(argc, argv, &i, "--resume", e, &bad)) != NULL) {
            if (!*v)
                return ab_errf(e, AB_EUSAGE, "--resume: empty path (give the run directory to resume)");
            o->resume_dir = v;
        } else if (o->list_mode && (!strcmp(a, "--estimate") || !strncmp(a, "--estimate=", 11))) {
            o->estimate = 1;
            o->estimate_from = a[10] == '=' ? a + 11 : NULL;
            if (o->estimate_from && !*o->estimate_from)
                return ab_errf(e, AB_EUSAGE, "--estimate=: empty path (give a run directory)");
        } else if (bad) {
            return AB_EUSAGE;
        } else {
            /* Every setting through the one table's parser; applied after
             * the sweep file's settings (run_resolve). */
            const ab_setting_def *d;
            const char *val;
            int m = settings_match(argc, argv, &i, &d, &val, e);
            if (m < 0)
                return AB_EUSAGE;
            if (m == 0)
                return ab_errf(e, AB_EUSAGE, "%s: unknown option '%s' (see anebench %s --help)",
                               o->list_mode ? "list" : "run", a, o->list_mode ? "list" : "run");
            o->pend[o->npend++] = (pending){d, val};
        }
    }
    return AB_OK;
}

int run_resolve(run_opts *o, ab_settings *s, double max_mem_bytes, ab_case **cases, size_t *n, char *notes,
                size_t nn, ab_err *e)
{
    ab_settings_from from;
    memset(&from, 0, sizeof from);
    settings_default(s);
    if (notes && nn)
        notes[0] = '\0';
    int rc = selection_resolve(&o->sel, s, max_mem_bytes, cases, n, e);
    if (rc != AB_OK)
        return rc;
    char label[160];
    if (o->sel.sweep_file[0])
        snprintf(label, sizeof label, "sweep file %.140s", o->sel.sweep_file);
    else
        snprintf(label, sizeof label, "preset %.60s", o->sel.preset);
    settings_from_json(&from, o->sel.sweep.settings, label);
    for (size_t i = 0; i < o->npend; i++) {
        if ((rc = settings_set(s, o->pend[i].d, o->pend[i].value, e)) != AB_OK)
            break;
        settings_from_set(&from, o->pend[i].d, SETTINGS_FROM_FLAG);
    }
    if (rc == AB_OK)
        rc = settings_reconcile(s, &from, notes, nn, e);
    if (rc == AB_OK) /* --repeat N: the sweep N times, round after round */
        rc = rounds_expand(cases, n, s->repeat, e);
    if (rc != AB_OK) {
        free(*cases);
        *cases = NULL;
        *n = 0;
    }
    return rc;
}

int run_use_stored_sweep(run_opts *o, const char *dir)
{
    char copy[sizeof o->sel.stored_path];
    int len = snprintf(copy, sizeof copy, "%s/%s", dir, RUN_SWEEP_COPY);
    if (len < 0 || (size_t)len >= sizeof copy || access(copy, F_OK) != 0)
        return 0;
    ab_strlcpy(o->sel.stored_path, copy, sizeof o->sel.stored_path);
    return 1;
}

/* The argv a resume runs with: the stored run's options (without where it
 * wrote and how it was shown), then this command's (without --resume). The
 * strings stay owned by meta and argv. */
char **run_resume_argv(const void *meta, int argc, char **argv, int *n_out, ab_err *e)
{
    const cJSON *av = cJSON_GetObjectItemCaseSensitive(meta, "argv");
    int ns = cJSON_GetArraySize(av);
    char **out = calloc((size_t)(ns + argc + 2), sizeof *out);
    if (!out) {
        ab_errf(e, AB_EFAIL, "out of memory");
        return NULL;
    }
    int k = 0;
    out[k++] = "run";
    for (int i = 2; i < ns; i++) { /* skip "anebench", "run" */
        const cJSON *it = cJSON_GetArrayItem(av, i);
        if (!cJSON_IsString(it)) {
            free(out);
            ab_errf(e, AB_EUSAGE, "--resume: run.json has a bad argv");
            return NULL;
        }
        const char *a = it->valuestring;
        if (!strcmp(a, "--out") || !strcmp(a, "--resume")) {
            i++;
            continue;
        }
        if (!strncmp(a, "--out=", 6) || !strncmp(a, "--resume=", 9) || !strcmp(a, "--quiet") ||
            !strcmp(a, "-q") || !strcmp(a, "--force") || !strcmp(a, "--retry-failed"))
            continue;
        out[k++] = it->valuestring;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--resume")) {
            i++;
            continue;
        }
        if (!strncmp(argv[i], "--resume=", 9))
            continue;
        out[k++] = argv[i];
    }
    *n_out = k;
    return out;
}

/* Path of this executable, for the workers and the resume command. */
int run_self_exe(char *buf, size_t n)
{
    return ab_self_exe(buf, n);
}

/* Prints s quoted for a POSIX shell when it needs it. */
void run_print_shell_word(FILE *f, const char *s)
{
    size_t n = 4 * strlen(s) + 16; /* ab_shell_word's bound */
    char *buf = malloc(n);
    if (!buf)
        return;
    buf[0] = '\0';
    ab_shell_word(buf, n, s, 0);
    fputs(buf, f);
    free(buf);
}
