/* resume.h: continuing an interrupted run directory (`anebench run --resume DIR`).
 *
 * The journal (cases.jsonl) is the truth: every line is one finished case.
 * A resume loads it (a last line cut off mid-write is dropped and reported),
 * (through the reading path, which keeps the last record of each key and round),
 * checks that this machine, backend and settings match run.json (else the
 * caller refuses, unless forced), drops the cases already done from the list
 * (with retry_failed, the crashed / timed-out / failed ones are run again
 * and their old records removed), and rewrites cases.jsonl and cases.csv
 * atomically from the records kept, so each case ends up exactly once. */
#ifndef AB_RESUME_H
#define AB_RESUME_H

#include <stddef.h>
#include "harness/case.h"
#include "harness/error.h"
#include "harness/record.h"
#include "harness/runinfo.h"

typedef struct ab_resume {
    char dir[1024];
    ab_runinfo info; /* DIR/run.json (owned) */
    ab_record *kept; /* journal records kept, in journal order */
    size_t n_kept;
    int truncated_tail;  /* the journal's last line was incomplete (dropped) */
    size_t n_duplicates; /* journal records superseded by a later one of the same key and round */
    size_t n_retry;      /* records dropped for --retry-failed */
} ab_resume;

/* Loads DIR/run.json and DIR/cases.jsonl (a missing journal = no case done).
 * AB_EUSAGE naming the file when DIR is not a run directory. */
int resume_load(ab_resume *rs, const char *dir, ab_err *e);
void resume_free(ab_resume *rs);

/* Compares the run.json of the run being resumed (old) with the one this
 * invocation would write (now), as documents (runinfo_to_json): the machine (host name, CPU, chip, cores,
 * ANE), the backend name and every setting (a setting the run's older build
 * lacked counts only when this run sets it off its default). AB_OK when they match, else
 * AB_EUSAGE with one line naming the differences (up to a few). */
int resume_check(const void *old_meta, const void *now_meta, ab_err *e);

/* Moves the cases still to run to the front of cases[] (order kept) and
 * sets *n_todo. A case is done when a kept record has its key and round
 * (--repeat: round 2 of a key runs even when round 1 of it is done). With retry_failed, kept records with status crashed,
 * timeout or failed are dropped and their cases run again. */
void resume_plan(ab_resume *rs, ab_case *cases, size_t n, int retry_failed, size_t *n_todo);

/* Rewrites DIR/cases.jsonl and DIR/cases.csv (every append format of the
 * run directory, through the same writers as the run) from rs->kept, each
 * atomically (temporary file, fsync, rename). */
int resume_rewrite(const ab_resume *rs, ab_err *e);

/* Status a --retry-failed resume runs again. */
int resume_status_retried(ab_status st);

#endif
