/* cmd_worker.c: `anebench worker`, the child side of the worker protocol
 * (harness/worker.h). Started by the scheduler, never by hand:
 *
 *   anebench worker --backend SPEC [--id N] [--set NAME=VALUE ...]
 *
 * Reads {"case": ...} lines on stdin, runs each case with run_case and
 * answers {"phase": ...} as each phase starts, then {"compiles_left": n}
 * and {"record": ...} on the protocol stream.
 * Exits 0 when stdin ends. Anything the backend prints on stdout goes to
 * stderr instead, so it cannot corrupt the protocol. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/backend.h"
#include "bench/commands.h"
#include "harness/platform.h"
#include "harness/runner.h"
#include "harness/worker.h"

static int send_line(int fd, char *line)
{
    ab_err e;
    int rc = line ? ab_write_all(fd, line, strlen(line), &e) : AB_EFAIL;
    free(line);
    return rc;
}

/* The runner's phase hook: {"phase": ...} to the scheduler, so that a
 * timeout or a crash can name the phase (a lost line only costs that). */
static void tell_phase(void *arg, const char *phase)
{
    send_line(*(const int *)arg, wmsg_phase_line(phase));
}

static int fatal(int fd, int code, const char *msg)
{
    if (fd >= 0)
        send_line(fd, wmsg_error_line(msg));
    return ab_report(code, msg);
}

static int budget_left(ab_backend *b)
{
    return b->ops->compile_budget_left ? b->ops->compile_budget_left(b) : -1;
}

static void worker_usage(FILE *f)
{
    fprintf(f, "usage: anebench worker --backend SPEC [--id N] [--set NAME=VALUE ...]\n"
               "  (internal) runs cases sent by `anebench run` over stdin/stdout, one JSON\n"
               "  message per line; see harness/worker.h for the protocol.\n");
}

static int parse_args(int argc, char **argv, const char **spec, int *id, ab_settings *s, ab_err *e)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc)
            return ab_errf(e, AB_EUSAGE, "worker: '%s' needs a value", a);
        const char *v = argv[++i];
        if (!strcmp(a, "--backend")) {
            *spec = v;
        } else if (!strcmp(a, "--id")) {
            char *end = NULL;
            long n = strtol(v, &end, 10);
            if (end == v || *end || n < 0 || n > 1000000000)
                return ab_errf(e, AB_EUSAGE, "worker: bad --id '%s'", v);
            *id = (int)n;
        } else if (!strcmp(a, "--set")) {
            const char *eq = strchr(v, '=');
            char name[64];
            if (!eq || (size_t)(eq - v) >= sizeof name)
                return ab_errf(e, AB_EUSAGE, "worker: bad --set '%s'", v);
            memcpy(name, v, (size_t)(eq - v));
            name[eq - v] = '\0';
            const ab_setting_def *d = settings_find(name);
            if (!d)
                return ab_errf(e, AB_EUSAGE, "worker: unknown setting '%s'", name);
            if (settings_set(s, d, eq + 1, e) != AB_OK)
                return AB_EUSAGE;
        } else {
            return ab_errf(e, AB_EUSAGE, "worker: unknown option '%s'", a);
        }
    }
    if (!*spec)
        return ab_errf(e, AB_EUSAGE, "worker: --backend is required");
    return AB_OK;
}

/* Runs one {"case"} message; returns 0 to go on, else an exit code. */
static int serve_case(int out, ab_backend *b, const ab_settings *s, int id, const ab_wmsg *m)
{
    ab_err e;
    ab_case c;
    if (case_from_key(m->key, &c, &e) != AB_OK)
        return fatal(out, AB_EUSAGE, e.msg);
    c.index = m->index;
    ab_record r;
    if (run_case(b, &c, s, &r) != AB_OK) {
        record_free(&r);
        return fatal(out, AB_EFAIL, "worker: out of memory running a case");
    }
    r.worker = id;
    r.attempt = m->attempt;
    int rc = send_line(out, wmsg_compiles_left_line(budget_left(b)));
    if (rc == AB_OK)
        rc = send_line(out, wmsg_record_line(&r));
    record_free(&r);
    return rc == AB_OK ? 0 : AB_EFAIL; /* scheduler gone: nothing left to do */
}

int cmd_worker(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        worker_usage(stdout);
        return 0;
    }
    /* A scheduler killed with -9 takes us along (Linux and macOS). */
    if (ab_exit_with_parent(getppid(), 0) != 0)
        return AB_EFAIL;
    ab_settings s;
    settings_default(&s);
    const char *spec = NULL;
    int id = 0;
    ab_err e;
    ab_err_clear(&e);
    if (parse_args(argc, argv, &spec, &id, &s, &e) != AB_OK)
        return ab_report(AB_EUSAGE, e.msg);

    /* The protocol gets its own descriptor; stdout becomes stderr. */
    fflush(stdout);
    int out = dup(1);
    if (out < 0 || dup2(2, 1) < 0)
        return ab_report(AB_EFAIL, "worker: cannot set up its output");

    ab_backend b;
    memset(&b, 0, sizeof b);
    if (backend_open(&b, spec, &e) != AB_OK)
        return fatal(out, e.code ? e.code : AB_EFAIL, e.msg);
    b.on_phase = tell_phase;
    b.on_phase_arg = &out;
    int rc = send_line(out, wmsg_ready_line((long)getpid(), budget_left(&b)));

    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while (rc == 0 && (len = getline(&line, &cap, stdin)) > 0) {
        if (line[len - 1] == '\n')
            line[len - 1] = '\0';
        ab_wmsg m;
        if (wmsg_parse(line, &m, &e) != AB_OK) {
            rc = fatal(out, AB_EUSAGE, e.msg);
            break;
        }
        if (m.kind != WM_CASE) {
            wmsg_free(&m);
            rc = fatal(out, AB_EUSAGE, "worker: expected a case message");
            break;
        }
        rc = serve_case(out, &b, &s, id, &m);
        wmsg_free(&m);
    }
    free(line);
    backend_close(&b);
    close(out);
    return rc;
}
