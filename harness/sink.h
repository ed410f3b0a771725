/* sink.h: the run directory and its files (DESIGN.md contract).
 *
 * results/<run-id>/ with run-id = <UTC yyyymmddThhmmss>-<host>-<backend>:
 *   run.json      metadata (written at start, rewritten atomically at end)
 *   cases.jsonl   journal: one complete record per line, one write + fsync
 *   cases.csv     the same records, one row each (libcsv), header first
 *   results.json  run.json + every record, written atomically at the end
 * Each file is one format behind an ab_sink_ops (sink_formats.c), all fed
 * the same record; no sink measures anything or names a field. */
#ifndef AB_SINK_H
#define AB_SINK_H

#include <stdio.h>
#include "harness/error.h"
#include "harness/record.h"
#include "harness/runinfo.h"

/* One output format. An append format (line, and header if it has one) is
 * written case by case as the run goes, each record one write; a whole
 * format is written at the end from every record. Returned texts are
 * malloc'd; NULL means out of memory. */
typedef struct ab_sink_ops {
    const char *name; /* "journal", "csv", "results" */
    const char *file; /* its file in the run directory */
    char *(*header)(size_t *len);
    char *(*line)(const ab_record *r, const ab_runcols *run, size_t *len);
    char *(*whole)(const ab_runinfo *ri, const ab_record *recs, size_t n, size_t *len);
} ab_sink_ops;

/* Every format, NULL-terminated; the journal (cases.jsonl) first. */
extern const ab_sink_ops *const ab_sinks[];
extern const ab_sink_ops ab_sink_journal, ab_sink_csv, ab_sink_results;
enum { AB_MAX_SINKS = 8 };

typedef struct ab_rundir {
    char path[1024];
    int fd[AB_MAX_SINKS]; /* the append formats' files, by index in ab_sinks; -1 none */
    ab_runcols cols;      /* the run-level CSV columns (from the last run info written) */
    int ncases;
} ab_rundir;

/* Creates a new run directory under parent (made if missing). run_id may be
 * NULL (then made from the time, host and backend). Fails with AB_EUSAGE
 * naming the directory when it exists already or is not writable; leaves
 * nothing half made behind. */
int rundir_create(ab_rundir *d, const char *parent, const char *run_id, const char *backend, ab_err *e);
/* Opens an existing run directory for appending (resume). */
int rundir_open_append(ab_rundir *d, const char *path, ab_err *e);

/* Writes run.json atomically (temp name, fsync, rename), and takes the
 * run-level columns of later records from it. */
int rundir_write_meta(ab_rundir *d, const ab_runinfo *ri, ab_err *e);

/* Appends r to every append format (cases.jsonl, cases.csv), each one
 * write, fsync'd. A failed write (disk full) is reported and rolls every
 * file back to before the record: the journal stays intact up to the last
 * complete line. */
int rundir_append(ab_rundir *d, const ab_record *r, ab_err *e);

/* Writes every whole format (results.json = run info + {"cases": [...]})
 * atomically from the records read back from cases.jsonl (the last record
 * of a key wins, in journal order). */
int rundir_finish(ab_rundir *d, const ab_runinfo *ri, ab_err *e);

/* Rewrites every append format of dir from recs, each atomically (resume:
 * the journal and the CSV hold each kept case once). */
int rundir_rewrite(const char *dir, const ab_runinfo *ri, const ab_record *recs, size_t n, ab_err *e);

void rundir_close(ab_rundir *d);

/* Writes text to path atomically (harness/outfile.h, AB_OUT_OWN: a temporary
 * of unpredictable name, fsync, rename). */
int ab_write_file_atomic(const char *path, const char *text, size_t len, ab_err *e);

/* JSON text of a cJSON value plus a newline (malloc'd, *len its length);
 * formatted = 1 pretty-prints. NULL when out of memory. */
char *sink_json_text(const void *json, int formatted, size_t *len);

#endif
