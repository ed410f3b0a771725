/* run_args.h: the options of `anebench run` and what a resume needs to
 * rebuild them: parsing, the stored command line of a run (run.json "argv")
 * merged with this one, the program's own path, shell quoting. */
#ifndef AB_RUN_ARGS_H
#define AB_RUN_ARGS_H

#include <stddef.h>
#include <stdio.h>

#include "bench/selection.h"
#include "harness/error.h"
#include "harness/settings.h"

typedef struct pending {
    const ab_setting_def *d;
    const char *value;
} pending;

typedef struct run_opts {
    ab_selection sel;
    pending *pend; /* MEASURE flags, applied after the sweep file's settings */
    size_t npend;
    const char *backend_spec, *out_parent, *resume_dir;
    int quiet, force, retry_failed, help, out_given;
    int list_mode;             /* parsing for `list`: --estimate[=DIR] accepted too */
    int estimate;              /* list --estimate */
    const char *estimate_from; /* list --estimate=DIR (NULL: the backend's model or the latest run) */
} run_opts;

int run_opts_init(run_opts *o, int argc);
void run_opts_free(run_opts *o);
/* 1 if any SELECTION option was given. */
int run_selection_given(const ab_selection *sel);
/* Parses argv[1..argc) (argv[0] is "run"); AB_EUSAGE naming the bad token. */
int run_parse_opts(run_opts *o, int argc, char **argv, ab_err *e);
/* The settings and cases o selects: defaults, then the sweep file's
 * settings, then o's MEASURE flags; a flag in conflict with the file is
 * settled by settings_reconcile, whose notes (lines) go into notes. With
 * --repeat N the cases are the sweep N times, round after round
 * (rounds_expand), each case's round set. */
int run_resolve(run_opts *o, ab_settings *s, double max_mem_bytes, ab_case **cases, size_t *n, char *notes,
                size_t nn, ab_err *e);
/* The argv a resume runs with: the stored run's options (cJSON* meta's
 * "argv", without --out/--quiet/--resume/--force/--retry-failed), then this
 * command's (without --resume). Strings stay owned by meta and argv. */
char **run_resume_argv(const void *meta, int argc, char **argv, int *n_out, ab_err *e);
/* The file a run keeps the sweep it read in (DIR/sweep.json). */
#define RUN_SWEEP_COPY "sweep.json"
/* Points o's selection at run directory dir's copy of its sweep, so that a
 * resume (and `list --resume`) runs what the run read, never the user's
 * file again. Returns 0 when dir has none (a run made before runs kept
 * their sweep: its file is read again). */
int run_use_stored_sweep(run_opts *o, const char *dir);
/* Path of this executable (for workers and the resume command); 0 if found. */
int run_self_exe(char *buf, size_t n);
/* Prints s quoted for a POSIX shell when it needs it. */
void run_print_shell_word(FILE *f, const char *s);

#endif
