/* cmd_list.c: `anebench list`: the case keys of a selection, one per line,
 * then "N cases". Runs nothing. Cases that cannot exist on any backend, and
 * with --backend those the backend refuses, carry "  (skipped: REASON)",
 * the same reason `run` would record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "bench/commands.h"
#include "bench/selection.h"
#include "harness/runmeta.h"
#include "harness/scheduler.h"
#include "harness/settings.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: anebench list [SELECTION] [--backend B] [--shuffle SEED]\n\n"
               "Prints the key of every case the selection enumerates, one per line, in run\n"
               "order (with --shuffle SEED, the order `run --shuffle SEED` runs them in),\n"
               "then a line \"N cases\". Runs nothing. A case no backend can run (depth>1\n"
               "with cin != cout), and with --backend a case that backend cannot run, is\n"
               "followed by \"  (skipped: REASON)\", as `run` would record it.\n\n");
    selection_help(f);
    fprintf(f, "\nBACKEND (--backend B; default: none, only the general checks):\n");
    backend_list_help(f);
    fprintf(f, "\n  --help, -h                 this text\n"
               "\nexit codes: 0 listed; 2 bad usage or input (one line naming the bad token)\n");
}

/* Parses argv into sel and *backend; AB_EUSAGE with e set, or -1 for --help. */
static int parse(int argc, char **argv, ab_selection *sel, ab_settings *s, const char **backend, ab_err *e)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int c = selection_consume(sel, argc, argv, &i, e);
        if (c < 0)
            return AB_EUSAGE;
        if (c > 0)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return -1;
        if (!strcmp(a, "--shuffle") || !strncmp(a, "--shuffle=", 10)) {
            /* run's option, so the listing shows that run's order */
            if (settings_consume(s, argc, argv, &i, e) <= 0)
                return AB_EUSAGE;
        } else if (!strcmp(a, "--backend")) {
            if (i + 1 >= argc)
                return ab_errf(e, AB_EUSAGE, "--backend: missing value");
            *backend = argv[++i];
        } else if (!strncmp(a, "--backend=", 10)) {
            *backend = a + 10;
        } else if (a[0] == '-') {
            return ab_errf(e, AB_EUSAGE, "list: unknown option '%.80s' (see anebench list --help)", a);
        } else {
            return ab_errf(e, AB_EUSAGE, "list: unexpected argument '%.80s' (see anebench list --help)", a);
        }
    }
    return 0;
}

/* Prints the cases in run order; b may be NULL. */
static void print_cases(const ab_case *cases, const size_t *order, size_t n, ab_backend *b)
{
    char key[AB_KEY_MAX], why[256];
    for (size_t k = 0; k < n; k++) {
        const ab_case *c = &cases[order[k]];
        case_key(c, key, sizeof key);
        const char *reason = case_invalid_reason(c);
        if (!reason && b && b->ops->supports) {
            why[0] = '\0';
            if (!b->ops->supports(b, c, why, sizeof why))
                reason = why[0] ? why : "not supported by this backend";
        }
        if (reason)
            printf("%s  (skipped: %s)\n", key, reason);
        else
            printf("%s\n", key);
    }
    printf("%zu cases\n", n);
}

int cmd_list(int argc, char **argv)
{
    ab_selection sel;
    ab_settings s;
    ab_err e;
    const char *backend = NULL;
    selection_init(&sel);
    settings_default(&s);
    ab_err_clear(&e);

    int rc = parse(argc, argv, &sel, &s, &backend, &e);
    if (rc < 0) {
        usage(stdout);
        selection_free(&sel);
        return 0;
    }
    ab_case *cases = NULL;
    size_t n = 0;
    if (rc == 0) {
        /* The same memory guard as `run`, so list shows what run would accept. */
        ab_host host;
        host_read(&host);
        rc = selection_resolve(&sel, &s, host.mem_bytes > 0 ? host.mem_bytes / 2 : 0, &cases, &n, &e);
    }
    if (rc == 0)
        rc = settings_validate(&s, &e);
    ab_backend b;
    int have_backend = 0;
    if (rc == 0 && backend) {
        rc = backend_open(&b, backend, &e);
        have_backend = rc == 0;
    }
    size_t *order = rc == 0 ? malloc((n ? n : 1) * sizeof *order) : NULL;
    if (rc == 0 && (!order || scheduler_order(cases, n, s.shuffle, order) != AB_OK))
        rc = ab_errf(&e, AB_EFAIL, "out of memory");
    if (rc == 0) {
        print_cases(cases, order, n, have_backend ? &b : NULL);
        fflush(stdout);
    }
    free(order);
    if (have_backend)
        backend_close(&b);
    free(cases);
    selection_free(&sel);
    return rc ? ab_report(rc, e.msg) : 0;
}
