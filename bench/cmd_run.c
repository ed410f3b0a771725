/* cmd_run.c: `anebench run`: a sweep from selection to run directory, and
 * `anebench run --resume DIR` to continue one that was interrupted.
 *
 * Ctrl-C / SIGTERM / SIGHUP: the worker is stopped, the files are finished
 * (run.json says "interrupted", results.json holds the cases done), the
 * exact resume command is printed and the exit code is 130. A second signal
 * kills the worker's process group and exits at once. */
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "backends/backend.h"
#include "bench/commands.h"
#include "bench/run_args.h"
#include "bench/selection.h"
#include "harness/clock.h"
#include "harness/progress.h"
#include "harness/resume.h"
#include "harness/runinfo.h"
#include "harness/runlock.h"
#include "harness/runmeta.h"
#include "harness/scheduler.h"
#include "harness/settings.h"
#include "harness/sink.h"

static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t worker_pid;
/* What the signal handler says (write(2) only: async-signal-safe), made
 * before the run starts: on the first signal, that the files are being
 * finished; on a second, the resume command, since nothing else runs. */
static char first_note[200];
/* --no-isolate: how long the first signal waits for the case in flight
 * (--timeout) before stopping as a second one would; 0 = no limit. */
static unsigned inproc_grace;
static char resume_note[PATH_MAX + 256];

static void say(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void on_signal(int sig)
{
    (void)sig;
    if (interrupted) { /* second signal: stop at once */
        pid_t p = (pid_t)worker_pid;
        if (p > 0)
            kill(-p, SIGKILL);
        say(resume_note);
        _exit(130);
    }
    interrupted = 1;
    say(first_note);
    if (inproc_grace)
        alarm(inproc_grace); /* SIGALRM comes back here, as a second signal */
}

/* The resume command a second signal prints: the journal holds every
 * finished case, so it resumes cleanly though run.json is not updated. */
static void make_resume_note(const char *exe, const char *dir)
{
    char abs[PATH_MAX];
    FILE *f = fmemopen(resume_note, sizeof resume_note, "w");
    if (!f)
        return;
    fprintf(f, "\nanebench: stopped at once; resume with: ");
    run_print_shell_word(f, exe[0] ? exe : "anebench");
    fprintf(f, " run --resume ");
    run_print_shell_word(f, realpath(dir, abs) ? abs : dir);
    fprintf(f, "\n");
    fclose(f);
    resume_note[sizeof resume_note - 1] = '\0';
}

static void usage(FILE *f)
{
    fprintf(f, "usage: anebench run [SELECTION] [--backend B] [--out DIR] [MEASURE] [--quiet]\n"
               "       anebench run --resume DIR [--force] [--retry-failed] [MEASURE] [--quiet]\n\n"
               "Runs every case of the selected sweep on a backend and writes a run directory\n"
               "DIR/<UTC time>-<host>-<backend>/ with run.json, cases.jsonl, cases.csv and results.json.\n"
               "Each case runs in a worker process (replaced after crashes, timeouts and every\n"
               "--compiles-per-worker compiles); every finished case is journaled at once.\n\n");
    selection_help(f);
    fprintf(f, "\nBACKEND (--backend B, default auto):\n");
    backend_list_help(f);
    fprintf(f,
            "  fault:SPEC grammar: RULE[,RULE...], RULE = KIND[@COND[+COND...]] | budget@N,\n"
            "             KIND = segv|abort|hang|error|wrong, COND = AXIS=VALUE | phase=PHASE\n"
            "             (e.g. fault:segv@cin=128,hang@spatial=512,error@qos=5,budget@3; at most 32\n"
            "             rules, one condition per axis in a rule; docs/fault.md)\n");
    fprintf(f, "\nOUTPUT:\n"
               "  --out DIR       parent of the run directory (default: results)\n"
               "  --quiet         no progress output\n\n"
               "RESUME:\n"
               "  --resume DIR    continue the run in DIR: its sweep from DIR/sweep.json (the file it\n"
               "                  read), backend and settings from DIR/run.json; finished cases are\n"
               "                  skipped, the one in flight runs again; one process per DIR at a time\n"
               "  --force         resume even though machine, backend or settings differ from run.json\n"
               "  --retry-failed  also run again the cases that crashed, timed out or failed\n\n"
               "MEASURE:\n");
    settings_help(f);
    fprintf(f, "\nexit codes: 0 every case ok or skipped; 1 a case failed, crashed, timed out or gave a\n"
               "wrong output, or the run stopped on a system error (disk full, file-size limit, workers\n"
               "cannot start; the resume command is printed); 2 bad usage or input (or a resume that does\n"
               "not match its run); 130 interrupted\n");
}

static cJSON *build_meta(int argc, char **argv, const char *run_id, const ab_host *h, ab_backend *b,
                         const ab_clock_info *ci, const ab_settings *s, const ab_selection *sel,
                         size_t ncases, const char *started)
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
    /* Hardware times (an engine with counters): the device's, or, from a
     * simulator, a what-if (record_hw_whatif: no real run produced them);
     * null where the engine has none (describe says so for a sim profile
     * without them). */
    bool hw = b->ops->read_stats && !cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(bj, "hw_source"));
    if (!cJSON_GetObjectItemCaseSensitive(bj, "hw_source"))
        cJSON_AddItemToObject(bj, "hw_source", hw ? cJSON_CreateString(b->simulated ? "what-if" : "device")
                                                  : cJSON_CreateNull());
    if (hw && b->simulated)
        cJSON_AddStringToObject(bj, "hw_note",
                                "WHAT-IF: any hardware time (hwExecutionTime) of this run is the simulator's "
                                "modelled value, which no real run produced");
    cJSON_AddItemToObject(m, "backend", bj);
    /* Facts a real engine knows better than the OS (chip, ANE family) go to
     * host too; a simulated engine's chip is not this host's. */
    cJSON *hj = cJSON_GetObjectItemCaseSensitive(m, "host");
    static const char *const lift[][2] = {
        {"chip", "chip"}, {"family", "ane_family"}, {"subtype", "ane_subtype"}, {"ane_cores", "ane_cores"}};
    for (size_t i = 0; !b->simulated && i < sizeof lift / sizeof lift[0]; i++) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(bj, lift[i][0]);
        cJSON *hv = cJSON_GetObjectItemCaseSensitive(hj, lift[i][1]);
        if (v && !cJSON_IsNull(v) && hv && cJSON_IsNull(hv))
            cJSON_ReplaceItemInObjectCaseSensitive(hj, lift[i][1], cJSON_Duplicate(v, 1));
    }
    cJSON_AddItemToObject(m, "timer", clock_to_json(ci));
    cJSON_AddItemToObject(m, "settings", settings_to_json(s));
    cJSON_AddItemToObject(m, "selection", selection_to_json(sel));
    cJSON_AddNumberToObject(m, "case_count", (double)ncases);
    return m;
}

static void count_statuses(const ab_record *recs, size_t n, size_t counts[AB_ST_COUNT])
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned)recs[i].status < AB_ST_COUNT)
            counts[recs[i].status]++;
}

/* "12 cases: 8 ok, 1 skipped, 1 failed, 2 crashed": ok, skipped and failed
 * always, the other statuses where they occur. Returns the cases not ok or
 * skipped. */
static size_t print_summary(FILE *f, const size_t counts[AB_ST_COUNT])
{
    size_t all = 0;
    for (int st = 0; st < AB_ST_COUNT; st++)
        all += counts[st];
    fprintf(f, "%zu case%s: %zu ok, %zu skipped, %zu failed", all, all == 1 ? "" : "s", counts[AB_ST_OK],
            counts[AB_ST_SKIPPED], counts[AB_ST_FAILED]);
    for (int st = AB_ST_FAILED + 1; st < AB_ST_COUNT; st++)
        if (counts[st])
            fprintf(f, ", %zu %s", counts[st], status_name((ab_status)st));
    fputc('\n', f);
    return all - counts[AB_ST_OK] - counts[AB_ST_SKIPPED];
}

/* Says what the cooldown did (stderr unless quiet) and records it in
 * run.json's "cooldown" (this invocation's, after a resume). */
static void note_cooldown(cJSON *meta, const ab_sched *sc, const ab_settings *s, int quiet)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "policy", s->cooldown_fixed ? "fixed" : "while the machine reports heat");
    cJSON_AddNumberToObject(c, "taken", (double)sc->cool_taken);
    cJSON_AddNumberToObject(c, "seconds", sc->cool_s);
    cJSON_AddNumberToObject(c, "machine_seconds", sc->cool_machine_s);
    cJSON_AddNumberToObject(c, "skipped_nominal", (double)sc->cool_nominal);
    cJSON_AddNumberToObject(c, "skipped_no_report", (double)sc->cool_unknown);
    cJSON_DeleteItemFromObjectCaseSensitive(meta, "cooldown");
    cJSON_AddItemToObject(meta, "cooldown", c);
    if (quiet)
        return;
    if (s->cooldown_fixed)
        fprintf(stderr, "anebench: cooldown: waited %.3g s between every two cases (%zu pauses, %.1f s; "
                        "--cooldown-fixed)\n", s->cooldown, sc->cool_taken, sc->cool_s);
    else
        fprintf(stderr,
                "anebench: cooldown: %zu pause%s taken (%.1f s) while the machine reported heat; %zu skipped "
                "(thermal state nominal), %zu skipped (the machine reports no thermal state%s)\n",
                sc->cool_taken, sc->cool_taken == 1 ? "" : "s", sc->cool_s, sc->cool_nominal, sc->cool_unknown,
                sc->cool_unknown ? ": --cooldown-fixed waits anyway" : "");
}

/* Adds this resume to run.json's "resumed" list. */
static void note_resume(ab_runinfo *ri, int argc, char **argv, const ab_resume *rs, int forced,
                        const char *diff)
{
    cJSON *meta = ri->doc;
    cJSON *list = cJSON_GetObjectItemCaseSensitive(meta, "resumed");
    if (!cJSON_IsArray(list)) {
        cJSON_DeleteItemFromObjectCaseSensitive(meta, "resumed");
        list = cJSON_AddArrayToObject(meta, "resumed");
    }
    cJSON *r = cJSON_CreateObject();
    char at[32];
    ab_utc_iso(at, sizeof at, 0);
    cJSON_AddStringToObject(r, "at", at);
    cJSON *av = cJSON_AddArrayToObject(r, "argv");
    cJSON_AddItemToArray(av, cJSON_CreateString("anebench"));
    for (int i = 0; i < argc; i++)
        cJSON_AddItemToArray(av, cJSON_CreateString(argv[i]));
    cJSON_AddNumberToObject(r, "cases_kept", (double)rs->n_kept);
    cJSON_AddBoolToObject(r, "truncated_tail_dropped", rs->truncated_tail);
    cJSON_AddNumberToObject(r, "retried_failed", (double)rs->n_retry);
    cJSON_AddBoolToObject(r, "forced", forced);
    if (diff && *diff)
        cJSON_AddStringToObject(r, "differences", diff);
    else
        cJSON_AddNullToObject(r, "differences");
    cJSON_AddItemToArray(list, r);
    cJSON_DeleteItemFromObjectCaseSensitive(meta, "interrupted");
    ri->interrupted[0] = '\0';
    ri->finished[0] = '\0';
}

#define SWEEP_COPY_NAME RUN_SWEEP_COPY /* the sweep the run was started with */

/* The deepest part of path that exists now ("." if none), so that a run
 * that cannot start removes exactly the directories made for it. */
static void existing_prefix(const char *path, char *out, size_t n)
{
    ab_strlcpy(out, path && path[0] ? path : ".", n);
    struct stat st;
    while (stat(out, &st) != 0) {
        char *slash = strrchr(out, '/');
        while (slash && slash > out && slash[1] == '\0') { /* trailing slashes */
            *slash = '\0';
            slash = strrchr(out, '/');
        }
        if (!slash) {
            ab_strlcpy(out, ".", n);
            return;
        }
        if (slash == out) {
            out[1] = '\0';
            return;
        }
        *slash = '\0';
    }
}

/* A fresh run that could not start (run.json or the sweep's copy not
 * written) leaves nothing: its files, its directory and the parents made
 * for it. Only files of ours are unlinked and only empty directories removed. */
static void discard_run(ab_rundir *d, ab_runlock *lock, const char *parent, const char *existed)
{
    char path[PATH_MAX];
    rundir_close(d);
    const char *ours[] = {"run.json", SWEEP_COPY_NAME, AB_RUNLOCK_NAME};
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++)
        if (snprintf(path, sizeof path, "%s/%s", d->path, ours[i]) < (int)sizeof path)
            unlink(path);
    for (size_t i = 0; ab_sinks[i]; i++)
        if (snprintf(path, sizeof path, "%s/%s", d->path, ab_sinks[i]->file) < (int)sizeof path)
            unlink(path);
    runlock_release(lock);
    rmdir(d->path);
    ab_strlcpy(path, parent && parent[0] ? parent : ".", sizeof path);
    for (;;) {
        size_t len = strlen(path);
        while (len > 1 && path[len - 1] == '/')
            path[--len] = '\0';
        if (len <= strlen(existed) || strcmp(path, existed) == 0 || rmdir(path) != 0)
            return;
        char *slash = strrchr(path, '/');
        if (!slash)
            return;
        *slash = '\0';
    }
}

/* The command that continues the run in dir, on stderr. */
static void print_resume_command(const char *exe, const char *dir)
{
    char abs[PATH_MAX];
    fprintf(stderr, "anebench: resume with: ");
    run_print_shell_word(stderr, exe[0] ? exe : "anebench");
    fprintf(stderr, " run --resume ");
    run_print_shell_word(stderr, realpath(dir, abs) ? abs : dir);
    fprintf(stderr, "\n");
}

int cmd_run(int argc, char **argv)
{
    run_opts o, cur;
    ab_settings s;
    ab_err e;
    ab_resume rs;
    ab_runlock lock = {.fd = -1, .note = ""};
    char **rargv = NULL;
    int rargc = 0, rc;
    memset(&rs, 0, sizeof rs);
    ab_err_clear(&e);
    /* Before any file is written (run.json at start included): */
    signal(SIGPIPE, SIG_IGN); /* a dead worker's pipe gives EPIPE, not death */
    signal(SIGXFSZ, SIG_IGN); /* a file size limit gives EFBIG: reported, journal kept */
    settings_default(&s);
    if (run_opts_init(&cur, argc) || run_opts_init(&o, 1))
        return ab_report(AB_EFAIL, "out of memory");

    /* This command's own options first; a resume then re-reads the run's. */
    if (run_parse_opts(&cur, argc, argv, &e) != AB_OK)
        goto usage_error;
    if (cur.help) {
        usage(stdout);
        run_opts_free(&cur);
        run_opts_free(&o);
        return 0;
    }
    if (!cur.resume_dir && (cur.force || cur.retry_failed)) {
        ab_errf(&e, AB_EUSAGE, "%s only goes with --resume DIR", cur.force ? "--force" : "--retry-failed");
        goto usage_error;
    }
    if (cur.resume_dir) {
        if (run_selection_given(&cur.sel)) {
            ab_errf(&e, AB_EUSAGE, "--resume takes the sweep from DIR/run.json: drop the selection options");
            goto usage_error;
        }
        if (cur.out_given) {
            ab_errf(&e, AB_EUSAGE, "--resume continues DIR in place: drop --out");
            goto usage_error;
        }
        /* The run is ours before anything of it is read (a second resume
         * of the same directory is refused, naming this one's pid). */
        char info[PATH_MAX];
        snprintf(info, sizeof info, "%s/run.json", cur.resume_dir);
        if (access(info, F_OK) == 0 && runlock_take(&lock, cur.resume_dir, &e) != AB_OK)
            goto usage_error;
        if (lock.note[0])
            fprintf(stderr, "anebench: note: %s\n", lock.note);
        if (resume_load(&rs, cur.resume_dir, &e) != AB_OK)
            goto usage_error;
        if (!(rargv = run_resume_argv(rs.info.doc, argc, argv, &rargc, &e)))
            goto usage_error;
        run_opts_free(&o);
        if (run_opts_init(&o, rargc) || run_parse_opts(&o, rargc, rargv, &e) != AB_OK)
            goto usage_error;
        o.resume_dir = cur.resume_dir;
        /* The sweep is the run's own copy, never the user's file read again
         * (it may have changed, or a relative path may name another file). */
        if (!run_use_stored_sweep(&o, cur.resume_dir))
            fprintf(stderr,
                    "anebench: note: %s has no %s (an older anebench made it): its sweep is read again from %s\n",
                    cur.resume_dir, SWEEP_COPY_NAME, o.sel.sweep_file[0] ? o.sel.sweep_file : "its preset");
    } else {
        run_opts_free(&o);
        o = cur;
        memset(&cur, 0, sizeof cur);
        selection_init(&cur.sel);
    }

    ab_host host;
    host_read(&host);
    ab_case *cases = NULL;
    size_t ncases = 0;
    char notes[1024];
    rc = run_resolve(&o, &s, host.mem_bytes > 0 ? host.mem_bytes / 2 : 0, &cases, &ncases, notes, sizeof notes,
                     &e);
    if (rc != AB_OK)
        goto usage_error;
    if (notes[0]) /* a flag settled a conflict with the sweep file: said, quiet or not */
        for (char *line = notes, *nl; *line; line = nl + 1) {
            nl = strchr(line, '\n');
            fprintf(stderr, "anebench: note: %.*s\n", (int)(nl - line), line);
        }

    ab_backend b;
    if (backend_open(&b, o.backend_spec, &e) != AB_OK) {
        free(cases);
        goto usage_error;
    }
    if (b.ops->probe && b.ops->probe(&b, &e) != AB_OK) {
        backend_close(&b);
        free(cases);
        goto usage_error;
    }
    char exe[PATH_MAX] = "";
    if (run_self_exe(exe, sizeof exe) != 0 && s.isolate) {
        backend_close(&b);
        free(cases);
        run_opts_free(&o);
        run_opts_free(&cur);
        resume_free(&rs);
        free(rargv);
        return ab_report(AB_EFAIL, "cannot find this program's path to start workers (try --no-isolate)");
    }

    ab_clock_info ci;
    clock_calibrate(&ci);
    ab_rundir dir;
    char existed[PATH_MAX] = "";
    ab_runinfo ri; /* what run.json says; written through runinfo_to_json only */
    runinfo_init(&ri);
    size_t ntodo = ncases;
    if (o.resume_dir) {
        /* What this invocation would write, against what the run wrote. */
        cJSON *now =
            build_meta(argc, argv, rs.info.run_id, &host, &b, &ci, &s, &o.sel, ncases, rs.info.started);
        ab_err diff;
        ab_err_clear(&diff);
        int same = resume_check(rs.info.doc, now, &diff) == AB_OK;
        cJSON_Delete(now);
        if (!same && !cur.force) {
            e = diff;
            backend_close(&b);
            free(cases);
            goto usage_error;
        }
        ri = rs.info; /* the run's own run.json goes on, with a note */
        runinfo_init(&rs.info);
        if (rs.truncated_tail)
            fprintf(stderr,
                    "anebench: %s/cases.jsonl: its last line was cut off mid-write; dropped it (that case "
                    "runs again)\n",
                    o.resume_dir);
        if (rs.n_duplicates)
            fprintf(stderr, "anebench: %s/cases.jsonl: %zu superseded record(s) of a case dropped\n",
                    o.resume_dir, rs.n_duplicates);
        resume_plan(&rs, cases, ncases, cur.retry_failed, &ntodo);
        note_resume(&ri, argc, argv, &rs, !same, same ? NULL : diff.msg);
        rc = resume_rewrite(&rs, &e);
        if (rc == AB_OK)
            rc = rundir_open_append(&dir, o.resume_dir, &e);
    } else {
        existing_prefix(o.out_parent, existed, sizeof existed);
        rc = rundir_create(&dir, o.out_parent, NULL, b.spec, &e);
        if (rc == AB_OK && (rc = runlock_take(&lock, dir.path, &e)) != AB_OK) {
            discard_run(&dir, &lock, o.out_parent, existed);
        }
        if (rc == AB_OK && lock.note[0])
            fprintf(stderr, "anebench: note: %s\n", lock.note);
        if (rc == AB_OK) {
            char started[32];
            ab_utc_iso(started, sizeof started, 0);
            const char *run_id = strrchr(dir.path, '/') ? strrchr(dir.path, '/') + 1 : dir.path;
            cJSON *m = build_meta(argc, argv, run_id, &host, &b, &ci, &s, &o.sel, ncases, started);
            rc = m ? runinfo_from_json(m, "run.json", &ri, &e) : ab_errf(&e, AB_EFAIL, "out of memory");
            cJSON_Delete(m);
            if (rc != AB_OK)
                discard_run(&dir, &lock, o.out_parent, existed);
        }
    }
    if (rc != AB_OK) {
        runinfo_free(&ri);
        backend_close(&b);
        free(cases);
        goto usage_error;
    }
    rc = rundir_write_meta(&dir, &ri, &e);
    if (rc == AB_OK && !o.resume_dir) {
        /* The run keeps the sweep it was started with: a resume reads this. */
        char copy[PATH_MAX];
        snprintf(copy, sizeof copy, "%s/%s", dir.path, SWEEP_COPY_NAME);
        rc = ab_write_file_atomic(copy, o.sel.text ? o.sel.text : "", o.sel.text_len, &e);
    }
    if (rc != AB_OK && !o.resume_dir) {
        /* Never started: nothing stays, and no resume command (none could work). */
        discard_run(&dir, &lock, o.out_parent, existed);
        runinfo_free(&ri);
        backend_close(&b);
        free(cases);
        goto usage_error;
    }

    /* In-process, a hung case would hold the first signal for ever: it
     * waits for the case at most --timeout, then stops as a second would. */
    inproc_grace = !s.isolate && s.timeout > 0 ? (unsigned)ceil(s.timeout < 1e6 ? s.timeout : 1e6) : 0;
    char how[120];
    if (s.isolate)
        snprintf(how, sizeof how, "stopping the case in flight, finishing");
    else if (inproc_grace)
        snprintf(how, sizeof how, "finishing the case in flight (at most %u s, --timeout) and", inproc_grace);
    else
        snprintf(how, sizeof how, "finishing the case in flight and");
    snprintf(first_note, sizeof first_note, "%sanebench: interrupted: %s the files (again to stop at once)\n",
             isatty(STDERR_FILENO) ? "\r\033[K" : "", how);
    make_resume_note(exe, dir.path);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);

    ab_progress prog;
    progress_init(&prog, stderr, ntodo, o.quiet || cur.quiet);
    if (!(o.quiet || cur.quiet)) {
        if (o.resume_dir)
            fprintf(stderr, "anebench: resuming %s: %zu of %zu cases done, %zu to run on %s\n", dir.path,
                    ncases - ntodo, ncases, ntodo, b.spec);
        else
            fprintf(stderr, "anebench: %zu cases on %s%s -> %s\n", ncases, b.spec,
                    b.simulated ? " (SIMULATED: modelled, not measured on an ANE)" : "", dir.path);
    }
    ab_sched sc = {.backend_spec = b.spec,
                   .backend = &b,
                   .s = &s,
                   .dir = &dir,
                   .progress = &prog,
                   .exe = exe,
                   .interrupted = &interrupted,
                   .worker_pid = &worker_pid,
                   .done_before = rs.kept,
                   .n_done_before = rs.n_kept,
                   .first_worker_id = 1};
    for (size_t i = 0; i < rs.n_kept; i++) /* worker ids go on from the run's */
        if (rs.kept[i].worker >= sc.first_worker_id)
            sc.first_worker_id = rs.kept[i].worker + 1;
    if (rc == AB_OK)
        rc = scheduler_run(&sc, cases, ntodo, &e);
    progress_finish(&prog);
    if (s.cooldown > 0)
        note_cooldown(ri.doc, &sc, &s, o.quiet || cur.quiet);

    char when[32];
    ab_utc_iso(when, sizeof when, 0);
    if (rc == AB_EINTR)
        ab_strlcpy(ri.interrupted, when, sizeof ri.interrupted);
    else
        ab_strlcpy(ri.finished, when, sizeof ri.finished);
    ab_err fe;
    ab_err_clear(&fe);
    int frc = rundir_write_meta(&dir, &ri, &fe);
    if (frc == AB_OK)
        frc = rundir_finish(&dir, &ri, &fe);
    rundir_close(&dir);
    runlock_release(&lock);
    runinfo_free(&ri);
    backend_close(&b);
    free(cases);

    size_t counts[AB_ST_COUNT], n_done = 0;
    memcpy(counts, sc.counts, sizeof counts);
    count_statuses(rs.kept, rs.n_kept, counts);
    for (int st = 0; st < AB_ST_COUNT; st++)
        n_done += counts[st];
    int quiet = o.quiet || cur.quiet;
    run_opts_free(&o);
    run_opts_free(&cur);
    resume_free(&rs);
    free(rargv);

    /* Every stop with work left (interrupted, a system error, or files
     * that could not be finished) says why and prints the command that
     * continues: the journal holds every finished case, so it works. */
    if (rc != AB_OK || frc != AB_OK) {
        if (rc != AB_OK && rc != AB_EINTR)
            ab_report(rc, e.msg);
        if (frc != AB_OK)
            ab_report(AB_EFAIL, fe.msg);
        if (rc == AB_EINTR)
            fprintf(stderr, "anebench: interrupted; %zu case%s done %s in %s\n", n_done,
                    n_done == 1 ? "" : "s", n_done == 1 ? "is" : "are", dir.path);
        print_resume_command(exe, dir.path);
        return rc != AB_OK ? rc : AB_EFAIL;
    }
    (void)quiet;
    size_t n_bad = print_summary(stdout, counts);
    printf("results: %s\n", dir.path);
    return n_bad ? AB_EFAIL : AB_OK;

usage_error:
    runlock_release(&lock);
    run_opts_free(&o);
    run_opts_free(&cur);
    resume_free(&rs);
    free(rargv);
    return ab_report(e.code ? e.code : AB_EUSAGE, e.msg);
}
