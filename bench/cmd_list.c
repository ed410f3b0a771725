/* cmd_list.c: `anebench list`: the case keys of a selection, one per line,
 * then "N cases". Runs nothing. Cases that cannot exist on any backend, and
 * with --backend those the backend refuses, carry "  (skipped: REASON)",
 * the same reason `run` would record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "bench/commands.h"
#include "bench/run_args.h"
#include "bench/list_estimate.h"
#include "harness/resume.h"
#include "bench/selection.h"
#include "harness/runmeta.h"
#include "harness/scheduler.h"
#include "harness/settings.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: anebench list [SELECTION] [--backend B] [run's options] [--estimate[=RUN]]\n"
               "       anebench list --resume DIR [run's options] [--estimate[=RUN]]\n\n"
               "Prints the key of every case `anebench run` with the same options would run, one\n"
               "per line, in run order (with --shuffle SEED, the order `run --shuffle SEED` runs\n"
               "them in), then a line \"N cases\". Runs nothing. Takes every option `run` takes\n"
               "(swap the word to see what would run); --out, --quiet, --force and --retry-failed\n"
               "change nothing here but are accepted. A case no backend can run (depth>1 with\n"
               "cin != cout), and with --backend a case that backend cannot run, is followed by\n"
               "\"  (skipped: REASON)\", as `run` would record it. With --resume DIR, the cases\n"
               "that resume would still run. With --repeat N (N > 1) every line says its round,\n"
               "\"  (round R)\", and the count is of cases times rounds. A sweep file's setting\n"
               "overridden by a flag is said\n"
               "on stderr, as `run` says it.\n\n"
               "  --estimate       then print the expected wall time of the run: from a previous\n"
               "                   run's journal of the same backend (the newest under --out, or\n"
               "                   --estimate=RUN), else from the backend's model (ane-sim profiles)\n\n");
    selection_help(f);
    fprintf(f, "\nBACKEND (--backend B; default: none, only the general checks):\n");
    backend_list_help(f);
    fprintf(f, "\nMEASURE (as run takes them):\n");
    settings_help(f);
    fprintf(f, "\n  --help, -h                 this text\n"
               "\nexit codes: 0 listed; 2 bad usage or input (one line naming the bad token)\n");
}

/* Prints the cases in run order; b may be NULL. */
static void print_cases(const ab_case *cases, const size_t *order, size_t n, ab_backend *b)
{
    char key[AB_KEY_MAX], why[256], round[32] = "";
    int rounds = 0; /* --repeat: each line says its round */
    for (size_t k = 0; k < n; k++)
        rounds |= cases[k].round > 1;
    for (size_t k = 0; k < n; k++) {
        const ab_case *c = &cases[order[k]];
        case_key(c, key, sizeof key);
        const char *reason = case_invalid_reason(c);
        if (!reason && b && b->ops->supports) {
            why[0] = '\0';
            if (!b->ops->supports(b, c, why, sizeof why))
                reason = why[0] ? why : "not supported by this backend";
        }
        if (rounds)
            snprintf(round, sizeof round, "round %d", c->round > 1 ? c->round : 1);
        if (reason)
            printf("%s  (%s%sskipped: %s)\n", key, round, rounds ? "; " : "", reason);
        else if (rounds)
            printf("%s  (%s)\n", key, round);
        else
            printf("%s\n", key);
    }
    printf("%zu cases\n", n);
}

/* Says the notes of run_resolve on stderr, one "anebench: note:" line each. */
static void say_notes(const char *notes)
{
    for (const char *line = notes, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        fprintf(stderr, "anebench: note: %.*s\n", (int)(nl - line), line);
    }
}

int cmd_list(int argc, char **argv)
{
    run_opts o, stored;
    ab_settings s;
    ab_err e;
    ab_resume rs;
    char **rargv = NULL;
    int rargc = 0;
    memset(&rs, 0, sizeof rs);
    ab_err_clear(&e);
    if (run_opts_init(&o, argc) || run_opts_init(&stored, 1))
        return ab_report(AB_EFAIL, "out of memory");
    o.list_mode = 1;
    o.backend_spec = NULL; /* list: no backend unless one is named */

    int rc = run_parse_opts(&o, argc, argv, &e);
    if (rc == 0 && o.help) {
        usage(stdout);
        run_opts_free(&o);
        run_opts_free(&stored);
        return 0;
    }
    run_opts *use = &o;
    if (rc == 0 && o.resume_dir) {
        /* What `run --resume DIR` would run: the stored command line with this one's flags. */
        if (run_selection_given(&o.sel))
            rc = ab_errf(&e, AB_EUSAGE, "--resume takes the sweep from DIR/run.json: drop the selection options");
        if (rc == 0)
            rc = resume_load(&rs, o.resume_dir, &e);
        if (rc == 0 && !(rargv = run_resume_argv(rs.info.doc, argc, argv, &rargc, &e)))
            rc = AB_EUSAGE;
        if (rc == 0) {
            run_opts_free(&stored);
            if (run_opts_init(&stored, rargc))
                rc = ab_errf(&e, AB_EFAIL, "out of memory");
            stored.list_mode = 1;
            if (rc == 0)
                rc = run_parse_opts(&stored, rargc, rargv, &e);
            if (rc == 0 && !o.backend_spec) /* the run's own backend */
                o.backend_spec = stored.backend_spec;
            if (rc == 0)
                run_use_stored_sweep(&stored, o.resume_dir); /* what the run read, as run --resume does */
            use = &stored;
        }
    }
    ab_case *cases = NULL;
    size_t n = 0, ndone = 0;
    char notes[1024] = "";
    if (rc == 0) {
        /* The same memory guard as `run`, so list shows what run would accept. */
        ab_host host;
        host_read(&host);
        rc = run_resolve(use, &s, host.mem_bytes > 0 ? host.mem_bytes / 2 : 0, &cases, &n, notes, sizeof notes,
                         &e);
    }
    if (rc == 0 && notes[0])
        say_notes(notes);
    if (rc == 0 && o.resume_dir) {
        size_t ntodo = n;
        resume_plan(&rs, cases, n, o.retry_failed, &ntodo);
        ndone = n - ntodo;
        n = ntodo;
    }
    ab_backend b;
    int have_backend = 0;
    if (rc == 0 && o.backend_spec) {
        rc = backend_open(&b, o.backend_spec, &e);
        have_backend = rc == 0;
    }
    size_t *order = rc == 0 ? malloc((n ? n : 1) * sizeof *order) : NULL;
    if (rc == 0 && (!order || scheduler_order(cases, n, s.shuffle, order) != AB_OK))
        rc = ab_errf(&e, AB_EFAIL, "out of memory");
    if (rc == 0) {
        print_cases(cases, order, n, have_backend ? &b : NULL);
        if (o.resume_dir)
            printf("%zu cases done already\n", ndone);
        fflush(stdout);
    }
    if (rc == 0 && o.estimate)
        rc = list_estimate(&o, have_backend ? &b : NULL, cases, order, n, &s, &e);
    free(order);
    if (have_backend)
        backend_close(&b);
    free(cases);
    run_opts_free(&o);
    run_opts_free(&stored);
    resume_free(&rs);
    free(rargv);
    return rc ? ab_report(rc, e.msg) : 0;
}
