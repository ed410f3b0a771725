/* cmd_run.c: `anebench run`: a sweep from selection to run directory. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "backends/backend.h"
#include "bench/commands.h"
#include "bench/selection.h"
#include "harness/clock.h"
#include "harness/progress.h"
#include "harness/runmeta.h"
#include "harness/scheduler.h"
#include "harness/settings.h"
#include "harness/sink.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    if (interrupted)
        _exit(130); /* second Ctrl-C: stop at once */
    interrupted = 1;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: anebench run [SELECTION] [--backend B] [--out DIR] [MEASURE] [--quiet]\n\n"
               "Runs every case of the selected sweep on a backend and writes a run directory\n"
               "DIR/<UTC time>-<host>-<backend>/ with run.json, cases.jsonl, cases.csv and results.json.\n\n");
    selection_help(f);
    fprintf(f, "\nBACKEND (--backend B, default auto):\n");
    backend_list_help(f);
    fprintf(f, "\nOUTPUT:\n"
               "  --out DIR      parent of the run directory (default: results)\n"
               "  --quiet        no progress output\n\nMEASURE:\n");
    settings_help(f);
    fprintf(f, "\nexit codes: 0 every case ok or skipped; 1 a case failed, crashed, timed out or gave a\n"
               "wrong output; 2 bad usage or input; 130 interrupted\n");
}

typedef struct pending {
    const ab_setting_def *d;
    const char *value;
} pending;

static cJSON *build_meta(int argc, char **argv, const char *run_id, const ab_host *h, ab_backend *b,
                         const ab_clock_info *ci, const ab_settings *s, const ab_selection *sel, size_t ncases,
                         const char *started)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "schema_version", AB_SCHEMA_VERSION);
    cJSON_AddStringToObject(m, "kind", "anebench-run");
    cJSON_AddStringToObject(m, "run_id", run_id);
    cJSON *av = cJSON_AddArrayToObject(m, "argv");
    cJSON_AddItemToArray(av, cJSON_CreateString("anebench"));
    for (int i = 0; i < argc; i++)
        cJSON_AddItemToArray(av, cJSON_CreateString(argv[i]));
    cJSON_AddStringToObject(m, "started", started);
    cJSON_AddNullToObject(m, "finished");
    cJSON_AddItemToObject(m, "tool", tool_to_json());
    cJSON_AddItemToObject(m, "host", host_to_json(h));
    cJSON *bj = cJSON_CreateObject();
    cJSON_AddStringToObject(bj, "name", b->spec);
    cJSON_AddStringToObject(bj, "engine", b->ops->name);
    cJSON_AddBoolToObject(bj, "simulated", b->simulated);
    if (b->ops->describe)
        b->ops->describe(b, bj);
    if (!cJSON_GetObjectItemCaseSensitive(bj, "peak_gflops"))
        cJSON_AddNullToObject(bj, "peak_gflops");
    cJSON_AddItemToObject(m, "backend", bj);
    /* Facts the engine knows better than the OS (chip, ANE family) go to host too. */
    cJSON *hj = cJSON_GetObjectItemCaseSensitive(m, "host");
    static const char *const lift[] = {"chip", "ane_family", "ane_subtype", "ane_cores"};
    for (size_t i = 0; i < sizeof lift / sizeof lift[0]; i++) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(bj, lift[i]);
        cJSON *hv = cJSON_GetObjectItemCaseSensitive(hj, lift[i]);
        if (v && !cJSON_IsNull(v) && hv && cJSON_IsNull(hv))
            cJSON_ReplaceItemInObjectCaseSensitive(hj, lift[i], cJSON_Duplicate(v, 1));
    }
    cJSON_AddItemToObject(m, "timer", clock_to_json(ci));
    cJSON_AddItemToObject(m, "settings", settings_to_json(s));
    cJSON_AddItemToObject(m, "selection", selection_to_json(sel));
    cJSON_AddNumberToObject(m, "case_count", (double)ncases);
    return m;
}

int cmd_run(int argc, char **argv)
{
    ab_selection sel;
    ab_settings s;
    ab_err e;
    const char *backend_spec = "auto", *out_parent = "results";
    int quiet = 0, rc;
    pending *pend = calloc((size_t)argc + 1, sizeof *pend);
    size_t npend = 0;

    selection_init(&sel);
    settings_default(&s);
    ab_err_clear(&e);
    if (!pend)
        return ab_report(AB_EFAIL, "out of memory");

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int c = selection_consume(&sel, argc, argv, &i, &e);
        if (c < 0)
            goto usage_error;
        if (c > 0)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            selection_free(&sel);
            free(pend);
            return 0;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
        } else if (!strcmp(a, "--backend") || !strcmp(a, "--out")) {
            if (i + 1 >= argc) {
                ab_errf(&e, AB_EUSAGE, "%s needs a value", a);
                goto usage_error;
            }
            if (!strcmp(a, "--backend"))
                backend_spec = argv[++i];
            else
                out_parent = argv[++i];
        } else if (!strncmp(a, "--backend=", 10)) {
            backend_spec = a + 10;
        } else if (!strncmp(a, "--out=", 6)) {
            out_parent = a + 6;
        } else {
            char flag[64];
            const char *eq = strchr(a, '=');
            size_t fl = eq ? (size_t)(eq - a) : strlen(a);
            ab_strlcpy(flag, a, fl + 1 < sizeof flag ? fl + 1 : sizeof flag);
            const ab_setting_def *d = !strncmp(a, "--", 2) ? settings_find(flag) : NULL;
            if (!d) {
                ab_errf(&e, AB_EUSAGE, "run: unknown option '%s' (see anebench run --help)", a);
                goto usage_error;
            }
            const char *val = NULL;
            if (eq)
                val = eq + 1;
            else if (d->type != SET_BOOL && d->type != SET_NEGBOOL) {
                if (i + 1 >= argc) {
                    ab_errf(&e, AB_EUSAGE, "%s needs a value", flag);
                    goto usage_error;
                }
                val = argv[++i];
            }
            pend[npend++] = (pending){d, val};
        }
    }

    ab_host host;
    host_read(&host);
    ab_case *cases = NULL;
    size_t ncases = 0;
    rc = selection_resolve(&sel, &s, host.mem_bytes > 0 ? host.mem_bytes / 2 : 0, &cases, &ncases, &e);
    if (rc != AB_OK)
        goto usage_error;
    for (size_t i = 0; i < npend; i++)
        if (settings_set(&s, pend[i].d, pend[i].value, &e) != AB_OK) {
            free(cases);
            goto usage_error;
        }
    if (settings_validate(&s, &e) != AB_OK) {
        free(cases);
        goto usage_error;
    }

    ab_backend b;
    if (backend_open(&b, backend_spec, &e) != AB_OK) {
        free(cases);
        goto usage_error;
    }
    if (b.ops->probe && b.ops->probe(&b, &e) != AB_OK) {
        backend_close(&b);
        free(cases);
        goto usage_error;
    }

    ab_clock_info ci;
    clock_calibrate(&ci);
    ab_rundir dir;
    rc = rundir_create(&dir, out_parent, NULL, b.spec, &e);
    if (rc != AB_OK) {
        backend_close(&b);
        free(cases);
        goto usage_error;
    }
    char started[32];
    ab_utc_iso(started, sizeof started, 0);
    const char *run_id = strrchr(dir.path, '/') ? strrchr(dir.path, '/') + 1 : dir.path;
    cJSON *meta = build_meta(argc, argv, run_id, &host, &b, &ci, &s, &sel, ncases, started);
    rc = rundir_write_meta(&dir, meta, &e);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    ab_progress prog;
    progress_init(&prog, stderr, ncases, quiet);
    if (!quiet)
        fprintf(stderr, "anebench: %zu cases on %s%s -> %s\n", ncases, b.spec,
                b.simulated ? " (SIMULATED: modelled, not measured on an ANE)" : "", dir.path);
    ab_sched sc = {.backend_spec = b.spec, .backend = &b, .s = &s, .dir = &dir, .progress = &prog,
                   .exe = NULL, .interrupted = &interrupted};
    if (rc == AB_OK)
        rc = scheduler_run(&sc, cases, ncases, &e);
    progress_clear(&prog);

    char finished[32];
    ab_utc_iso(finished, sizeof finished, 0);
    cJSON_ReplaceItemInObjectCaseSensitive(meta, "finished", cJSON_CreateString(finished));
    ab_err fe;
    ab_err_clear(&fe);
    int frc = rundir_write_meta(&dir, meta, &fe);
    if (frc == AB_OK)
        frc = rundir_finish(&dir, meta, &fe);
    rundir_close(&dir);
    cJSON_Delete(meta);
    backend_close(&b);
    free(cases);
    selection_free(&sel);
    free(pend);

    if (rc == AB_EINTR) {
        fprintf(stderr, "anebench: interrupted; partial results in %s\n", dir.path);
        return AB_EINTR;
    }
    if (rc != AB_OK)
        return ab_report(rc, e.msg);
    if (frc != AB_OK)
        return ab_report(frc, fe.msg);
    printf("%zu cases: %zu ok, %zu skipped, %zu failed\nresults: %s\n", ncases, sc.n_ok, sc.n_skipped, sc.n_bad,
           dir.path);
    return sc.n_bad ? AB_EFAIL : AB_OK;

usage_error:
    selection_free(&sel);
    free(pend);
    return ab_report(e.code ? e.code : AB_EUSAGE, e.msg);
}
