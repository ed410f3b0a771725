/* worker.c: the scheduler's side of the worker protocol: spawning
 * `anebench worker` in its own process group, sending cases, waiting for
 * records with a deadline, and telling crashes and timeouts apart. */
#include "harness/worker.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* ---- signal names -------------------------------------------------------- */

static const struct {
    int sig;
    const char *name;
} signal_names[] = {
    {SIGHUP, "SIGHUP"},   {SIGINT, "SIGINT"},   {SIGQUIT, "SIGQUIT"}, {SIGILL, "SIGILL"},
    {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},
    {SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"}, {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
    {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"}, {SIGXCPU, "SIGXCPU"},
    {SIGXFSZ, "SIGXFSZ"}, {SIGSYS, "SIGSYS"},
};

const char *ab_signal_name(int sig, char *buf, size_t n)
{
    for (size_t i = 0; i < sizeof signal_names / sizeof signal_names[0]; i++)
        if (signal_names[i].sig == sig)
            return ab_strlcpy(buf, signal_names[i].name, n);
    snprintf(buf, n, "signal %d", sig);
    return buf;
}

void ab_describe_wait_status(int status, char *buf, size_t n)
{
    if (WIFSIGNALED(status)) {
        char name[32];
        int sig = WTERMSIG(status);
        snprintf(buf, n, "killed by %s (%s)", ab_signal_name(sig, name, sizeof name), strsignal(sig));
    } else if (WIFEXITED(status)) {
        snprintf(buf, n, "exited with status %d", WEXITSTATUS(status));
    } else {
        snprintf(buf, n, "ended (wait status 0x%x)", (unsigned)status);
    }
}

/* ---- spawning -------------------------------------------------------------- */

static int make_pipe(int fds[2], ab_err *e)
{
    if (pipe(fds) != 0)
        return ab_errf(e, AB_EFAIL, "cannot make a pipe for the worker: %s", strerror(errno));
    for (int i = 0; i < 2; i++)
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    return AB_OK;
}

static char *setting_text(const ab_setting_def *d, const ab_settings *s)
{
    const char *p = (const char *)s + d->offset;
    char val[64];
    if (d->type == SET_LONG)
        snprintf(val, sizeof val, "%ld", *(const long *)(const void *)p);
    else if (d->type == SET_DOUBLE)
        snprintf(val, sizeof val, "%.17g", *(const double *)(const void *)p);
    else if (d->type == SET_ENUM)
        settings_enum_name(d, *(const int *)(const void *)p, val, sizeof val);
    else /* int and boolean kinds */
        snprintf(val, sizeof val, "%d", *(const int *)(const void *)p);
    size_t n = strlen(d->name) + strlen(val) + 2;
    char *t = malloc(n);
    if (t)
        snprintf(t, n, "%s=%s", d->name, val);
    return t;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

int worker_spawn(ab_worker *w, const char *exe, const char *backend_spec, const ab_settings *s, int id,
                 ab_err *e)
{
    memset(w, 0, sizeof *w);
    w->to_fd = w->from_fd = -1;
    w->id = id;
    w->compiles_left = -1;
    linebuf_init(&w->lb);

    size_t nset = ab_nsetting_defs;
    size_t argc = 6 + 2 * nset;
    char **argv = calloc(argc + 1, sizeof *argv);
    char **owned = calloc(nset + 1, sizeof *owned);
    char idtxt[16];
    snprintf(idtxt, sizeof idtxt, "%d", id);
    int rc = AB_OK;
    if (!argv || !owned) {
        rc = ab_errf(e, AB_EFAIL, "out of memory starting a worker");
        goto out;
    }
    size_t k = 0;
    argv[k++] = (char *)exe;
    argv[k++] = "worker";
    argv[k++] = "--backend";
    argv[k++] = (char *)backend_spec;
    argv[k++] = "--id";
    argv[k++] = idtxt;
    for (size_t i = 0; i < nset; i++) {
        if (!(owned[i] = setting_text(&ab_setting_defs[i], s))) {
            rc = ab_errf(e, AB_EFAIL, "out of memory starting a worker");
            goto out;
        }
        argv[k++] = "--set";
        argv[k++] = owned[i];
    }

    int in[2] = {-1, -1}, outp[2] = {-1, -1};
    if ((rc = make_pipe(in, e)) || (rc = make_pipe(outp, e))) {
        close_fd(&in[0]);
        close_fd(&in[1]);
        goto out;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGHUP);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    int err = posix_spawn(&pid, exe, &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close_fd(&in[0]);
    close_fd(&outp[1]);
    if (err != 0) {
        close_fd(&in[1]);
        close_fd(&outp[0]);
        rc = ab_errf(e, AB_EFAIL, "cannot start worker '%s': %s", exe, strerror(err));
        goto out;
    }
    w->pid = pid;
    w->to_fd = in[1];
    w->from_fd = outp[0];
out:
    if (owned)
        for (size_t i = 0; i < nset; i++)
            free(owned[i]);
    free(owned);
    free(argv);
    return rc;
}

/* The worker stopped reading: what it said before it went (up to 1 s). */
static void drain_last_words(ab_worker *w, ab_err *e)
{
    char chunk[4096];
    for (int waited = 0; waited < 20;) {
        char *line;
        while ((line = linebuf_next(&w->lb)) != NULL) {
            ab_wmsg m;
            ab_err pe;
            if (wmsg_parse(line, &m, &pe) != AB_OK)
                continue;
            if (m.kind == WM_ERROR) {
                w->said_error = 1;
                ab_errf(e, AB_EFAIL, "worker %d: %s", w->id, m.error);
            }
            wmsg_free(&m);
        }
        struct pollfd p = {.fd = w->from_fd, .events = POLLIN};
        int k = poll(&p, 1, 50);
        if (k == 0) {
            waited++;
            continue;
        }
        ssize_t n = k > 0 ? read(w->from_fd, chunk, sizeof chunk) : -1;
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || linebuf_feed(&w->lb, chunk, (size_t)n, NULL) != AB_OK)
            return;
    }
}

int worker_send_case(ab_worker *w, const ab_case *c, int attempt, ab_err *e)
{
    char key[AB_KEY_MAX];
    case_key(c, key, sizeof key);
    char *line = wmsg_case_line(key, c->index, attempt);
    if (!line)
        return ab_errf(e, AB_EFAIL, "out of memory sending a case");
    ab_strlcpy(w->key, key, sizeof w->key);
    w->index = c->index;
    w->phase[0] = '\0';
    int rc = ab_write_all(w->to_fd, line, strlen(line), e);
    free(line);
    if (rc != AB_OK)
        drain_last_words(w, e);
    return rc;
}

/* ---- ending a worker ------------------------------------------------------ */

static void release_fds(ab_worker *w)
{
    close_fd(&w->to_fd);
    close_fd(&w->from_fd);
    linebuf_free(&w->lb);
    w->pid = 0;
}

/* Waits up to grace_s for the worker to exit; -1 if it has not. */
static int reap_within(pid_t pid, double grace_s, int *status)
{
    double until = mono_s() + grace_s;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            return 0;
        if (mono_s() >= until)
            return -1;
        sleep_s(0.005);
    }
}

void worker_kill(ab_worker *w)
{
    if (w->pid > 0) {
        kill(-w->pid, SIGKILL);
        kill(w->pid, SIGKILL);
        int st;
        while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR) {
        }
    }
    release_fds(w);
}

int worker_stop(ab_worker *w, double grace_s, char *why, size_t n)
{
    if (n)
        why[0] = '\0';
    if (w->pid <= 0) {
        release_fds(w);
        return 0;
    }
    close_fd(&w->to_fd); /* the worker exits when its input ends */
    int st;
    if (reap_within(w->pid, grace_s, &st) != 0) {
        worker_kill(w);
        snprintf(why, n, "did not exit within %g s and was killed", grace_s);
        return 1;
    }
    kill(-w->pid, SIGKILL); /* anything it left behind in its group */
    release_fds(w);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    ab_describe_wait_status(st, why, n);
    return 1;
}

/* The worker's output ended: collect how it died. */
static void worker_died(ab_worker *w, char *reason, size_t n)
{
    int st = 0;
    size_t partial = linebuf_pending(&w->lb);
    if (reap_within(w->pid, 2.0, &st) != 0) {
        kill(-w->pid, SIGKILL);
        kill(w->pid, SIGKILL);
        while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR) {
        }
        snprintf(reason, n, "worker closed its output and was killed");
    } else {
        char how[160];
        ab_describe_wait_status(st, how, sizeof how);
        snprintf(reason, n, "worker %s%s", how, partial ? " (mid-message)" : "");
    }
    kill(-w->pid, SIGKILL);
    release_fds(w);
}

/* ---- waiting for a record ---------------------------------------------- */

/* At most n-1 bytes of untrusted text, printable ASCII only, for a reason. */
static void excerpt(char *dst, size_t n, const char *src)
{
    size_t k = 0;
    for (; *src && k + 1 < n; src++)
        dst[k++] = (*src >= 0x20 && *src < 0x7f) ? *src : '?';
    dst[k] = '\0';
}

/* " in compile": the phase the worker last said it started, for a reason. */
static void phase_note(const ab_worker *w, char *buf, size_t n)
{
    if (w->phase[0])
        snprintf(buf, n, " in %s", w->phase);
    else
        snprintf(buf, n, " before its first phase");
}

/* Handles one complete line; returns -1 to keep reading, else an ab_wend
 * (WE_CRASHED with reason filled when the worker spoke out of turn). */
static int handle_line(ab_worker *w, const char *line, ab_record *r, char *reason, size_t nreason, ab_err *e)
{
    ab_wmsg m;
    ab_err pe;
    ab_err_clear(&pe);
    if (wmsg_parse(line, &m, &pe) != AB_OK) {
        char text[64];
        excerpt(text, sizeof text, line);
        snprintf(reason, nreason, "worker %d sent what is not a protocol message (%s): '%s'", w->id, pe.msg,
                 text);
        return WE_CRASHED;
    }
    int end = -1;
    switch (m.kind) {
    case WM_READY:
    case WM_COMPILES_LEFT:
        w->compiles_left = m.compiles_left;
        break;
    case WM_PHASE:
        excerpt(w->phase, sizeof w->phase, m.phase);
        break;
    case WM_ERROR:
        ab_errf(e, AB_EFAIL, "worker %d: %s", w->id, m.error);
        end = WE_FATAL;
        break;
    case WM_RECORD:
        if (record_from_json(m.record_json, r, &pe) != AB_OK) {
            record_free(r);
            snprintf(reason, nreason, "worker %d sent a bad record: %s", w->id, pe.msg);
            end = WE_CRASHED;
        } else if (strcmp(r->key, w->key) != 0 || r->params.index != w->index) {
            /* Never journal one case's answer as another's. */
            char got[AB_KEY_MAX];
            excerpt(got, sizeof got, r->key);
            snprintf(reason, nreason,
                     "worker %d answered with a record of '%s' (index %zu), not of the case sent (index %zu)",
                     w->id, got, r->params.index, w->index);
            record_free(r);
            end = WE_CRASHED;
        } else {
            w->cases_run++;
            end = WE_RECORD;
        }
        break;
    case WM_CASE:
        snprintf(reason, nreason, "worker %d sent a case message", w->id);
        end = WE_CRASHED;
        break;
    }
    wmsg_free(&m);
    return end;
}

/* Handles the complete lines buffered; -1 when none ended the wait. A
 * worker that spoke out of turn is killed. */
static int take_lines(ab_worker *w, ab_record *r, char *reason, size_t nreason, ab_err *e)
{
    char *line;
    while ((line = linebuf_next(&w->lb)) != NULL) {
        int end = handle_line(w, line, r, reason, nreason, e);
        if (end == WE_CRASHED || end == WE_FATAL)
            worker_kill(w);
        if (end >= 0)
            return end;
    }
    return -1;
}

#define READ_NOTHING (-1) /* nothing came within the wait */
#define READ_MORE (-2)    /* bytes came, the wait goes on */

/* Waits up to ms for the worker's output, reads what came and handles its
 * complete lines: an ab_wend, READ_NOTHING or READ_MORE. */
static int read_some(ab_worker *w, int ms, ab_record *r, char *reason, size_t nreason, ab_err *e)
{
    struct pollfd p = {.fd = w->from_fd, .events = POLLIN};
    int k = poll(&p, 1, ms);
    if (k < 0 && errno != EINTR) {
        ab_errf(e, AB_EFAIL, "poll on worker pipe: %s", strerror(errno));
        worker_kill(w);
        return WE_FATAL;
    }
    if (k <= 0)
        return READ_NOTHING;
    char chunk[65536];
    ssize_t n = read(w->from_fd, chunk, sizeof chunk);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return READ_MORE;
        n = 0; /* treat as the end */
    }
    if (n == 0) {
        char note[48];
        phase_note(w, note, sizeof note);
        worker_died(w, reason, nreason);
        if (!strncmp(reason, "worker ", 7) && strlen(reason) + strlen(note) < nreason)
            strcat(reason, note);
        return WE_CRASHED;
    }
    ab_err fe;
    ab_err_clear(&fe);
    if (linebuf_feed(&w->lb, chunk, (size_t)n, &fe) != AB_OK) {
        snprintf(reason, nreason, "worker %d: %s", w->id, fe.msg);
        worker_kill(w);
        return WE_CRASHED;
    }
    int end = take_lines(w, r, reason, nreason, e);
    return end >= 0 ? end : READ_MORE;
}

/* Reads everything the worker has sent already, without waiting. */
static int drain(ab_worker *w, ab_record *r, char *reason, size_t nreason, ab_err *e)
{
    int end;
    while ((end = read_some(w, 0, r, reason, nreason, e)) == READ_MORE) {
    }
    return end;
}

ab_wend worker_wait_record(ab_worker *w, double timeout_s, volatile sig_atomic_t *interrupted, ab_record *r,
                           char *reason, size_t nreason, ab_err *e)
{
    /* waited: time spent waiting on the worker; each step counts for at
     * most 1 s more than the poll asked for, so a stop of this process
     * (Ctrl-Z, SIGSTOP, a laptop asleep) is not held against the worker. */
    double waited = 0, last = mono_s();
    int asked_ms = 0;
    reason[0] = '\0';
    int end = take_lines(w, r, reason, nreason, e);
    while (end < 0) {
        double now = mono_s(), step = now - last;
        last = now;
        waited += step < asked_ms / 1000.0 + 1.0 ? step : asked_ms / 1000.0 + 1.0;
        if (interrupted && *interrupted) {
            if ((end = drain(w, r, reason, nreason, e)) >= 0)
                break; /* it answered before the interruption: keep that */
            worker_kill(w);
            return WE_INTERRUPTED;
        }
        asked_ms = 50;
        if (timeout_s > 0) {
            double left = timeout_s - waited;
            if (left <= 0) {
                if ((end = drain(w, r, reason, nreason, e)) >= 0)
                    break; /* the answer is in: it did not time out */
                char note[48];
                phase_note(w, note, sizeof note);
                worker_kill(w);
                snprintf(reason, nreason, "no result within the %.3g s timeout; hung%s; worker killed",
                         timeout_s, note);
                return WE_TIMEOUT;
            }
            if (left * 1000 < asked_ms)
                asked_ms = (int)(left * 1000) + 1;
        }
        end = read_some(w, asked_ms, r, reason, nreason, e);
        if (end < 0)
            end = -1;
    }
    return (ab_wend)end;
}
