/* reader.h: loads result files back: a run directory, results.json,
 * cases.jsonl or cases.csv. The one reading path of resume, compare, plot
 * and report: whatever the file, each key appears once in recs for each
 * round of the sweep it ran in (record "round", --repeat), the last record
 * of a key and round winning, in the place of that last record (a journal
 * holds a key twice in one round when a case was run again). Readers that
 * want one record per key merge the rounds (harness/rounds.h). */
#ifndef AB_READER_H
#define AB_READER_H

#include <stddef.h>
#include <stdint.h>
#include "harness/error.h"
#include "harness/record.h"
#include "harness/runinfo.h"

typedef struct ab_run {
    char origin[1024]; /* the path given */
    ab_runinfo info;   /* run.json / results.json's run info; from a CSV, its run-level columns */
    int has_info;      /* 0: a bare journal or a CSV without run-level columns */
    ab_record *recs;   /* the reader's: harness/bigmem.h (recs_mapped); run_take_records to keep them */
    size_t n;
    size_t recs_mapped;  /* recs is a mapping of this size (ab_big_alloc); 0: malloc'd (or none) */
    size_t n_superseded; /* records dropped because a later one had the same key and round */
    int truncated_tail;  /* 1: the journal's last line was incomplete and dropped */
    int rounds_read; /* reader: 1 every record read is of one round (--repeat), 2 of several; 0 not known */
    uint64_t *key_hash; /* ab_key_hash of each record's key, as loaded (NULL: not known); whoever
                         * drops or reorders records keeps it in step or frees it */
} ab_run;

/* Loads path (a directory, *.json, *.jsonl, *.csv). Bad input: AB_EUSAGE
 * with a one-line reason naming the file and, where it can, the line. */
int run_load(ab_run *run, const char *path, ab_err *e);
/* Loads a cases.jsonl (journal): a truncated last line is dropped and
 * flagged; any other bad line is an error. */
int run_load_jsonl(ab_run *run, const char *path, ab_err *e);
int run_load_csv(ab_run *run, const char *path, ab_err *e);
int run_load_results_json(ab_run *run, const char *path, ab_err *e);
void run_free(ab_run *run);
/* The run's records as a malloc'd array the caller frees (with each
 * record), taken out of run (then left with none); NULL when out of
 * memory (run left as it was) or when it has none. */
ab_record *run_take_records(ab_run *run, size_t *n);
/* run_load for a run to be shown: every text of its records and its info
 * is made harmless on a terminal as it is read (runview.h's scrub). */
int run_load_shown(ab_run *run, const char *path, ab_err *e);
/* Loads paths[0..n) into runs[0..n) (run_load_shown when shown), as many
 * files at once as there are processors (parsing is most of a reading's
 * time). Returns the first failure in argument order (so the message does
 * not depend on timing), every run then freed; on success the caller frees
 * each run. */
int run_load_all(ab_run *runs, const char *const *paths, size_t n, int shown, ab_err *e);

/* Reads a whole file (NUL-terminated, malloc'd). */
char *ab_read_file(const char *path, size_t *len, ab_err *e);

#endif
