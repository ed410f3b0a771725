/* sink.h: the run directory and its files (DESIGN.md contract).
 *
 * results/<run-id>/ with run-id = <UTC yyyymmddThhmmss>-<host>-<backend>:
 *   run.json      metadata (written at start, rewritten atomically at end)
 *   cases.jsonl   journal: one complete record per line, one write + fsync
 *   cases.csv     the same records, one row each (libcsv), header first
 *   results.json  run.json + every record, written atomically at the end
 * Every sink is fed the same record; no sink measures anything. */
#ifndef AB_SINK_H
#define AB_SINK_H

#include <stdio.h>
#include "harness/error.h"
#include "harness/record.h"

typedef struct ab_rundir {
    char path[1024];
    FILE *jsonl;
    FILE *csv;
    int ncases;
} ab_rundir;

/* Creates a new run directory under parent (made if missing). run_id may be
 * NULL (then made from the time, host and backend). Fails with AB_EUSAGE
 * naming the directory when it exists already or is not writable; leaves
 * nothing half made behind. */
int rundir_create(ab_rundir *d, const char *parent, const char *run_id,
                  const char *backend, ab_err *e);
/* Opens an existing run directory for appending (resume). */
int rundir_open_append(ab_rundir *d, const char *path, ab_err *e);

/* Writes run.json (cJSON* meta) atomically: temp name, fsync, rename. */
int rundir_write_meta(ab_rundir *d, const void *meta, ab_err *e);

/* Appends r to cases.jsonl and cases.csv, each flushed and fsync'd.
 * A failed write (disk full) is reported and leaves the journal intact up
 * to the last complete line. */
int rundir_append(ab_rundir *d, const ab_record *r, ab_err *e);

/* Writes results.json = meta + {"cases": [records in journal order]}
 * atomically, reading records back from cases.jsonl. */
int rundir_finish(ab_rundir *d, const void *meta, ab_err *e);

void rundir_close(ab_rundir *d);

/* Writes text to path atomically (path.tmp, fsync, rename). */
int ab_write_file_atomic(const char *path, const char *text, size_t len, ab_err *e);

#endif
